#pragma once
/// The original Rust Constellation's dialect: a subset of A2A v0.1 (a2a-wire.md §1).
/// Both directions: the server decodes `tasks/send` params and encodes Tasks; the client
/// encodes params and decodes Tasks.

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "constellation/a2a/task.h"

namespace constellation::a2a::legacy {

inline constexpr const char* kSourceUrlHeader = "X-A2A-Source-Url";

/// `{"role":"user","parts":[{"type":"text","text":"…"}]}` — nothing else is written.
/// The dialect carries text only: a file or data part becomes a text part describing
/// it ("[file: a.pdf, 12 bytes, not sent]", "[data: {…}]") — a last resort, since
/// `send` and `respond` refuse attachments for legacy peers before anything is stored.
nlohmann::json message_to_json(const Message& message);
/// Rejects a missing/unknown role, a missing `parts` array, and any part whose `type` is
/// not "text" (the original answers those with -32602). Extra keys are ignored.
std::optional<Message> message_from_json(const nlohmann::json& j, std::string* err);

/// `{"id","status":{"state","timestamp"},"history":[…]}`. States the original cannot
/// decode are mapped: rejected → failed, auth-required → input-required.
nlohmann::json task_to_json(const Task& task);
/// Requires id, status.state (one of the seven legacy names) and status.timestamp;
/// history defaults to [].
std::optional<Task> task_from_json(const nlohmann::json& j, std::string* err);

/// params of `tasks/send`: the client picks the task id.
struct SendParams {
  std::string task_id;
  Message message;
};
nlohmann::json send_params_to_json(const SendParams& params);
std::optional<SendParams> send_params_from_json(const nlohmann::json& params, std::string* err);

/// params of `tasks/get` and `tasks/cancel`: `{"id": "<task id>"}`.
nlohmann::json task_id_params_to_json(const std::string& task_id);
std::optional<std::string> task_id_params_from_json(const nlohmann::json& params,
                                                    std::string* err);

/// A new task id as the Rust client makes them: "t-" + uuid4.
std::string new_task_id();

}  // namespace constellation::a2a::legacy

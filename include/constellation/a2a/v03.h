#pragma once
/// A2A v0.3.0 JSON-RPC codec (a2a-wire.md §2): the objects with `kind` discriminators,
/// the params of message/send, tasks/get and tasks/cancel, the reply of message/send and
/// the v0.3 error codes. Pure: parsed JSON in, model values out, and back.
///
/// Decoders never throw; on failure they return nullopt and set *err to
/// "<JSON path>: <problem>", e.g. `params.message.parts[0].kind: …`. They read
/// tolerantly: unknown members (metadata, extensions, referenceTaskIds, …) are ignored
/// and an absent `kind` is taken to be the expected one. Encoders write only what the
/// model holds: no metadata, nothing invented.
///
/// Parts: text, file (`bytes` base64 or `uri`, with `name`/`mimeType`) and data. Data is
/// a JSON object in v0.3: another value is written as {"value": x} with part metadata
/// {"data_part_compat": true}, and read back unwrapped (the JS SDK's compat rule). A part
/// of unknown kind is refused everywhere.

#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "constellation/a2a/jsonrpc.h"
#include "constellation/a2a/push.h"
#include "constellation/a2a/task.h"

namespace constellation::a2a::v03 {

/// Error codes of §2.7. -32001..-32005 mean the same in every dialect (rpc_code);
/// -32006 and -32007 meant something else in v0.1 (§5.5), so they live only here.
namespace error_code {
inline constexpr int kTaskNotFound = rpc_code::kTaskNotFound;
inline constexpr int kTaskNotCancelable = rpc_code::kTaskNotCancelable;
inline constexpr int kPushNotificationNotSupported = rpc_code::kPushNotificationNotSupported;
inline constexpr int kUnsupportedOperation = rpc_code::kUnsupportedOperation;
inline constexpr int kContentTypeNotSupported = rpc_code::kContentTypeNotSupported;
inline constexpr int kInvalidAgentResponse = -32006;
inline constexpr int kAuthenticatedExtendedCardNotConfigured = -32007;
}  // namespace error_code

/// The standard message text of a JSON-RPC or v0.3 error code ("Task not found"), or
/// "Unknown error" for a code v0.3 does not define.
const char* error_message(int code);

/// `{"kind":"message","messageId","role","parts":[{"kind":"text","text"}]}` plus
/// `contextId`/`taskId` when not empty. `messageId` is required by v0.3 and always
/// written: callers give every message an id before it goes out.
nlohmann::json message_to_json(const Message& message);
/// Requires messageId (a string), role "user"/"agent" and a parts array;
/// reads contextId/taskId when present.
std::optional<Message> message_from_json(const nlohmann::json& j, std::string* err);

/// `{"artifactId","name"?,"parts"}`; `name` only when not empty.
nlohmann::json artifact_to_json(const Artifact& artifact);
/// Requires artifactId and parts.
std::optional<Artifact> artifact_from_json(const nlohmann::json& j, std::string* err);

/// `{"kind":"task","id","contextId","status":{"state","message"?,"timestamp"?},
/// "history"?,"artifacts"?}`. `contextId` is required by v0.3 and always written.
/// `timestamp` is omitted when `updated_at` is the epoch, which the decoder uses for
/// "none given"; `history`/`artifacts` are omitted when empty.
nlohmann::json task_to_json(const Task& task);
/// Requires id and status.state (one of the nine v0.3 names). contextId, history and
/// artifacts default to empty; status.timestamp to the epoch. A timestamp without a
/// zone is read as UTC (§2.3).
std::optional<Task> task_from_json(const nlohmann::json& j, std::string* err);

/// The v0.3 wire name of a state; the same nine kebab names as our own.
const char* state_to_v03(TaskState state);
std::optional<TaskState> state_from_v03(std::string_view name);

/// MessageSendParams.configuration.
struct SendConfiguration {
  /// Absent on the wire stays absent: the spec gives no default and the SDKs disagree
  /// (§2.4), so the server decides with effective_blocking().
  std::optional<bool> blocking;
  std::optional<int> history_length;  ///< ≥ 0; see trim_history
  std::vector<std::string> accepted_output_modes;
  std::optional<PushConfig> push;  ///< pushNotificationConfig: where to post changes
};

/// params of message/send and message/stream: `{message, configuration?, metadata?}`.
struct SendParams {
  Message message;
  SendConfiguration configuration;
};

/// What we do when a sender leaves `blocking` out: wait, as the Python 0.3 server does
/// (the JS compat layer does not wait). Our own client always sends it.
inline constexpr bool kDefaultBlocking = true;
bool effective_blocking(const SendConfiguration& configuration);

/// Always writes `configuration.blocking` (effective_blocking) so no peer has to guess;
/// historyLength and acceptedOutputModes only when set.
nlohmann::json send_params_to_json(const SendParams& params);
/// Paths start at "params". Requires the message; a present
/// configuration must be an object with a bool `blocking`, a non-negative integer
/// `historyLength` and an array of strings `acceptedOutputModes`. `metadata` is ignored.
std::optional<SendParams> send_params_from_json(const nlohmann::json& params, std::string* err);

/// params of tasks/get: `{id, historyLength?, metadata?}`.
struct TaskQueryParams {
  std::string id;
  std::optional<int> history_length;
};
nlohmann::json task_query_params_to_json(const TaskQueryParams& params);
/// Requires a non-empty string `params.id`; historyLength a non-negative integer.
std::optional<TaskQueryParams> task_query_params_from_json(const nlohmann::json& params,
                                                           std::string* err);

/// params of tasks/cancel (and tasks/resubscribe): `{id, metadata?}`.
nlohmann::json task_id_params_to_json(const std::string& task_id);
std::optional<std::string> task_id_params_from_json(const nlohmann::json& params, std::string* err);

/// The `result` of message/send: the task the message started or continued, or a direct
/// reply message with no task.
using SendResult = std::variant<Task, Message>;
/// Chooses by `kind` ("task" / "message"); when `kind` is absent, an object with a
/// `status` is a task, else a message. Paths start at "result".
std::optional<SendResult> send_result_from_json(const nlohmann::json& result, std::string* err);

/// historyLength semantics (§2.4: "newest N messages"): nullopt keeps everything, N keeps
/// the newest N, 0 keeps none (as v1.0 spells out; the JS SDK's `slice(-0)` keeps all,
/// which we take for an accident). Negative values are refused by the decoders.
void trim_history(std::vector<Message>* history, std::optional<int> history_length);

}  // namespace constellation::a2a::v03

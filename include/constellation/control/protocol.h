#pragma once
/// The control socket protocol between the verbs and the daemon: HTTP/1.1 over a Unix
/// socket with JSON bodies. Versioned by path prefix so a newer CLI can tell an older
/// daemon. Success: 200 with the documented body; failure: a 4xx/5xx with
/// {"error":{"kind":"unknown_peer","message":"…"}}.
///
///   GET  /v1/status                          → {"name","url","pid","version"}
///   GET  /v1/overview                        → {"daemon":{…},"discovery":[…],"peers":{…},
///                                               "inbox":{"open"},"outbound":{"in_flight"}}
///   GET  /v1/peers                           → {"peers":[peer…]}
///   POST /v1/send    {"peer","text","parts"?} → {"task_id"}  (parts: attachments, with bytes)
///   POST /v1/wait    {"id","timeout_ms"}     → {"task": outbound}
///   GET  /v1/inbox                           → {"tasks":[inbound…]}
///   POST /v1/respond {"id","text","failed","parts"?}  → {"task": inbound}
///
/// Parts: {"text"}; {"kind":"file","name","mediaType","uri"?,"path"?,"bytes"?};
/// {"kind":"data","data":<JSON>,"mediaType"?}. File bytes (base64) travel only towards
/// the daemon (send, respond); tasks coming back name each received file by the `path`
/// it was saved at instead, so no reply carries file content.

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "constellation/store/inbound_tasks.h"
#include "constellation/store/outbound_tasks.h"
#include "constellation/store/peers.h"
#include "constellation/util/error.h"

namespace constellation::control {

/// Parts as above; `with_bytes` adds the base64 content of inline files.
nlohmann::json parts_to_json(const std::vector<a2a::Part>& parts, bool with_bytes);
std::optional<std::vector<a2a::Part>> parts_from_json(const nlohmann::json& j, std::string* err);

/// These encodings are also what `peers --json` and `inbox --json` print.
nlohmann::json peer_to_json(const store::PeerRecord& peer);
std::optional<store::PeerRecord> peer_from_json(const nlohmann::json& j, std::string* err);

nlohmann::json inbound_to_json(const store::InboundTask& task);
std::optional<store::InboundTask> inbound_from_json(const nlohmann::json& j, std::string* err);

nlohmann::json outbound_to_json(const store::OutboundTask& task);
std::optional<store::OutboundTask> outbound_from_json(const nlohmann::json& j, std::string* err);

/// {"error":{"kind","message"}} and the HTTP status that goes with the kind.
nlohmann::json error_to_json(const Error& error);
int http_status_for(ErrorKind kind);
/// Reads an error body; anything unreadable becomes kInternal quoting the status.
Error error_from_body(int status, const std::string& body);

}  // namespace constellation::control

#pragma once
/// The JSON-RPC calls our client makes, in each peer's dialect (a2a-wire.md §4.5, §5.1):
/// which method, params and headers a send, get or cancel becomes, and how the peer's
/// `result` reads back. Pure: a2a_client.h puts these on the wire.

#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "constellation/a2a/dialect.h"
#include "constellation/a2a/push.h"
#include "constellation/a2a/task.h"

namespace constellation::client {

using Headers = std::vector<std::pair<std::string, std::string>>;

/// A new task for a peer.
struct NewTask {
  /// The user's message. v0.3 and v1.0 require a message id: the caller sets one so that
  /// our stored copy carries the id the peer saw (send_call makes one if it is empty).
  a2a::Message message;
  std::string task_id;  ///< legacy only: the id we choose; v0.3/v1.0 peers pick their own
  /// Our card URL, sent as X-A2A-Source-Url in every dialect ("" = not sent): the Rust
  /// original and our own server record it as the task's sender; standard agents ignore
  /// an unknown header.
  std::string source_url;
  /// Where the peer should post the task's changes (v0.3/v1.0; a legacy peer has no
  /// such thing and never gets it).
  std::optional<a2a::PushConfig> push{};
};

/// What a peer answers to a new message: the task it made, or (v0.3/v1.0) a direct
/// reply with no task behind it.
using SendReply = std::variant<a2a::Task, a2a::Message>;

/// One JSON-RPC request before it goes on the wire.
struct RpcCall {
  std::string method;
  nlohmann::json params;
  Headers headers;  ///< besides Content-Type and Accept, which every call carries
};

/// legacy: `tasks/send` with our id. v0.3: `message/send` with
/// `configuration.blocking:false` (explicit: the SDKs disagree on its default). v1.0:
/// `SendMessage` with `returnImmediately:true`, A2A-Version and the tenant. All with
/// X-A2A-Source-Url. None of them waits for the answer: `wait` polls for it. Only sends
/// name us: on a tasks/get the header would make a hybrid server answer an unknown id
/// in the legacy dialect (§4.2).
RpcCall send_call(const a2a::PeerEndpoint& endpoint, const NewTask& task);
/// `tasks/get` (legacy, v0.3) or `GetTask` (v1.0, with the tenant).
RpcCall get_call(const a2a::PeerEndpoint& endpoint, const std::string& task_id);
/// `tasks/cancel` (v0.3) or `CancelTask` (v1.0); nullopt for legacy peers, which have none.
std::optional<RpcCall> cancel_call(const a2a::PeerEndpoint& endpoint, const std::string& task_id);

/// `tasks/resubscribe` (v0.3) or `SubscribeToTask` (v1.0, with A2A-Version and the
/// tenant); nullopt for legacy peers, which have no streams.
std::optional<RpcCall> subscribe_call(const a2a::PeerEndpoint& endpoint, const std::string& task_id);

/// A send's `result` in the endpoint's dialect. nullopt and *err ("result.task.id: …")
/// when it does not decode.
std::optional<SendReply> send_reply_from_json(a2a::Dialect dialect, const nlohmann::json& result,
                                              std::string* err);
/// A get's or cancel's `result`: a bare Task in every dialect.
std::optional<a2a::Task> task_from_json(a2a::Dialect dialect, const nlohmann::json& result,
                                        std::string* err);

/// What the user can do after the peer answered JSON-RPC error `code` in `dialect`.
std::string rpc_error_hint(a2a::Dialect dialect, int code);

}  // namespace constellation::client

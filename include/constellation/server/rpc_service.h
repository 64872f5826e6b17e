#pragma once
/// JSON-RPC methods of the A2A endpoint in all three dialects (a2a-wire.md §4), as a
/// synchronous function of (body, headers) → reply body over the store. No Asio: tests
/// drive it directly with a real store.

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "constellation/a2a/stream_events.h"
#include "constellation/server/http_message.h"
#include "constellation/server/task_service.h"
#include "constellation/store/database.h"

namespace constellation::server {

/// A blocking send (v1.0 without returnImmediately, v0.3 `blocking`) whose task is not
/// settled yet: the caller may hold the HTTP reply until the task changes, then render
/// it again from the store with `render`.
struct Hold {
  std::string task_id;
  /// The reply for the task as it stands (same request id, dialect and history length).
  std::function<std::string(const store::InboundTask&)> render;
};

/// A streaming call (message/stream, tasks/resubscribe, SendStreamingMessage,
/// SubscribeToTask) that was accepted: its task exists (a streaming send has stored it,
/// committed, like any send) and the caller now streams the task's events as SSE
/// (a2a_handler.cc). Errors found before this point are plain JSON-RPC replies.
struct StreamPlan {
  std::string task_id;
  std::optional<int> history_length;  ///< applied to the Task events
  /// One SSE `data:` line: the JSON-RPC reply carrying `event` with the request's id,
  /// in the caller's dialect.
  std::function<std::string(const a2a::StreamEvent&)> render;
  /// The JSON-RPC error reply (request id, dialect shape) for a failure mid-stream.
  std::function<std::string(const A2aError&)> render_error;
};

struct RpcOutcome {
  // Members after `body` have initialisers, so {body} is a complete initialiser.
  std::string body;                              ///< always a JSON-RPC reply
  std::optional<std::string> new_task_id{};      ///< a task was stored by this call
  std::optional<std::string> changed_task_id{};  ///< an existing task changed (turn, cancel)
  std::optional<Hold> hold{};                    ///< see Hold; `body` is the reply if not held
  std::optional<StreamPlan> stream{};            ///< see StreamPlan; `body` is then unused
};

class RpcService {
 public:
  /// `max_file_bytes`: see TaskService.
  /// The limits are TaskService's.
  explicit RpcService(store::Database& db,
                      std::uint64_t max_file_bytes = config::kDefaultMaxFileBytes,
                      std::uint64_t max_pending_per_peer = config::kDefaultMaxPendingPerPeer,
                      std::shared_ptr<LimitLog> limit_log = nullptr)
      : tasks_(db, max_file_bytes, max_pending_per_peer, std::move(limit_log)) {}

  /// Never throws; a store failure becomes -32603 and is reported in the reply.
  /// `caller` is who the network says sent it (see A2aHandlerDeps::identify).
  RpcOutcome handle(std::string_view body, const HttpRequest& request,
                    const security::Caller& caller);
  /// The same, for a caller nothing vouches for: known by its source address alone.
  RpcOutcome handle(std::string_view body, const HttpRequest& request) {
    return handle(body, request, security::unverified_caller(request.remote_address));
  }

  /// The reply of a held call if its task is settled (or `final`, e.g. at the time
  /// limit); nullopt while it is still open. A store failure ends the hold with the
  /// task as first rendered.
  std::optional<std::string> settle(const Hold& hold, const std::string& first_body, bool final);

  /// The task of a stream as its client sees it now (standard_view with the plan's
  /// history length); -32001 when it has gone, -32603 when the store fails.
  A2aResult<a2a::Task> stream_view(const StreamPlan& plan);

 private:
  TaskService tasks_;
};

/// Whether a request Content-Type is JSON: application/json or any application/*+json,
/// parameters (charset) allowed, case-insensitive.
bool is_json_content_type(std::string_view value);

}  // namespace constellation::server

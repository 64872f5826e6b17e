#pragma once
/// What the A2A endpoint does to inbound tasks, whatever dialect asked: start one,
/// add a turn, read, cancel, list. Answers are model values or an A2A error (code +
/// message + the ErrorInfo metadata v1.0 sends); the dialect handlers render both.
/// Synchronous over the store; every change is committed before it returns.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <variant>

#include "constellation/a2a/dialect.h"
#include "constellation/a2a/task.h"
#include "constellation/config/config.h"
#include "constellation/security/caller.h"
#include "constellation/server/limit_log.h"
#include "constellation/store/database.h"
#include "constellation/store/inbound_tasks.h"

namespace constellation::server {

/// A JSON-RPC error as an A2A method reports it.
struct A2aError {
  int code = 0;
  std::string message;
  /// google.rpc.ErrorInfo metadata (v1.0 only), e.g. {"taskId": "…"}.
  std::map<std::string, std::string> metadata{};
};

template <class T>
using A2aResult = std::variant<T, A2aError>;

/// Who sent a request: what the network says, and what the request claims.
struct Sender {
  std::string claimed_url;  ///< X-A2A-Source-Url, "" when absent; never trusted
  security::Caller caller;  ///< the connection's source and what vouches for it
};

class TaskService {
 public:
  /// `max_file_bytes`: the most bytes of files one inbound message may carry
  /// (`[files] max_bytes`); `max_pending_per_peer`: the most tasks one caller (source
  /// address) may have awaiting our answer (`[limits] max_pending_per_peer`), refusals
  /// reported through `limit_log` (a private one when null).
  explicit TaskService(store::Database& db,
                       std::uint64_t max_file_bytes = config::kDefaultMaxFileBytes,
                       std::uint64_t max_pending_per_peer = config::kDefaultMaxPendingPerPeer,
                       std::shared_ptr<LimitLog> limit_log = nullptr);

  /// Records a task a caller starts: true when new, false when a task with its id
  /// exists (nothing changes). -32000 when its caller already has max_pending_per_peer
  /// tasks awaiting our answer, saying the cap and that it should wait for answers.
  A2aResult<bool> record_new(const store::InboundTask& task);

  /// A message from a v0.3/v1.0 client. Without a task id it starts a task: we assign
  /// the task id, and the context id too unless the message names one. With a task id
  /// it is a further turn: -32001 for an unknown task, -32004 for a finished one,
  /// -32602 when its context id is not the task's. A turn on a task waiting for input
  /// makes it open (submitted) again. `*created` tells which happened. A push config
  /// is kept with the task (a turn's replaces the one before); its URL must point back
  /// at the caller (security::callback_points_at), else -32602. A turn from another
  /// caller than the task's is -32001, as if the task did not exist. A message whose
  /// files weigh more than max_file_bytes is refused with -32602, saying the limit.
  A2aResult<store::InboundTask> accept_message(a2a::Message message, a2a::Dialect dialect,
                                               const Sender& sender,
                                               std::optional<a2a::PushConfig> push, bool* created);

  /// -32001 for an unknown id. Any task: for routing and streams already granted;
  /// requests from callers use get_own.
  A2aResult<store::InboundTask> get(const std::string& id);

  /// The task if `caller` sent it (its push config holds the sender's secret token);
  /// -32001 when unknown or someone else's.
  A2aResult<store::InboundTask> get_own(const std::string& id, const security::Caller& caller);

  /// Moves an unfinished task to canceled; -32001 unknown (or not the caller's), -32002
  /// already finished.
  A2aResult<store::InboundTask> cancel(const std::string& id, const security::Caller& caller);

  /// The task's push callback (v0.3 `tasks/pushNotificationConfig/*`, v1.0 the
  /// `…TaskPushNotificationConfig…` methods). A task has at most one: set replaces it,
  /// nullopt removes it; -32001 for an unknown task or one `caller` did not send,
  /// -32602 for a callback that does not point back at the caller.
  A2aResult<store::InboundTask> set_push(const std::string& id, std::optional<a2a::PushConfig> push,
                                         const security::Caller& caller);

  /// The tasks `caller` sent (by source address), one page; -32602 for a page token we
  /// did not give out.
  A2aResult<store::InboundPage> list(store::InboundQuery query, const security::Caller& caller);

  /// The known peer name for a claimed URL ("" when none), kept beside the claim.
  std::string known_name_for(const std::string& claimed_url);

  store::Database& database() { return db_; }

 private:
  store::Database& db_;
  std::uint64_t max_file_bytes_;
  std::uint64_t max_pending_per_peer_;
  std::shared_ptr<LimitLog> limit_log_;
};

/// Finished (terminal) or waiting for the sender (input-required, auth-required): a
/// blocking send returns at such a state.
bool is_settled(a2a::TaskState state);

/// The task as v0.3/v1.0 clients see it: every message carries an id (legacy turns,
/// which have none, get "<task id>-<index>") and the task's id and context;
/// history trimmed to the newest `history_length` messages when given.
a2a::Task standard_view(const a2a::Task& task, std::optional<int> history_length);

}  // namespace constellation::server

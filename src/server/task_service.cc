#include "constellation/server/task_service.h"

#include <chrono>

#include "constellation/a2a/jsonrpc.h"
#include "constellation/a2a/v03.h"
#include "constellation/store/peers.h"

namespace constellation::server {

namespace code = a2a::rpc_code;

namespace {

A2aError internal(const Error& e) {
  return A2aError{code::kInternalError, "Internal error: " + e.message};
}

A2aError not_found(const std::string& id) {
  return A2aError{code::kTaskNotFound, "Task not found: " + id, {{"taskId", id}}};
}

/// Runs a store change whose refusals were recorded in *refusal; maps the rest.
A2aResult<store::InboundTask> finish(Result<store::InboundTask> changed,
                                     std::optional<A2aError>& refusal, const std::string& id) {
  if (refusal) return *refusal;
  if (!changed) {
    if (changed.error().kind == ErrorKind::kUnknownTask) return not_found(id);
    return internal(changed.error());
  }
  return std::move(*changed);
}

/// Tasks stored before callers were recorded have no address: anyone may go on with
/// those, as before.
bool sent_by(const store::InboundTask& task, const security::Caller& caller) {
  return task.caller.address.empty() || security::same_caller(task.caller, caller);
}

std::optional<A2aError> foreign_callback(const std::optional<a2a::PushConfig>& push,
                                         const security::Caller& caller, const char* field) {
  if (!push || security::callback_points_at(push->url, caller)) return std::nullopt;
  return A2aError{code::kInvalidParams,
                  std::string("Invalid params: ") + field + ": the callback " + push->url +
                      " does not point back at the caller (" +
                      (caller.address.empty() ? std::string("no address") : caller.address) +
                      "); a push callback must be served by the agent that registers it"};
}

}  // namespace

bool is_settled(a2a::TaskState state) {
  return a2a::is_terminal(state) || a2a::needs_input(state);
}

a2a::Task standard_view(const a2a::Task& task, std::optional<int> history_length) {
  a2a::Task view = task;
  for (std::size_t i = 0; i < view.history.size(); ++i) {
    a2a::Message& m = view.history[i];
    if (m.message_id.empty()) m.message_id = task.id + "-" + std::to_string(i);
    m.task_id = task.id;
    m.context_id = task.context_id;
  }
  if (view.status_message) {
    view.status_message->task_id = task.id;
    view.status_message->context_id = task.context_id;
    if (view.status_message->message_id.empty()) view.status_message->message_id = task.id + "-status";
  }
  a2a::v03::trim_history(&view.history, history_length);
  return view;
}

TaskService::TaskService(store::Database& db, std::uint64_t max_file_bytes,
                         std::uint64_t max_pending_per_peer, std::shared_ptr<LimitLog> limit_log)
    : db_(db),
      max_file_bytes_(max_file_bytes),
      max_pending_per_peer_(max_pending_per_peer),
      limit_log_(limit_log ? std::move(limit_log) : std::make_shared<LimitLog>()) {}

A2aResult<bool> TaskService::record_new(const store::InboundTask& task) {
  auto admitted = store::InboundTasks(db_).insert_within(task, max_pending_per_peer_);
  if (!admitted) return internal(admitted.error());
  switch (*admitted) {
    case store::Admission::kInserted:
      return true;
    case store::Admission::kExists:
      return false;
    case store::Admission::kFull:
      break;
  }
  const std::string& address = task.caller.address;
  const std::string cap = std::to_string(max_pending_per_peer_);
  limit_log_->hit("pending-tasks", address,
                  "a2a: " + cap + " tasks from it await an answer, the most one peer may have "
                  "([limits] max_pending_per_peer); its new tasks are refused with -32000");
  return A2aError{code::kTooManyPendingTasks,
                  "Too many pending tasks: this agent holds " + cap + " unanswered tasks from " +
                      address + ", its limit per peer; wait for answers before sending more"};
}

std::string TaskService::known_name_for(const std::string& claimed_url) {
  if (claimed_url.empty()) return {};
  auto found = store::PeerTable(db_).find_by_url(claimed_url);
  if (!found || !*found) return {};
  return (*found)->name;
}

A2aResult<store::InboundTask> TaskService::accept_message(a2a::Message message,
                                                          a2a::Dialect dialect,
                                                          const Sender& sender,
                                                          std::optional<a2a::PushConfig> push,
                                                          bool* created) {
  *created = false;
  if (message.role != a2a::Role::kUser) {
    return A2aError{code::kInvalidParams,
                    "Invalid params: params.message.role: a message to an agent must come from "
                    "the user role"};
  }
  if (const std::uint64_t bytes = a2a::inline_file_bytes(message.parts); bytes > max_file_bytes_) {
    return A2aError{code::kInvalidParams,
                    "Invalid params: params.message.parts: the files weigh " +
                        std::to_string(bytes) + " bytes together, over this agent's limit of " +
                        std::to_string(max_file_bytes_) +
                        " bytes per message; send smaller files, or fewer per message"};
  }
  if (auto refused = foreign_callback(push, sender.caller, "pushNotificationConfig.url")) {
    return *refused;
  }
  const auto now = std::chrono::system_clock::now();
  if (message.task_id.empty()) {
    store::InboundTask task;
    // Shaped like the ids our client picks for legacy peers, so every task id a
    // Constellation user sees looks alike.
    task.task.id = "t-" + a2a::new_uuid();
    task.task.context_id = message.context_id.empty() ? a2a::new_uuid() : message.context_id;
    task.task.state = a2a::TaskState::kSubmitted;
    task.task.updated_at = now;
    message.task_id.clear();
    message.context_id.clear();  // the task holds them; history entries get them when shown
    task.task.history.push_back(std::move(message));
    task.dialect = a2a::dialect_name(dialect);
    task.from_url = sender.claimed_url;
    task.from_name = known_name_for(sender.claimed_url);
    task.caller = sender.caller;
    task.received_at = now;
    task.push = std::move(push);
    auto recorded = record_new(task);
    if (auto* e = std::get_if<A2aError>(&recorded)) return std::move(*e);
    if (!std::get<bool>(recorded)) return A2aError{code::kInternalError, "Internal error: task id collision"};
    *created = true;
    return task;
  }

  const std::string id = message.task_id;
  std::optional<A2aError> refusal;
  auto changed = store::InboundTasks(db_).modify(id, [&](store::InboundTask& in) -> std::optional<Error> {
    if (!sent_by(in, sender.caller)) {
      refusal = not_found(id);
      return Error{ErrorKind::kUnknownTask, refusal->message};
    }
    if (a2a::is_terminal(in.task.state)) {
      refusal = A2aError{code::kUnsupportedOperation,
                         "Task " + id + " is already " + a2a::state_name(in.task.state) +
                             " and takes no more messages; send without taskId to start a new task",
                         {{"taskId", id}}};
      return Error{ErrorKind::kTaskNotOpen, refusal->message};
    }
    if (!message.context_id.empty() && !in.task.context_id.empty() &&
        message.context_id != in.task.context_id) {
      refusal = A2aError{code::kInvalidParams,
                         "Invalid params: params.message.contextId \"" + message.context_id +
                             "\" is not the context of task " + id + " (\"" + in.task.context_id + "\")"};
      return Error{ErrorKind::kUsage, refusal->message};
    }
    message.task_id.clear();
    message.context_id.clear();
    in.task.history.push_back(message);
    if (push) in.push = push;
    // A turn answering the agent's question puts the task back in the local inbox.
    if (a2a::needs_input(in.task.state)) {
      in.task.state = a2a::TaskState::kSubmitted;
      in.task.status_message.reset();
    }
    in.task.updated_at = now;
    return std::nullopt;
  });
  return finish(std::move(changed), refusal, id);
}

A2aResult<store::InboundTask> TaskService::get(const std::string& id) {
  auto found = store::InboundTasks(db_).get(id);
  if (!found) return internal(found.error());
  if (!*found) return not_found(id);
  return std::move(**found);
}

A2aResult<store::InboundTask> TaskService::get_own(const std::string& id,
                                                   const security::Caller& caller) {
  auto found = get(id);
  if (auto* task = std::get_if<store::InboundTask>(&found); task && !sent_by(*task, caller)) {
    return not_found(id);
  }
  return found;
}

A2aResult<store::InboundTask> TaskService::cancel(const std::string& id,
                                                  const security::Caller& caller) {
  std::optional<A2aError> refusal;
  auto changed = store::InboundTasks(db_).modify(id, [&](store::InboundTask& in) -> std::optional<Error> {
    if (!sent_by(in, caller)) {
      refusal = not_found(id);
      return Error{ErrorKind::kUnknownTask, refusal->message};
    }
    if (a2a::is_terminal(in.task.state)) {
      refusal = A2aError{code::kTaskNotCancelable,
                         "Task not cancelable: " + id + " is already " + a2a::state_name(in.task.state),
                         {{"taskId", id}}};
      return Error{ErrorKind::kTaskNotOpen, refusal->message};
    }
    in.task.state = a2a::TaskState::kCanceled;
    in.task.updated_at = std::chrono::system_clock::now();
    return std::nullopt;
  });
  return finish(std::move(changed), refusal, id);
}

A2aResult<store::InboundTask> TaskService::set_push(const std::string& id,
                                                    std::optional<a2a::PushConfig> push,
                                                    const security::Caller& caller) {
  std::optional<A2aError> refusal;
  auto changed = store::InboundTasks(db_).modify(id, [&](store::InboundTask& in) -> std::optional<Error> {
    if (!sent_by(in, caller)) {
      refusal = not_found(id);
      return Error{ErrorKind::kUnknownTask, refusal->message};
    }
    if ((refusal = foreign_callback(push, caller, "url"))) {
      return Error{ErrorKind::kUsage, refusal->message};
    }
    in.push = push;
    return std::nullopt;
  });
  return finish(std::move(changed), refusal, id);
}

A2aResult<store::InboundPage> TaskService::list(store::InboundQuery query,
                                                const security::Caller& caller) {
  query.caller_address = caller.address;
  auto page = store::InboundTasks(db_).query(query);
  if (!page) {
    if (page.error().kind == ErrorKind::kUsage) {
      return A2aError{code::kInvalidParams, "Invalid params: params.pageToken: " + page.error().message};
    }
    return internal(page.error());
  }
  return std::move(*page);
}

}  // namespace constellation::server

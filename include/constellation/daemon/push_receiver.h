#pragma once
/// Our end of push notifications: a peer posts a change of a task we sent it to our
/// callback (node::kPushPath). Synchronous over the store, so tests drive it directly.

#include <optional>
#include <string>
#include <string_view>

#include "constellation/a2a/task.h"
#include "constellation/store/database.h"

namespace constellation::daemon {

struct PushReceipt {
  int http_status = 200;
  std::string message;  ///< what the reply body says (plain text)
  /// Our id of the task that changed; nullopt when nothing changed.
  std::optional<std::string> changed_task_id{};
  std::string peer_name{};   ///< who the task went to (when it changed)
  a2a::TaskState state{};    ///< its state now (when it changed)
};

/// Checks the token against the task it was issued for, decodes the event in that
/// task's dialect, checks the event is about that task, and stores the result. A
/// wrong or missing token (401), a body that is not an event (400) or an event about
/// another task (400) changes nothing. A finished task is never reopened by a late or
/// repeated delivery (deliveries may come twice): that is a 200 without a change.
PushReceipt receive_push(store::Database& db, const std::string& token, std::string_view body);

}  // namespace constellation::daemon

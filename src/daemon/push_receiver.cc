#include "constellation/daemon/push_receiver.h"

#include "constellation/a2a/jsonrpc.h"
#include "constellation/a2a/push.h"
#include "constellation/a2a/stream_events.h"
#include "constellation/store/outbound_tasks.h"

namespace constellation::daemon {
namespace {

/// Our copy of the task with the peer's event applied; the id stays ours, and a peer
/// that leaves history or times out does not erase ours.
a2a::Task applied(const a2a::Task& ours, const a2a::StreamEvent& event) {
  a2a::Task fresh = ours;
  a2a::apply_stream_event(&fresh, event);
  fresh.id = ours.id;
  if (fresh.history.empty()) fresh.history = ours.history;
  if (fresh.context_id.empty()) fresh.context_id = ours.context_id;
  if (fresh.updated_at == a2a::Timestamp{}) fresh.updated_at = std::chrono::system_clock::now();
  return fresh;
}

}  // namespace

PushReceipt receive_push(store::Database& db, const std::string& token, std::string_view body) {
  if (token.empty()) {
    return {401, std::string("no ") + a2a::kNotificationTokenHeader +
                     " header: a push callback must carry the token it was registered with"};
  }
  store::OutboundTasks table(db);
  auto found = table.find_by_push_token(token);
  if (!found) return {500, "reading the store: " + found.error().message};
  // The same answer for every unknown token: a guesser learns nothing.
  if (!*found) return {401, "no task of ours was registered with this token"};
  store::OutboundTask& ours = **found;

  std::string err;
  auto json = a2a::parse_json(body, &err);
  if (!json) return {400, "the body is not JSON: " + err};
  const auto dialect = a2a::dialect_from_name(ours.dialect).value_or(a2a::Dialect::kV03);
  auto event = a2a::stream_event_from_json(dialect, *json, &err);
  if (!event) return {400, "the body is not an A2A " + ours.dialect + " task event: " + err};
  const std::string& about = event->kind == a2a::StreamEvent::Kind::kMessage ? event->message.task_id
                                                                              : event->task.id;
  if (!about.empty() && about != ours.wire_id()) {
    return {400, "the event is about task " + about + ", not the task this token is for"};
  }

  if (a2a::is_terminal(ours.task.state)) return {200, "the task had already ended; nothing changed"};
  a2a::Task fresh = applied(ours.task, *event);
  auto written = table.update_task_if(fresh, ours.task.state);
  if (!written) return {500, "storing the task: " + written.error().message};
  if (!*written) {
    // Changed under us (a poll or the send's own reply landed first): try once more on
    // top of what is stored now.
    auto again = table.find_by_push_token(token);
    if (!again || !*again) return {500, "the task changed while it was being stored; retry"};
    if (a2a::is_terminal((*again)->task.state)) return {200, "the task had already ended; nothing changed"};
    fresh = applied((*again)->task, *event);
    written = table.update_task_if(fresh, (*again)->task.state);
    if (!written || !*written) return {500, "the task changed while it was being stored; retry"};
  }
  return {200, "stored", fresh.id, ours.peer_name, fresh.state};
}

}  // namespace constellation::daemon

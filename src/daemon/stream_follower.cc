// Following an outbound task by SSE (issue 5): subscribe, apply each event to the
// stored task, resubscribe when the stream drops, fall back to polling when refused.

#include "stream_follower.h"

#include <algorithm>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <spdlog/spdlog.h>

#include "constellation/client/a2a_client.h"
#include "constellation/node/node.h"
#include "constellation/util/run_blocking.h"

namespace constellation::daemon::detail {

namespace asio = boost::asio;
using std::chrono::milliseconds;
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

namespace {

/// Text as the store keeps it: role and parts. Ids and context on messages are not
/// stored, so comparing them would see a change after every daemon restart.
bool same_text(const a2a::Message& a, const a2a::Message& b) {
  return a.role == b.role && a.parts == b.parts;
}

bool same_messages(const std::vector<a2a::Message>& a, const std::vector<a2a::Message>& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), same_text);
}

/// Sleeps `delay` on the follower's timer; false when the tracker stopped meanwhile.
asio::awaitable<bool> pause(Follower f, milliseconds delay) {
  if (f.stopped()) co_return false;
  f.timer->expires_after(delay);
  co_await f.timer->async_wait(kTuple);
  co_return !f.stopped();
}

// The two racers below run as branches of an awaitable_operators race. Each turns off
// throw_if_cancelled for its branch (in Boost 1.81 a cancelled branch can otherwise
// throw from co_spawn's own epilogue and end the process) and checks cancellation
// itself.

/// Completes once the tracker stops: at once when stop() cancels the timer, at the
/// latest a second later (a cancel posted while the timer was idle is not kept); or
/// when the race is over.
asio::awaitable<void> until_stopped(Follower f) {
  co_await asio::this_coro::throw_if_cancelled(false);
  auto state = co_await asio::this_coro::cancellation_state;
  while (!f.stopped() && state.cancelled() == asio::cancellation_type::none) {
    f.timer->expires_after(std::chrono::seconds(1));
    co_await f.timer->async_wait(kTuple);
  }
}

/// The next event of the stream (a cancelled read ends with an error).
asio::awaitable<Result<std::optional<a2a::StreamEvent>>> next_event(
    client::TaskEventStream& events) {
  co_await asio::this_coro::throw_if_cancelled(false);
  co_return co_await events.next(kStreamIdleTimeout);
}

/// Logs and stores a problem with the stream (once per distinct message).
asio::awaitable<void> note_problem(Follower f, std::string id, std::string peer,
                                   std::string problem) {
  spdlog::warn("task {}: stream from {}: {}", id, peer, problem);
  auto job = [db = f.db, id, problem] { return store::OutboundTasks(*db).set_error(id, problem); };
  auto st = co_await run_blocking(f.blocking, std::move(job));
  if (!st) spdlog::error("task {}: recording the error: {}", id, st.error().message);
}

milliseconds backoff(int failures) {
  const int shift = std::min(failures, 5);
  return std::min(milliseconds(1000LL << shift), milliseconds(30000));
}

}  // namespace

bool same_task(const a2a::Task& a, const a2a::Task& b) {
  if (a.status_message.has_value() != b.status_message.has_value()) return false;
  if (a.status_message && !same_text(*a.status_message, *b.status_message)) return false;
  return a.state == b.state && a.artifacts == b.artifacts && same_messages(a.history, b.history);
}

asio::awaitable<Recorded> record_peer_view(Follower f, store::OutboundTask task, a2a::Task theirs) {
  a2a::Task fresh = node::merge_peer_view(task, std::move(theirs));
  if (same_task(fresh, task.task)) co_return Recorded{std::move(task), false};
  const std::string id = task.task.id;
  auto job = [db = f.db, fresh] { return store::OutboundTasks(*db).update_task(fresh); };
  auto st = co_await run_blocking(f.blocking, std::move(job));
  if (!st) spdlog::error("task {}: {}", id, st.error().message);
  task.task = std::move(fresh);
  f.waiters->notify(id);
  co_return Recorded{std::move(task), true};
}

asio::awaitable<StreamOutcome> follow_by_stream(Follower f, store::OutboundTask task) {
  using namespace asio::experimental::awaitable_operators;
  const std::string id = task.task.id;
  const auto started = std::chrono::steady_clock::now();
  int failures = 0;        // subscribes in a row that brought nothing
  int input_looks = 0;     // resubscribes while the task waits for our input
  std::string last_error;  // logged once per distinct problem
  for (;;) {
    if (f.stopped()) co_return StreamOutcome{StreamEnd::kStopped, std::move(task)};
    const auto elapsed = std::chrono::duration_cast<milliseconds>(
        std::chrono::steady_clock::now() - started);
    if (elapsed >= f.schedule.give_up_after) {
      spdlog::warn("task {}: no answer from {} after {} h; no longer following it", id,
                   task.peer_name, std::chrono::duration_cast<std::chrono::hours>(elapsed).count());
      co_return StreamOutcome{StreamEnd::kFinished, std::move(task)};
    }
    auto sub = co_await client::subscribe_task(node::task_endpoint(task), task.wire_id(),
                                               node::kPeerRequestTimeout);
    if (!sub) {
      if (sub.error().message != last_error) {
        last_error = sub.error().message;
        co_await note_problem(f, id, task.peer_name, last_error);
      }
      co_await pause(f, backoff(failures++));
      continue;
    }
    std::string refusal = sub->refusal;
    if (sub->events) {
      // Following the stream; a JSON-RPC error event is the peer refusing, as a plain reply is.
      client::TaskEventStream& events = *sub->events;
      bool got_any = false;
      bool stopped = false;
      for (;;) {
        auto raced = co_await (next_event(events) || until_stopped(f));
        if (raced.index() == 1) {
          stopped = true;
          break;
        }
        auto& event = std::get<0>(raced);
        if (!event) {
          if (events.refused()) {
            refusal = event.error().message;
          } else if (event.error().message != last_error) {
            last_error = event.error().message;
            co_await note_problem(f, id, task.peer_name, last_error);
          }
          break;
        }
        if (!*event) break;  // the peer ended the stream
        got_any = true;
        a2a::Task theirs = task.task;
        a2a::apply_stream_event(&theirs, **event);
        auto recorded = co_await record_peer_view(f, std::move(task), std::move(theirs));
        task = std::move(recorded.task);
        if (recorded.changed) last_error.clear();
        if (a2a::is_terminal(task.task.state)) {
          spdlog::info("task {} to {}: {}", id, task.peer_name, a2a::state_name(task.task.state));
          co_return StreamOutcome{StreamEnd::kFinished, std::move(task)};
        }
        if ((*event)->final) break;
      }
      if (stopped) co_return StreamOutcome{StreamEnd::kStopped, std::move(task)};
      if (refusal.empty()) {
        // The stream ended with the task still open.
        milliseconds delay;
        if (a2a::needs_input(task.task.state)) {
          // Nothing changes at the peer until we answer; look again now and then.
          delay = f.schedule.delay(input_looks++, elapsed);
        } else if (got_any) {
          failures = 0;  // it worked for a while: come back soon
          input_looks = 0;
          delay = backoff(0);
        } else {
          delay = backoff(failures++);
        }
        co_await pause(f, delay);
        continue;
      }
    }
    {  // Refused, by a plain reply or by an error event: poll from now on.
      spdlog::info("task {}: {} did not stream it ({}); polling it instead", id, task.peer_name,
                   refusal);
      auto job = [db = f.db, id] {
        return store::OutboundTasks(*db).set_follow(id, store::FollowMode::kPoll);
      };
      auto st = co_await run_blocking(f.blocking, std::move(job));
      if (!st) spdlog::error("task {}: recording the follow mode: {}", id, st.error().message);
      task.follow = store::FollowMode::kPoll;
      co_return StreamOutcome{StreamEnd::kRefused, std::move(task)};
    }
  }
}

}  // namespace constellation::daemon::detail

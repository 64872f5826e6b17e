#include "constellation/daemon/outbound_tracker.h"

#include <algorithm>
#include <cmath>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <spdlog/spdlog.h>

#include "constellation/client/a2a_client.h"
#include "constellation/node/node.h"
#include "constellation/util/run_blocking.h"
#include "stream_follower.h"

namespace constellation::daemon {

namespace asio = boost::asio;
using std::chrono::milliseconds;

milliseconds PollSchedule::delay(int n, milliseconds elapsed) const {
  if (elapsed >= slow_after) return slow;
  const double grown = static_cast<double>(first.count()) * std::pow(growth, std::min(n, 40));
  return std::min(cap, milliseconds(static_cast<long long>(grown)));
}

PollSchedule PollSchedule::safety_net() {
  PollSchedule s;
  s.first = std::chrono::minutes(1);
  s.growth = 2.0;
  s.cap = std::chrono::minutes(10);
  s.slow_after = std::chrono::hours(1);
  s.slow = std::chrono::minutes(10);
  return s;
}

struct OutboundTracker::State {
  asio::io_context& ioc;
  asio::any_io_executor blocking;
  store::Database& db;
  TaskWaiters& waiters;
  PollSchedule schedule;
  PollSchedule push_schedule;
  std::mutex mutex;
  bool stopped = false;
  std::unordered_set<std::string> following;
  std::unordered_map<std::string, std::weak_ptr<asio::steady_timer>> timers;

  State(asio::io_context& i, asio::any_io_executor b, store::Database& d, TaskWaiters& w,
        PollSchedule s, PollSchedule p)
      : ioc(i), blocking(std::move(b)), db(d), waiters(w), schedule(s), push_schedule(p) {}
};

namespace {

using State = OutboundTracker::State;

/// Follows the task by polling the peer (tasks/get, GetTask) until it is terminal.
asio::awaitable<void> poll(std::shared_ptr<State> state, detail::Follower follower,
                           store::OutboundTask task) {
  const std::string id = task.task.id;
  auto timer = follower.timer;
  const auto started = std::chrono::steady_clock::now();
  const PollSchedule& schedule =
      task.follow == store::FollowMode::kPush ? state->push_schedule : state->schedule;
  std::string last_error;
  for (int n = 0;; ++n) {
    const auto elapsed =
        std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() - started);
    if (elapsed >= schedule.give_up_after) {
      spdlog::warn("task {}: no answer from {} after {} h; no longer following it", id,
                   task.peer_name,
                   std::chrono::duration_cast<std::chrono::hours>(elapsed).count());
      break;
    }
    timer->expires_after(schedule.delay(n, elapsed));
    // A cancelled wait (stop()) is seen through `stopped` below, so the error is not needed.
    co_await timer->async_wait(asio::as_tuple(asio::use_awaitable));
    {
      std::lock_guard lock(state->mutex);
      if (state->stopped) break;
    }
    // What is stored now: a push (or a verb) may have moved the task on meanwhile.
    auto reread = [state, id] { return store::OutboundTasks(state->db).get(id); };
    auto stored = co_await run_blocking(state->blocking, std::move(reread));
    if (stored && !*stored) break;  // removed, or renamed by an adopted peer id
    if (stored) task = std::move(**stored);
    if (a2a::is_terminal(task.task.state)) break;
    a2a::PeerEndpoint endpoint = node::task_endpoint(task);
    auto got = co_await client::get_task(std::move(endpoint), task.wire_id(),
                                         node::kPeerRequestTimeout);
    if (!got) {
      if (got.error().message != last_error) {
        last_error = got.error().message;
        spdlog::warn("task {}: cannot ask {} for its state: {}", id, task.peer_name, last_error);
        auto job = [state, id, last_error] {
          return store::OutboundTasks(state->db).set_error(id, last_error);
        };
        auto st = co_await run_blocking(state->blocking, std::move(job));
        if (!st) spdlog::error("task {}: recording the error: {}", id, st.error().message);
      }
      if (got.error().kind == ErrorKind::kUnknownTask) {
        // The peer lost the task (its store was reset): it will never answer.
        a2a::Task failed = task.task;
        failed.state = a2a::TaskState::kFailed;
        failed.updated_at = std::chrono::system_clock::now();
        // Also as the status message: answer_text reads that before the history, and a
        // stale one from the peer must not pass for the answer.
        failed.status_message = a2a::text_message(
            a2a::Role::kAgent, "peer '" + task.peer_name + "' no longer knows this task");
        failed.history.push_back(*failed.status_message);
        auto job = [state, failed] { return store::OutboundTasks(state->db).update_task(failed); };
        auto st = co_await run_blocking(state->blocking, std::move(job));
        if (!st) spdlog::error("task {}: recording the failure: {}", id, st.error().message);
        state->waiters.notify(id);
        break;
      }
      continue;
    }
    auto recorded = co_await detail::record_peer_view(follower, std::move(task), std::move(*got));
    task = std::move(recorded.task);
    if (recorded.changed) last_error.clear();
    if (a2a::is_terminal(task.task.state)) {
      spdlog::info("task {} to {}: {}", id, task.peer_name, a2a::state_name(task.task.state));
      break;
    }
  }
}

asio::awaitable<void> follow(std::shared_ptr<State> state, store::OutboundTask task) {
  const std::string id = task.task.id;
  auto timer = std::make_shared<asio::steady_timer>(co_await asio::this_coro::executor);
  {
    std::lock_guard lock(state->mutex);
    state->timers[id] = timer;
  }
  detail::Follower follower{state->blocking, &state->db, &state->waiters, state->schedule,
                            [state] {
                              std::lock_guard lock(state->mutex);
                              return state->stopped;
                            },
                            timer};
  bool done = false;
  // Legacy peers have no streams, whatever the row says.
  if (task.follow == store::FollowMode::kStream &&
      task.dialect != a2a::dialect_name(a2a::Dialect::kLegacy)) {
    auto streamed = co_await detail::follow_by_stream(follower, std::move(task));
    task = std::move(streamed.task);
    done = streamed.end != detail::StreamEnd::kRefused;
  }
  if (!done) co_await poll(state, follower, std::move(task));
  std::lock_guard lock(state->mutex);
  state->following.erase(id);
  state->timers.erase(id);
}

}  // namespace

OutboundTracker::OutboundTracker(asio::io_context& ioc, asio::any_io_executor blocking,
                                 store::Database& db, TaskWaiters& waiters,
                                 PollSchedule schedule, PollSchedule push_schedule)
    : state_(std::make_shared<State>(ioc, std::move(blocking), db, waiters, schedule,
                                     push_schedule)) {}

OutboundTracker::~OutboundTracker() { stop(); }

void OutboundTracker::track(const store::OutboundTask& task) {
  if (a2a::is_terminal(task.task.state)) return;
  {
    std::lock_guard lock(state_->mutex);
    if (state_->stopped || !state_->following.insert(task.task.id).second) return;
  }
  asio::co_spawn(asio::make_strand(state_->ioc), follow(state_, task), asio::detached);
}

void OutboundTracker::track_all_active() {
  auto active = store::OutboundTasks(state_->db).list_active();
  if (!active) {
    spdlog::error("cannot list unfinished outbound tasks: {}", active.error().message);
    return;
  }
  for (const auto& t : *active) track(t);
  if (!active->empty()) spdlog::info("following {} unfinished outbound task(s)", active->size());
}

void OutboundTracker::stop() {
  std::lock_guard lock(state_->mutex);
  state_->stopped = true;
  for (auto& [id, weak] : state_->timers) {
    if (auto t = weak.lock()) asio::post(t->get_executor(), [t] { t->cancel(); });
  }
}

}  // namespace constellation::daemon

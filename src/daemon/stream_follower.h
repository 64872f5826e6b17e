#pragma once
/// Following one outbound task, as OutboundTracker does it: the pieces shared by the
/// poller (outbound_tracker.cc) and the stream follower (stream_follower.cc). Internal
/// to the daemon layer.

#include <chrono>
#include <functional>
#include <memory>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include "constellation/daemon/outbound_tracker.h"
#include "constellation/daemon/task_waiters.h"
#include "constellation/store/database.h"
#include "constellation/store/outbound_tasks.h"

namespace constellation::daemon::detail {

/// What following one task needs from the tracker.
struct Follower {
  boost::asio::any_io_executor blocking;  ///< store writes run here
  store::Database* db = nullptr;
  TaskWaiters* waiters = nullptr;  ///< `wait` verbs, woken after every stored change
  PollSchedule schedule;
  std::function<bool()> stopped;  ///< OutboundTracker::stop() was called
  /// This follower's timer (on its strand); OutboundTracker::stop() cancels it.
  std::shared_ptr<boost::asio::steady_timer> timer;
};

/// Whether the peer told us anything new: the state or any part of the answer.
bool same_task(const a2a::Task& a, const a2a::Task& b);

struct Recorded {
  store::OutboundTask task;  ///< as we now have it
  bool changed = false;      ///< stored, and the waiters woken
};

/// Merges the peer's view of the task into ours (node::merge_peer_view); when that
/// tells anything new, stores it and wakes the task's waiters.
boost::asio::awaitable<Recorded> record_peer_view(Follower follower, store::OutboundTask task,
                                                  a2a::Task theirs);

/// How long a stream may stay silent before we take it for dead: well above the
/// keep-alive interval of any server we know (ours: 15 s by default).
inline constexpr std::chrono::seconds kStreamIdleTimeout{60};

enum class StreamEnd {
  kFinished,  ///< the task is terminal (or we gave up on it)
  kStopped,   ///< the tracker stopped
  kRefused,   ///< the peer does not stream this task: poll it instead
};
struct StreamOutcome {
  StreamEnd end = StreamEnd::kStopped;
  store::OutboundTask task;  ///< as we last stored it
};

/// Follows `task` through the peer's SubscribeToTask / tasks/resubscribe stream,
/// applying every event to the stored task, until it is terminal. A dropped stream is
/// resubscribed with growing pauses (1 s doubling to 30 s); a stream that ends while
/// the task waits for our input is looked at again on the poll schedule. When the peer
/// refuses to stream (a JSON-RPC error or no text/event-stream), records FollowMode
/// kPoll for the task and returns kRefused.
boost::asio::awaitable<StreamOutcome> follow_by_stream(Follower follower, store::OutboundTask task);

}  // namespace constellation::daemon::detail

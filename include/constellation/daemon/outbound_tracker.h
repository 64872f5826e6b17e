#pragma once
/// Follows our outbound tasks until they end, once per task for the whole daemon, so
/// no `wait` process ever polls a peer. Legacy peers can only be polled: intervals
/// start short (most answers come fast) and grow (a slow task costs little).

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_set>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/io_context.hpp>

#include "constellation/daemon/task_waiters.h"
#include "constellation/store/database.h"
#include "constellation/store/outbound_tasks.h"

namespace constellation::daemon {

struct PollSchedule {
  std::chrono::milliseconds first{200};
  double growth = 1.5;
  std::chrono::milliseconds cap{2000};
  /// After this long the task is polled every `slow` only.
  std::chrono::milliseconds slow_after{std::chrono::minutes(10)};
  std::chrono::milliseconds slow{std::chrono::seconds(15)};
  /// Give up following a task after this long (its row stays; `wait` still reads it).
  std::chrono::milliseconds give_up_after{std::chrono::hours(24)};

  /// The delay before poll number `n` (0-based) made `elapsed` after the task started.
  std::chrono::milliseconds delay(int n, std::chrono::milliseconds elapsed) const;

  /// For tasks whose peer pushes: a rare check in case a delivery never arrives (the
  /// peer cannot reach our callback URL, or gave up), not the way answers come.
  static PollSchedule safety_net();
};

class OutboundTracker {
 public:
  OutboundTracker(boost::asio::io_context& ioc, boost::asio::any_io_executor blocking,
                  store::Database& db, TaskWaiters& waiters, PollSchedule schedule = {},
                  PollSchedule push_schedule = PollSchedule::safety_net());
  ~OutboundTracker();

  /// Starts following the task unless it is followed already or finished. Any thread.
  void track(const store::OutboundTask& task);
  /// Follows every unfinished task in the store (at start-up).
  void track_all_active();
  /// Stops every follower; in-flight polls end at their deadline.
  void stop();

  struct State;

 private:
  std::shared_ptr<State> state_;
};

}  // namespace constellation::daemon

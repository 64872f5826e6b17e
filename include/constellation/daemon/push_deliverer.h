#pragma once
/// Posts changes of inbound tasks to the callbacks their senders registered, from the
/// queue in the store (push_deliveries): at once when told (`kick`), again with growing
/// delays while the sender cannot be reached, and after a restart for whatever was
/// left. One delivery loop per task at a time, so a task's states arrive in order.

#include <chrono>
#include <memory>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/io_context.hpp>

#include "constellation/store/database.h"

namespace constellation::daemon {

struct PushRetry {
  std::chrono::milliseconds first{500};
  double growth = 2.0;
  std::chrono::milliseconds cap{std::chrono::seconds(60)};
  /// A delivery failing for this long is given up (the sender's daemon also polls
  /// pushed tasks now and then, so it still learns the outcome).
  std::chrono::milliseconds give_up_after{std::chrono::hours(24)};
  /// Deadline of one POST.
  std::chrono::milliseconds timeout{std::chrono::seconds(5)};
  /// How often the queue is re-read for deliveries queued by other processes (a
  /// `respond` that ran without the daemon).
  std::chrono::milliseconds rescan{std::chrono::seconds(30)};

  /// The delay after the `attempts`-th failure (1-based).
  std::chrono::milliseconds delay(int attempts) const;
};

class PushDeliverer {
 public:
  PushDeliverer(boost::asio::io_context& ioc, boost::asio::any_io_executor blocking,
                store::Database& db, PushRetry retry = {});
  ~PushDeliverer();
  PushDeliverer(const PushDeliverer&) = delete;
  PushDeliverer& operator=(const PushDeliverer&) = delete;

  /// Delivers everything queued, then keeps re-reading the queue.
  void start();
  /// The task changed: deliver its queued state now. Any thread.
  void kick(const std::string& task_id);
  /// Ends every loop; a POST in flight ends at its deadline.
  void stop();

  struct State;

 private:
  std::shared_ptr<State> state_;
};

}  // namespace constellation::daemon

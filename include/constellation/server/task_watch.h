#pragma once
/// Waiting for a stored task to change, as the A2A handler needs it to hold a blocking
/// send open until the local agent responds. The daemon implements it (TaskWaiters).

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

namespace constellation::server {

class TaskWatch {
 public:
  virtual ~TaskWatch() = default;
  /// Resolves when the task is reported changed (true) or at the deadline (false).
  virtual boost::asio::awaitable<bool> wait_until(std::chrono::steady_clock::time_point deadline) = 0;
  /// The source is shutting down: waiting again would return at once.
  virtual bool closed() const = 0;
};

/// Starts watching `task_id` for a coroutine running on `executor`. Made before the
/// caller re-reads the store, so a change between the read and the wait is not missed.
using WatchTask = std::function<std::unique_ptr<TaskWatch>(const std::string& task_id,
                                                           const boost::asio::any_io_executor& executor)>;

}  // namespace constellation::server

#pragma once
/// Who is blocked in `wait` on which task. The daemon notifies a task id when the
/// task's stored state changes; every waiter on it wakes at once. No polling here.

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include "constellation/server/task_watch.h"

namespace constellation::daemon {

class TaskWaiters {
 public:
  /// A registration made before the caller checks the store, so a change between the
  /// check and the wait is never missed. Deregisters when destroyed.
  class Ticket : public server::TaskWatch {
   public:
    Ticket(TaskWaiters& owner, std::string task_id, std::shared_ptr<boost::asio::steady_timer> t);
    ~Ticket() override;
    Ticket(const Ticket&) = delete;
    Ticket& operator=(const Ticket&) = delete;
    /// Waits for a notification or the deadline. True when notified; the notification
    /// is consumed, so the next call waits for a new one.
    boost::asio::awaitable<bool> wait_until(std::chrono::steady_clock::time_point deadline) override;
    bool closed() const override;

   private:
    TaskWaiters& owner_;
    std::string task_id_;
    std::shared_ptr<boost::asio::steady_timer> timer_;
  };

  /// Registers a waiter on the calling coroutine's executor.
  std::unique_ptr<Ticket> enter(const std::string& task_id,
                                const boost::asio::any_io_executor& executor);
  /// Wakes every waiter on the task. Any thread.
  void notify(const std::string& task_id);
  /// Wakes everyone (shutdown); later waits return at once.
  void notify_all();

 private:
  friend class Ticket;
  void leave(const std::string& task_id, const boost::asio::steady_timer* timer);
  void wake(const std::shared_ptr<boost::asio::steady_timer>& timer);

  mutable std::mutex mutex_;
  bool closed_ = false;
  std::unordered_map<std::string, std::vector<std::weak_ptr<boost::asio::steady_timer>>> waiting_;
};

}  // namespace constellation::daemon

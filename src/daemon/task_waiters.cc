#include "constellation/daemon/task_waiters.h"

#include <algorithm>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace constellation::daemon {

namespace asio = boost::asio;

TaskWaiters::Ticket::Ticket(TaskWaiters& owner, std::string task_id,
                            std::shared_ptr<asio::steady_timer> t)
    : owner_(owner), task_id_(std::move(task_id)), timer_(std::move(t)) {}

TaskWaiters::Ticket::~Ticket() { owner_.leave(task_id_, timer_.get()); }

asio::awaitable<bool> TaskWaiters::Ticket::wait_until(std::chrono::steady_clock::time_point deadline) {
  {
    std::lock_guard lock(owner_.mutex_);
    if (owner_.closed_) co_return true;
  }
  // A notification that raced ahead of this call has already expired the timer at
  // time_point::min(); do not overwrite it with the deadline.
  if (timer_->expiry() != asio::steady_timer::time_point::min()) timer_->expires_at(deadline);
  auto [ec] = co_await timer_->async_wait(asio::as_tuple(asio::use_awaitable));
  const bool notified = ec == asio::error::operation_aborted ||
                        timer_->expiry() == asio::steady_timer::time_point::min();
  // Consume the notification: a task that changes but stays open (submitted → working)
  // must not turn the caller's next wait into a busy loop.
  if (notified) timer_->expires_at(asio::steady_timer::time_point::max());
  co_return notified;
}

bool TaskWaiters::Ticket::closed() const {
  std::lock_guard lock(owner_.mutex_);
  return owner_.closed_;
}

std::unique_ptr<TaskWaiters::Ticket> TaskWaiters::enter(const std::string& task_id,
                                                        const asio::any_io_executor& executor) {
  auto timer = std::make_shared<asio::steady_timer>(executor);
  timer->expires_at(asio::steady_timer::time_point::max());
  {
    std::lock_guard lock(mutex_);
    waiting_[task_id].push_back(timer);
  }
  return std::make_unique<Ticket>(*this, task_id, std::move(timer));
}

void TaskWaiters::wake(const std::shared_ptr<asio::steady_timer>& timer) {
  // Timers are not thread-safe: touch each only from its own executor (its strand).
  asio::post(timer->get_executor(), [timer] {
    timer->expires_at(asio::steady_timer::time_point::min());  // also cancels a pending wait
  });
}

void TaskWaiters::notify(const std::string& task_id) {
  std::vector<std::shared_ptr<asio::steady_timer>> to_wake;
  {
    std::lock_guard lock(mutex_);
    auto it = waiting_.find(task_id);
    if (it == waiting_.end()) return;
    for (auto& weak : it->second)
      if (auto t = weak.lock()) to_wake.push_back(std::move(t));
  }
  for (auto& t : to_wake) wake(t);
}

void TaskWaiters::notify_all() {
  std::vector<std::shared_ptr<asio::steady_timer>> to_wake;
  {
    std::lock_guard lock(mutex_);
    closed_ = true;
    for (auto& [id, list] : waiting_)
      for (auto& weak : list)
        if (auto t = weak.lock()) to_wake.push_back(std::move(t));
  }
  for (auto& t : to_wake) wake(t);
}

void TaskWaiters::leave(const std::string& task_id, const asio::steady_timer* timer) {
  std::lock_guard lock(mutex_);
  auto it = waiting_.find(task_id);
  if (it == waiting_.end()) return;
  auto& list = it->second;
  list.erase(std::remove_if(list.begin(), list.end(),
                            [timer](const auto& w) {
                              auto t = w.lock();
                              return !t || t.get() == timer;
                            }),
             list.end());
  if (list.empty()) waiting_.erase(it);
}

}  // namespace constellation::daemon

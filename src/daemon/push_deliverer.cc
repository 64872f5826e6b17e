#include "constellation/daemon/push_deliverer.h"

#include <algorithm>
#include <cmath>
#include <mutex>
#include <unordered_map>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "constellation/a2a/push.h"
#include "constellation/client/http_client.h"
#include "constellation/server/task_service.h"
#include "constellation/store/inbound_tasks.h"
#include "constellation/store/push_deliveries.h"
#include "constellation/util/run_blocking.h"

namespace constellation::daemon {

namespace asio = boost::asio;
using std::chrono::milliseconds;

milliseconds PushRetry::delay(int attempts) const {
  const double grown = static_cast<double>(first.count()) * std::pow(growth, std::clamp(attempts - 1, 0, 40));
  return std::min(cap, milliseconds(static_cast<long long>(grown)));
}

struct PushDeliverer::State {
  asio::io_context& ioc;
  asio::any_io_executor blocking;
  store::Database& db;
  PushRetry retry;
  std::mutex mutex;
  bool stopped = false;
  struct Loop {
    std::shared_ptr<asio::steady_timer> timer;
    bool kicked = false;  ///< a change arrived since the loop last read the queue
  };
  std::unordered_map<std::string, Loop> loops;
  std::shared_ptr<asio::steady_timer> rescan_timer;

  State(asio::io_context& i, asio::any_io_executor b, store::Database& d, PushRetry r)
      : ioc(i), blocking(std::move(b)), db(d), retry(r) {}
};

namespace {

using State = PushDeliverer::State;

/// What one attempt needs, read together from the store.
struct Pending {
  store::PushDelivery delivery;
  std::optional<store::InboundTask> task;
};

Result<std::optional<Pending>> read_pending(store::Database& db, const std::string& id) {
  auto delivery = store::PushDeliveries(db).get(id);
  if (!delivery) return delivery.error();
  if (!*delivery) return std::optional<Pending>{};
  auto task = store::InboundTasks(db).get(id);
  if (!task) return task.error();
  return std::optional<Pending>{Pending{std::move(**delivery), std::move(*task)}};
}

/// One POST of the task as it stands. "" on a 2xx, else what went wrong.
asio::awaitable<std::string> post_task(std::shared_ptr<State> state, store::InboundTask task) {
  const a2a::PushConfig& config = *task.push;
  std::string err;
  auto url = client::parse_http_url(config.url, &err);
  if (!url) co_return "callback " + config.url + ": " + err;
  const auto dialect = a2a::dialect_from_name(task.dialect).value_or(a2a::Dialect::kV03);
  client::ClientRequest req;
  req.method = "POST";
  req.target = url->path;
  req.content_type = a2a::push_content_type(dialect);
  req.body = a2a::push_body(dialect, server::standard_view(task.task, std::nullopt)).dump();
  if (!config.token.empty()) req.headers.emplace_back(a2a::kNotificationTokenHeader, config.token);
  if (auto auth = a2a::authorization_value(config); !auth.empty()) {
    req.headers.emplace_back("Authorization", std::move(auth));
  }
  auto res = co_await client::http_call(url->target, std::move(req), state->retry.timeout);
  if (!res) co_return res.error().message;
  if (res->status < 200 || res->status > 299) {
    std::string reason = res->body.substr(0, 200);
    while (!reason.empty() && (reason.back() == '\n' || reason.back() == '\r')) reason.pop_back();
    co_return "callback " + config.url + " answered HTTP " + std::to_string(res->status) +
        (reason.empty() ? "" : ": " + reason);
  }
  co_return std::string();
}

/// Whether the loop should go on: false once stopped; consumes a pending kick.
bool take_kick(State& state, const std::string& id, bool* kicked) {
  std::lock_guard lock(state.mutex);
  if (state.stopped) return false;
  auto& loop = state.loops[id];
  *kicked = loop.kicked;
  loop.kicked = false;
  return true;
}

asio::awaitable<void> deliver_loop(std::shared_ptr<State> state, std::string id,
                                   std::shared_ptr<asio::steady_timer> timer) {
  for (;;) {
    bool kicked = false;
    if (!take_kick(*state, id, &kicked)) break;
    auto read = [state, id] { return read_pending(state->db, id); };
    auto pending = co_await run_blocking(state->blocking, std::move(read));
    if (!pending) {
      spdlog::error("push for task {}: {}", id, pending.error().message);
      timer->expires_after(state->retry.cap);
      co_await timer->async_wait(asio::as_tuple(asio::use_awaitable));
      continue;
    }
    if (!*pending) {
      // Nothing queued. Leave unless a kick came in since the read.
      std::lock_guard lock(state->mutex);
      auto it = state->loops.find(id);
      if (it != state->loops.end() && it->second.kicked && !state->stopped) continue;
      state->loops.erase(id);
      co_return;
    }
    Pending& p = **pending;
    if (!p.task || !p.task->push) {
      // The task is gone or no longer has a callback: nobody to tell.
      auto drop = [state, id] { return store::PushDeliveries(state->db).drop(id); };
      if (auto st = co_await run_blocking(state->blocking, std::move(drop)); !st) {
        spdlog::error("push for task {}: {}", id, st.error().message);
      }
      continue;
    }
    const auto now = std::chrono::system_clock::now();
    if (p.delivery.next_attempt_at > now && !kicked) {
      timer->expires_after(std::chrono::duration_cast<milliseconds>(p.delivery.next_attempt_at - now));
      co_await timer->async_wait(asio::as_tuple(asio::use_awaitable));
      continue;  // re-read: a kick may have brought a newer state
    }
    const std::string failure = co_await post_task(state, *p.task);
    const long long version = p.delivery.version;
    const std::string state_name = a2a::state_name(p.task->task.state);
    if (failure.empty()) {
      if (p.delivery.attempts > 0) {
        spdlog::info("task {}: delivered '{}' to {} after {} failed attempt(s)", id, state_name,
                     p.task->push->url, p.delivery.attempts);
      } else {
        spdlog::debug("task {}: delivered '{}' to {}", id, state_name, p.task->push->url);
      }
      auto done = [state, id, version] { return store::PushDeliveries(state->db).complete(id, version); };
      auto removed = co_await run_blocking(state->blocking, std::move(done));
      if (!removed) spdlog::error("push for task {}: {}", id, removed.error().message);
      continue;  // a newer state may be queued
    }
    const int attempts = p.delivery.attempts + 1;
    const auto age = now - p.task->task.updated_at;
    if (age > state->retry.give_up_after) {
      spdlog::warn("task {}: giving up delivering '{}' to {} after {} attempts: {}", id,
                   state_name, p.task->push->url, attempts, failure);
      auto drop = [state, id] { return store::PushDeliveries(state->db).drop(id); };
      if (auto st = co_await run_blocking(state->blocking, std::move(drop)); !st) {
        spdlog::error("push for task {}: {}", id, st.error().message);
      }
      continue;
    }
    const auto delay = state->retry.delay(attempts);
    // The first failure and then every tenth: a sender that is down for hours must not
    // flood the log.
    if (attempts == 1 || attempts % 10 == 0) {
      spdlog::warn("task {}: cannot deliver '{}' to its sender ({}); retrying in {} ms (attempt {})",
                   id, state_name, failure, delay.count(), attempts);
    }
    auto record = [state, id, version, next = now + delay, failure] {
      return store::PushDeliveries(state->db).failed(id, version, next, failure);
    };
    if (auto st = co_await run_blocking(state->blocking, std::move(record)); !st) {
      spdlog::error("push for task {}: {}", id, st.error().message);
    }
  }
  std::lock_guard lock(state->mutex);
  state->loops.erase(id);
}

void kick_task(const std::shared_ptr<State>& state, const std::string& id) {
  std::shared_ptr<asio::steady_timer> timer;
  {
    std::lock_guard lock(state->mutex);
    if (state->stopped) return;
    auto [it, inserted] = state->loops.try_emplace(id);
    it->second.kicked = true;
    if (!inserted) {
      if (auto t = it->second.timer) asio::post(t->get_executor(), [t] { t->cancel(); });
      return;
    }
    timer = std::make_shared<asio::steady_timer>(asio::make_strand(state->ioc));
    it->second.timer = timer;
  }
  // Outside the lock: co_spawn may start the loop right here, and it takes the lock.
  asio::co_spawn(timer->get_executor(), deliver_loop(state, id, timer), asio::detached);
}

asio::awaitable<void> rescan_loop(std::shared_ptr<State> state) {
  auto timer = std::make_shared<asio::steady_timer>(co_await asio::this_coro::executor);
  {
    std::lock_guard lock(state->mutex);
    state->rescan_timer = timer;
  }
  for (;;) {
    {
      std::lock_guard lock(state->mutex);
      if (state->stopped) co_return;
    }
    auto list = [state] { return store::PushDeliveries(state->db).list(); };
    auto pending = co_await run_blocking(state->blocking, std::move(list));
    if (!pending) {
      spdlog::error("reading queued push deliveries: {}", pending.error().message);
    } else {
      for (const auto& d : *pending) {
        bool running = false;
        {
          std::lock_guard lock(state->mutex);
          running = state->loops.contains(d.task_id);
        }
        if (!running) kick_task(state, d.task_id);
      }
    }
    timer->expires_after(state->retry.rescan);
    co_await timer->async_wait(asio::as_tuple(asio::use_awaitable));
  }
}

}  // namespace

PushDeliverer::PushDeliverer(asio::io_context& ioc, asio::any_io_executor blocking,
                             store::Database& db, PushRetry retry)
    : state_(std::make_shared<State>(ioc, std::move(blocking), db, retry)) {}

PushDeliverer::~PushDeliverer() { stop(); }

void PushDeliverer::start() {
  asio::co_spawn(asio::make_strand(state_->ioc), rescan_loop(state_), asio::detached);
}

void PushDeliverer::kick(const std::string& task_id) { kick_task(state_, task_id); }

void PushDeliverer::stop() {
  std::lock_guard lock(state_->mutex);
  state_->stopped = true;
  for (auto& [id, loop] : state_->loops) {
    if (auto t = loop.timer) asio::post(t->get_executor(), [t] { t->cancel(); });
  }
  if (auto t = state_->rescan_timer) asio::post(t->get_executor(), [t] { t->cancel(); });
}

}  // namespace constellation::daemon

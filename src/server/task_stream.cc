#include "constellation/server/task_stream.h"

#include <optional>

#include <boost/asio/this_coro.hpp>
#include <spdlog/spdlog.h>

#include "constellation/a2a/sse.h"
#include "constellation/util/run_blocking.h"

namespace constellation::server {

namespace {

/// Counts the stream as open for its lifetime and logs how it ended, however the
/// coroutine ends (an Asio cancellation arrives as an exception).
class StreamLog {
 public:
  StreamLog(std::shared_ptr<StreamCounter> counter, std::string task_id)
      : counter_(std::move(counter)), task_id_(std::move(task_id)) {
    int open = 1;
    if (counter_) {
      id_ = counter_->next_id++;
      open = ++counter_->open;
    }
    spdlog::info("stream {} of task {} opened ({} open)", id_, task_id_, open);
  }
  ~StreamLog() {
    const int open = counter_ ? --counter_->open : 0;
    spdlog::info("stream {} of task {} ended: {} ({} open)", id_, task_id_,
                 reason_.empty() ? "client gone or server stopping" : reason_, open);
  }
  StreamLog(const StreamLog&) = delete;
  StreamLog& operator=(const StreamLog&) = delete;
  void ended(std::string reason) { reason_ = std::move(reason); }

 private:
  std::shared_ptr<StreamCounter> counter_;
  std::string task_id_;
  std::uint64_t id_ = 0;
  std::string reason_;
};

}  // namespace

HttpResponse sse_response(StreamProducer producer) {
  HttpResponse r;
  r.content_type = "text/event-stream";
  r.headers.emplace_back("Cache-Control", "no-cache");
  // nginx and friends buffer responses unless told otherwise (the JS SDK sends it too).
  r.headers.emplace_back("X-Accel-Buffering", "no");
  r.stream = std::move(producer);
  return r;
}

boost::asio::awaitable<void> stream_task(TaskStreamDeps deps, StreamPlan plan,
                                         StreamWriter& writer) {
  using Clock = std::chrono::steady_clock;
  // Cancellation (the client went away) is checked after each wait rather than thrown:
  // see http_server.cc on why a cancelled coroutine must not throw in Boost 1.81.
  co_await boost::asio::this_coro::throw_if_cancelled(false);
  auto cancel_state = co_await boost::asio::this_coro::cancellation_state;
  const auto cancelled = [&cancel_state] {
    return cancel_state.cancelled() != boost::asio::cancellation_type::none;
  };
  StreamLog log(deps.counter, plan.task_id);
  // Watch first, read second: a change between the two is not missed.
  auto watch = deps.watch_task(plan.task_id, co_await boost::asio::this_coro::executor);
  std::optional<a2a::Task> seen;
  for (;;) {
    auto read = [rpc = deps.rpc, &plan] { return rpc->stream_view(plan); };
    auto now = co_await run_blocking(deps.blocking, std::move(read));
    if (cancelled()) co_return;
    if (auto* e = std::get_if<A2aError>(&now)) {
      log.ended("error " + std::to_string(e->code) + ": " + e->message);
      co_await writer.write(a2a::sse_event(plan.render_error(*e), "error"));
      co_return;
    }
    const a2a::Task& task = std::get<a2a::Task>(now);
    for (const auto& event : a2a::task_events(seen ? &*seen : nullptr, task)) {
      if (!co_await writer.write(a2a::sse_event(plan.render(event)))) {
        log.ended("write failed (client gone or too slow)");
        co_return;
      }
    }
    seen = task;
    if (a2a::ends_stream(task.state)) {
      log.ended(std::string("task ") + a2a::state_name(task.state));
      co_return;
    }
    // Until the task changes: keep-alive comments every `keepalive`.
    for (;;) {
      if (watch->closed()) {
        log.ended("server stopping");
        co_return;
      }
      const bool changed = co_await watch->wait_until(Clock::now() + deps.keepalive);
      if (cancelled()) co_return;
      if (changed) break;
      if (!co_await writer.write(a2a::sse_comment("keep-alive"))) {
        log.ended("write failed (client gone or too slow)");
        co_return;
      }
    }
  }
}

}  // namespace constellation::server

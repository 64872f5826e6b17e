#pragma once
/// The SSE stream of one task (a2a-wire.md §2.5, §3.5 "Streaming"): the Task first, then
/// the events of every stored change (stream_events.h), keep-alive comments while
/// nothing happens, and the end once the task is terminal or waits for input. Written
/// against StreamWriter and TaskWatch, so it runs in unit tests without a socket.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "constellation/server/http_message.h"
#include "constellation/server/rpc_service.h"
#include "constellation/server/task_watch.h"

namespace constellation::server {

/// Streams currently open, for the logs (and the tests that read them).
struct StreamCounter {
  std::atomic<int> open{0};
  std::atomic<std::uint64_t> next_id{1};
};

struct TaskStreamDeps {
  RpcService* rpc = nullptr;
  boost::asio::any_io_executor blocking;  ///< store reads run here
  WatchTask watch_task;
  /// A `: keep-alive` comment goes out after this long without an event ([a2a]
  /// stream_keepalive), so proxies and clients with idle timeouts keep the stream.
  std::chrono::milliseconds keepalive{std::chrono::seconds(15)};
  std::shared_ptr<StreamCounter> counter;  ///< may be null
};

/// Runs the stream of `plan` into `writer` until the task settles, the writer fails,
/// the watch closes (shutdown) or the caller cancels the coroutine (client gone). A
/// store failure or a task that disappears ends the stream with an `event: error`.
/// Logs one line when the stream opens and one when it ends, with the reason and the
/// number of streams still open.
boost::asio::awaitable<void> stream_task(TaskStreamDeps deps, StreamPlan plan,
                                         StreamWriter& writer);

/// The head of an SSE response (200, text/event-stream, no caching or proxy buffering)
/// whose body `producer` writes.
HttpResponse sse_response(StreamProducer producer);

}  // namespace constellation::server

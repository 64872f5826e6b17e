#pragma once
/// Runs a blocking call (SQLite, a synchronous client) on a thread pool and resumes the
/// awaiting coroutine on its own executor, so a slow disk never stalls the I/O threads.
///
/// GCC 12 destroys a capturing lambda twice when the lambda is a temporary inside a
/// co_await expression (asio issue #858), so: run_blocking itself is not a coroutine,
/// and callers name their lambda before awaiting, e.g.
///   auto job = [db, id] { return load(db, id); };
///   auto task = co_await run_blocking(pool, std::move(job));
///
/// The call cannot be interrupted, so the awaiting coroutine's cancellation is not
/// passed on: a cancelled caller still gets the result (and a cancellation reaching
/// the pool's coroutine could otherwise throw from co_spawn's epilogue there).

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <type_traits>
#include <utility>

namespace constellation {

template <class Fn>
boost::asio::awaitable<std::invoke_result_t<Fn&>> run_blocking(boost::asio::any_io_executor pool,
                                                               Fn fn) {
  using R = std::invoke_result_t<Fn&>;
  static_assert(std::is_default_constructible_v<R>,
                "co_spawn needs a default-constructible result");
  return boost::asio::co_spawn(
      pool, [fn = std::move(fn)]() mutable -> boost::asio::awaitable<R> { co_return fn(); },
      boost::asio::bind_cancellation_slot(boost::asio::cancellation_slot(),
                                          boost::asio::use_awaitable));
}

}  // namespace constellation

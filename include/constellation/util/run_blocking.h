#pragma once
/// Runs a blocking call (SQLite, a synchronous client) on a thread pool and resumes the
/// awaiting coroutine on its own executor, so a slow disk never stalls the I/O threads.

#include <optional>
#include <type_traits>
#include <utility>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace constellation {

template <class Fn>
boost::asio::awaitable<std::invoke_result_t<Fn&>> run_blocking(boost::asio::any_io_executor pool,
                                                               Fn fn) {
  using R = std::invoke_result_t<Fn&>;
  // co_spawn wants a default-constructible result; Result<T> is not, std::optional is.
  auto out = co_await boost::asio::co_spawn(
      pool,
      [fn = std::move(fn)]() mutable -> boost::asio::awaitable<std::optional<R>> {
        co_return std::optional<R>(fn());
      },
      boost::asio::use_awaitable);
  co_return std::move(*out);
}

}  // namespace constellation

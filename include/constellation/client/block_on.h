#pragma once
/// Runs one coroutine to completion on a private io_context: how short-lived CLI
/// processes reuse the daemon's async client code without a thread pool.

#include <exception>
#include <string>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include "constellation/client/outbound.h"
#include "constellation/util/error.h"

namespace constellation::client {

/// `outbound`: how the calls it makes present themselves (see outbound.h).
template <class T>
Result<T> block_on(boost::asio::awaitable<Result<T>> op, const Outbound& outbound = {}) {
  boost::asio::io_context ioc;
  set_outbound(ioc, outbound);
  auto future = boost::asio::co_spawn(ioc, std::move(op), boost::asio::use_future);
  ioc.run();
  try {
    return future.get();
  } catch (const std::exception& e) {
    return make_error(ErrorKind::kInternal, std::string("unexpected failure: ") + e.what());
  }
}

}  // namespace constellation::client

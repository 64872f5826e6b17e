#pragma once
/// An HTTP/1.1 server on TCP or a Unix socket: a listener that accepts and one session
/// per connection, each on its own strand. The handler sees plain HttpRequests.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>

#include "constellation/server/http_message.h"
#include "constellation/server/limit_log.h"
#include "constellation/util/error.h"

namespace constellation::server {

class HttpServer {
 public:
  /// `render_refusal` words the replies to requests a limit refuses; `limit_log` (shared
  /// with whatever else reports limit hits; a private one when null) logs those hits.
  HttpServer(boost::asio::io_context& ioc, HttpHandler handler, ServerLimits limits,
             std::string name_for_logs, RefusalRenderer render_refusal = plain_refusal,
             std::shared_ptr<LimitLog> limit_log = nullptr);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  /// Binds and starts accepting. Errors name the step: "bind 127.0.0.2:7777: Address
  /// already in use".
  Status listen_tcp(const std::string& host, std::uint16_t port);
  /// Binds a Unix socket with mode 0600 (the file must not exist).
  Status listen_unix(const std::filesystem::path& path);

  /// The port actually bound (useful with port 0).
  std::uint16_t local_port() const;

  /// Connections currently open.
  std::size_t connection_count() const;

  /// Stops accepting, closes idle keep-alive connections and lets busy ones finish their
  /// current response (then close). Safe to call from any thread, more than once.
  void stop();

  struct State;

 private:
  std::shared_ptr<State> state_;
};

}  // namespace constellation::server

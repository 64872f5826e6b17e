#pragma once
/// A small HTTP/1.1 client: one request per connection, a deadline over the whole
/// exchange, over TCP or a Unix socket. Errors name the phase and the target:
/// "connect to 127.0.0.3:7777: Connection refused".

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "constellation/util/error.h"

namespace constellation::client {

/// Where to connect: a TCP host and port, or a Unix socket path.
struct HttpTarget {
  std::string host;
  std::uint16_t port = 0;
  std::string unix_path;  ///< when non-empty, host/port are ignored
  std::string describe() const;
};

struct ClientRequest {
  std::string method = "GET";
  std::string target = "/";  ///< path and query
  std::vector<std::pair<std::string, std::string>> headers;
  std::string content_type;  ///< sent when body is non-empty or this is set
  std::string body;
};

struct ClientResponse {
  int status = 0;
  std::string content_type;
  std::string body;
};

/// A parsed http(s) URL. Only http is spoken; https is refused with a clear error.
struct HttpUrl {
  HttpTarget target;
  std::string path;  ///< path and query, at least "/"
};
std::optional<HttpUrl> parse_http_url(const std::string& url, std::string* err);

/// Largest response body we accept (cards, tasks); bigger replies are a peer error. A
/// task may hold a request's files and an answer's, each up to the ceiling of
/// `[files] max_bytes` (16 MiB, config.h) in base64, beside 8 MiB of text.
inline constexpr std::size_t kMaxResponseBytes =
    2 * ((std::size_t{16} << 20) + 2) / 3 * 4 + 8 * 1024 * 1024;

/// Failures: kPeerUnreachable for resolve/connect/read/write/timeout problems (the
/// message names the phase), kPeerError for an unreadable HTTP reply.
boost::asio::awaitable<Result<ClientResponse>> http_call(HttpTarget target, ClientRequest request,
                                                         std::chrono::milliseconds timeout);

/// A reply whose body is read as it arrives (an SSE stream), over TCP. Made by
/// open_stream; closing it (destroying it) closes the connection.
class BodyStream {
 public:
  virtual ~BodyStream() = default;
  virtual int status() const = 0;
  virtual const std::string& content_type() const = 0;
  /// The next bytes of the body as soon as any arrive; nullopt once the body has ended
  /// (the server closed it). Silence longer than `idle` is a kPeerUnreachable error
  /// ("read stream from 127.0.0.3:7777: timed out"), as is a dropped connection.
  virtual boost::asio::awaitable<Result<std::optional<std::string>>> next(
      std::chrono::milliseconds idle) = 0;
  /// The rest of the body (for a reply that is not a stream, e.g. a JSON-RPC error),
  /// at most kMaxResponseBytes, within `timeout`.
  virtual boost::asio::awaitable<Result<std::string>> rest(std::chrono::milliseconds timeout) = 0;
};

/// Connects, sends `request` and reads the reply's head, all within `timeout`; the body
/// is then read with BodyStream::next under an idle deadline instead of a whole-exchange
/// one. Only TCP targets. Errors as http_call's.
boost::asio::awaitable<Result<std::unique_ptr<BodyStream>>> open_stream(
    HttpTarget target, ClientRequest request, std::chrono::milliseconds timeout);

/// Runs http_call to completion on a private io_context (for CLI processes).
Result<ClientResponse> http_call_blocking(const HttpTarget& target, const ClientRequest& request,
                                          std::chrono::milliseconds timeout);

}  // namespace constellation::client

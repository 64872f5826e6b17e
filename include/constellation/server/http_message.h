#pragma once
/// HTTP requests and responses as handlers see them: plain values, no Beast types, so
/// routing and JSON-RPC logic compile and test without Asio.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/asio/awaitable.hpp>

namespace constellation::server {

struct HttpRequest {
  std::string method;  ///< "GET", "POST", …
  std::string target;  ///< path and query, as sent
  std::map<std::string, std::string> headers;  ///< names lowercased
  std::string body;
  std::string remote_address;  ///< peer IP for TCP; empty on the control socket

  /// The header's value, or "" when absent. `name` must be lowercase.
  const std::string& header(const std::string& name) const;
  /// target without the query string.
  std::string_view path() const;
};

/// Where a streamed response body goes. The HTTP session implements it over its socket;
/// unit tests implement it over a string.
class StreamWriter {
 public:
  virtual ~StreamWriter() = default;
  /// Sends `data` as it is (one HTTP chunk), within the server's write timeout. A write
  /// in progress is not interrupted, so what a producer writes in one call arrives
  /// whole or not at all. False when the client is gone or the write failed or timed
  /// out: the producer should return then.
  virtual boost::asio::awaitable<bool> write(std::string data) = 0;
};

/// Produces a streamed body (Server-Sent Events), running on the connection's strand
/// after the head went out. Returns when the stream is complete; the session then ends
/// the chunked body and closes the connection. When the client goes away or the server
/// stops, the session cancels the producer's pending operation (an Asio cancellation
/// through the coroutine): a producer must wait only in cancellable operations, and
/// its destructors clean up (no watcher outlives it).
using StreamProducer = std::function<boost::asio::awaitable<void>(StreamWriter& writer)>;

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  /// When set, the body is streamed by this producer (chunked, `Connection: close`)
  /// and `body` is ignored. Deadlines: each write has the write timeout; the stream as
  /// a whole has none (the producer keeps it alive, e.g. with SSE comments).
  StreamProducer stream{};
};

HttpResponse json_response(int status, std::string body);
HttpResponse text_response(int status, std::string body);

/// Handles one request. Runs on the connection's strand; must not throw (the session
/// turns an escaped exception into a 500 and logs it, but that is a bug).
using HttpHandler = std::function<boost::asio::awaitable<HttpResponse>(HttpRequest)>;

/// Limits applied to every connection (Beast example rule: a limit on every input and a
/// deadline on every I/O step).
struct ServerLimits {
  /// 1 MiB of text and JSON; `serve` adds room for [files] max_bytes (body_limit_for_files).
  std::size_t max_body_bytes = 1024 * 1024;
  std::size_t max_header_bytes = 16 * 1024;
  /// Whole request (headers + body) must arrive within this; also the keep-alive idle time.
  std::chrono::milliseconds read_timeout{std::chrono::seconds(15)};
  std::chrono::milliseconds write_timeout{std::chrono::seconds(15)};
  std::size_t max_connections = 512;
};

/// The body limit for requests carrying up to `max_file_bytes` of files: the files in
/// base64 (4 bytes per 3) plus the default 1 MiB for the text and the JSON around them.
constexpr std::size_t body_limit_for_files(std::uint64_t max_file_bytes) {
  return ServerLimits{}.max_body_bytes + static_cast<std::size_t>((max_file_bytes + 2) / 3 * 4);
}

}  // namespace constellation::server

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
/// deadline on every I/O step). `serve` fills them from config.toml's [limits].
struct ServerLimits {
  /// 1 MiB of text and JSON; `serve` adds room for [files] max_bytes (base64_room_for_files).
  std::size_t max_body_bytes = 1024 * 1024;
  std::size_t max_header_bytes = 16 * 1024;
  /// From the connection's first byte (or its opening) to the end of the headers: a
  /// client dripping its headers (slowloris) is dropped after this.
  std::chrono::milliseconds header_timeout{std::chrono::seconds(10)};
  /// From the end of the headers to the end of the body.
  std::chrono::milliseconds body_timeout{std::chrono::seconds(60)};
  /// How long a keep-alive connection may wait for its next request.
  std::chrono::milliseconds idle_timeout{std::chrono::seconds(30)};
  std::chrono::milliseconds write_timeout{std::chrono::seconds(15)};
  /// Connections open at once; one more is answered 503 and closed.
  std::size_t max_connections = 512;
};

/// A request refused by a limit before any handler saw it (413, 431, 503), described so
/// that the server's owner can word the reply for its protocol (JSON-RPC on "/").
struct LimitRefusal {
  int status = 0;
  std::string message;  ///< what was over which limit and what to do, one sentence
  std::string method;   ///< "" when the request line was not read (connection cap)
  std::string target;
};

/// Renders a refusal; the default (plain text) is used when none is given.
using RefusalRenderer = std::function<HttpResponse(const LimitRefusal&)>;
HttpResponse plain_refusal(const LimitRefusal& refusal);

/// The bytes [files] max_bytes of files take in a request body: base64, 4 bytes per 3.
constexpr std::size_t base64_room_for_files(std::uint64_t max_file_bytes) {
  return static_cast<std::size_t>((max_file_bytes + 2) / 3 * 4);
}

}  // namespace constellation::server

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

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
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

#pragma once
/// A deliberately dumb HTTP/1.1 client over a plain TCP socket: it sends the exact bytes a
/// test gives it (malformed, oversized or slow requests included) and reads the reply.

#include <chrono>
#include <string>

namespace e2e {

struct RawResponse {
  int status = 0;  ///< 0: no HTTP reply (connection refused, closed, timed out)
  std::string head;
  std::string body;
  std::string error;  ///< why status is 0
};

RawResponse http_request(const std::string& address, int port, const std::string& raw_request,
                         std::chrono::milliseconds timeout = std::chrono::seconds(10));

/// POST `body` to "/" as application/json.
RawResponse post_json(const std::string& address, int port, const std::string& body);

}  // namespace e2e

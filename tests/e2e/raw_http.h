#pragma once
/// A deliberately dumb HTTP/1.1 client over a plain TCP socket: it sends the exact bytes a
/// test gives it (malformed, oversized or slow requests included) and reads the reply.

#include <chrono>
#include <string>

#include "e2e/process.h"

namespace e2e {

struct RawResponse {
  int status = 0;  ///< 0: no HTTP reply (connection refused, closed, timed out)
  std::string head;
  std::string body;
  std::string error;  ///< why status is 0
};

RawResponse http_request(const std::string& address, int port, const std::string& raw_request,
                         std::chrono::milliseconds timeout = std::chrono::seconds(10));

/// The same, from a chosen source address (another caller on loopback: 127.0.0.x).
RawResponse http_request_from(const std::string& source, const std::string& address, int port,
                              const std::string& raw_request,
                              std::chrono::milliseconds timeout = std::chrono::seconds(10));
/// POST `body` to "/" as application/json.
RawResponse post_json(const std::string& address, int port, const std::string& body);

}  // namespace e2e

namespace e2e {

/// A request whose reply is read as it arrives (SSE): connects and sends at once, then
/// reads on demand; closing (or destroying) it drops the connection like a client that
/// goes away.
class RawStream {
 public:
  /// `source`: the local address to connect from ("" = the kernel's choice, 127.0.0.1
  /// on loopback), so a test can be several peers as the server sees them.
  RawStream(const std::string& address, int port, const std::string& raw_request,
            const std::string& source = "");
  ~RawStream();
  RawStream(const RawStream&) = delete;
  RawStream& operator=(const RawStream&) = delete;

  /// Reads until `done(received())` holds, the server closes or scaled(`timeout`) passes;
  /// returns done(received()).
  template <class Pred>
  bool read_until(Pred done, std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    const auto deadline = std::chrono::steady_clock::now() + scaled(timeout);
    while (!done(received_)) {
      if (closed_ || std::chrono::steady_clock::now() >= deadline) return done(received_);
      read_some(deadline);
    }
    return true;
  }
  /// Sends more bytes (a drip-fed request); false when the server has cut us off.
  bool send(const std::string& data);
  /// Shuts down our sending side: the server reads end-of-stream after what was sent.
  void shutdown_write();
  /// Everything received so far: head and raw (still chunked) body.
  const std::string& received() const { return received_; }
  /// The body with the chunked framing removed (complete chunks only).
  std::string body() const;
  bool closed() const { return closed_; }
  std::string error() const { return error_; }
  void close();

 private:
  void read_some(std::chrono::steady_clock::time_point deadline);
  int fd_ = -1;
  std::string received_;
  bool closed_ = false;
  std::string error_;
};

/// A POST of a JSON-RPC body to "/" asking for an event stream, as the SDK sends it.
std::string stream_request(const std::string& address, const std::string& body,
                           const std::string& a2a_version);

}  // namespace e2e

#include "e2e/raw_http.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace e2e {

namespace {
struct Fd {
  int fd;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

/// Parses status, head and (Content-Length-delimited or to-EOF) body.
void parse(const std::string& raw, RawResponse& r) {
  auto end = raw.find("\r\n\r\n");
  if (raw.rfind("HTTP/1.", 0) != 0 || end == std::string::npos) {
    r.error = "not an HTTP reply: " + raw.substr(0, 200);
    return;
  }
  r.status = std::atoi(raw.c_str() + 9);
  r.head = raw.substr(0, end);
  r.body = raw.substr(end + 4);
}
}  // namespace

RawResponse http_request(const std::string& address, int port, const std::string& raw_request,
                         std::chrono::milliseconds timeout) {
  return http_request_from("", address, port, raw_request, timeout);
}

RawResponse http_request_from(const std::string& source, const std::string& address, int port,
                              const std::string& raw_request, std::chrono::milliseconds timeout) {
  RawResponse r;
  Fd s{::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)};
  if (!source.empty()) {
    sockaddr_in from{};
    from.sin_family = AF_INET;
    inet_pton(AF_INET, source.c_str(), &from.sin_addr);
    if (::bind(s.fd, reinterpret_cast<sockaddr*>(&from), sizeof from) != 0) {
      r.error = "bind " + source + ": " + strerror(errno);
      return r;
    }
  }
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(static_cast<uint16_t>(port));
  inet_pton(AF_INET, address.c_str(), &sa.sin_addr);
  if (::connect(s.fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0) {
    r.error = std::string("connect: ") + strerror(errno);
    return r;
  }
  std::size_t sent = 0;
  while (sent < raw_request.size()) {
    ssize_t n = ::send(s.fd, raw_request.data() + sent, raw_request.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;  // the server may cut us off early (oversized bodies): read its reply
    sent += static_cast<std::size_t>(n);
  }
  ::shutdown(s.fd, SHUT_WR);
  std::string raw;
  const auto deadline = std::chrono::steady_clock::now() + scaled(timeout);
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      r.error = "timed out";
      break;
    }
    pollfd p{s.fd, POLLIN, 0};
    if (poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
    char buf[65536];
    ssize_t n = ::recv(s.fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    raw.append(buf, static_cast<std::size_t>(n));
  }
  parse(raw, r);
  return r;
}

RawResponse post_json(const std::string& address, int port, const std::string& body) {
  std::string req = "POST / HTTP/1.1\r\nHost: " + address + "\r\nContent-Type: application/json\r\n"
                    "Content-Length: " + std::to_string(body.size()) +
                    "\r\nConnection: close\r\n\r\n" + body;
  return http_request(address, port, req);
}

}  // namespace e2e

namespace e2e {

RawStream::RawStream(const std::string& address, int port, const std::string& raw_request,
                     const std::string& source) {
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (!source.empty()) {
    sockaddr_in local{};
    local.sin_family = AF_INET;
    inet_pton(AF_INET, source.c_str(), &local.sin_addr);
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&local), sizeof local) != 0) {
      error_ = std::string("bind: ") + strerror(errno);
      closed_ = true;
      return;
    }
  }
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(static_cast<uint16_t>(port));
  inet_pton(AF_INET, address.c_str(), &sa.sin_addr);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0) {
    error_ = std::string("connect: ") + strerror(errno);
    closed_ = true;
    return;
  }
  send(raw_request);
}

RawStream::~RawStream() { close(); }

bool RawStream::send(const std::string& data) {
  std::size_t sent = 0;
  while (fd_ >= 0 && sent < data.size()) {
    ssize_t n = ::send(fd_, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return false;
    sent += static_cast<std::size_t>(n);
  }
  return fd_ >= 0;
}

void RawStream::shutdown_write() {
  if (fd_ >= 0) ::shutdown(fd_, SHUT_WR);
}

void RawStream::close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  closed_ = true;
}

void RawStream::read_some(std::chrono::steady_clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now());
  if (fd_ < 0 || left.count() <= 0) return;
  pollfd p{fd_, POLLIN, 0};
  if (poll(&p, 1, static_cast<int>(left.count())) <= 0) return;
  char buf[65536];
  ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
  if (n <= 0) {
    if (n < 0) error_ = std::string("recv: ") + strerror(errno);
    closed_ = true;
    return;
  }
  received_.append(buf, static_cast<std::size_t>(n));
}

std::string RawStream::body() const {
  const auto end = received_.find("\r\n\r\n");
  if (end == std::string::npos) return {};
  std::string raw = received_.substr(end + 4), out;
  std::size_t pos = 0;
  for (;;) {
    const auto line_end = raw.find("\r\n", pos);
    if (line_end == std::string::npos) break;
    const std::size_t size = std::strtoul(raw.c_str() + pos, nullptr, 16);
    if (size == 0 || line_end + 2 + size + 2 > raw.size()) break;
    out += raw.substr(line_end + 2, size);
    pos = line_end + 2 + size + 2;
  }
  return out;
}

std::string stream_request(const std::string& address, const std::string& body,
                           const std::string& a2a_version) {
  std::string req = "POST / HTTP/1.1\r\nHost: " + address +
                    "\r\nContent-Type: application/json\r\nAccept: text/event-stream\r\n";
  if (!a2a_version.empty()) req += "A2A-Version: " + a2a_version + "\r\n";
  return req + "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

}  // namespace e2e

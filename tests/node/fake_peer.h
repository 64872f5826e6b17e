#pragma once
/// A scripted A2A peer on 127.0.0.1 for client tests: every HTTP request is recorded and
/// answered by the test's handler, one request per connection (as our client sends
/// them). Plain sockets on a thread, so it shares nothing with the code under test.

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <functional>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

namespace constellation::test_support {

class FakePeer {
 public:
  struct Request {
    std::string method;
    std::string target;
    std::map<std::string, std::string> headers;  ///< names lower-cased
    std::string body;

    std::string header(const std::string& lower_name) const {
      const auto it = headers.find(lower_name);
      return it == headers.end() ? std::string() : it->second;
    }
    bool has_header(const std::string& lower_name) const { return headers.contains(lower_name); }
    /// The body as JSON (discarded when it is not JSON).
    nlohmann::json json() const { return nlohmann::json::parse(body, nullptr, false); }
  };

  struct Reply {
    int status = 200;
    std::string body;
    std::string content_type = "application/json";
  };

  using Handler = std::function<Reply(const Request&)>;

  /// A JSON-RPC success reply echoing the request's id.
  static Reply result(const Request& req, const nlohmann::json& result) {
    return {
        200,
        nlohmann::json{{"jsonrpc", "2.0"}, {"id", req.json()["id"]}, {"result", result}}.dump()};
  }
  static Reply rpc_error(const Request& req, int code, const std::string& message) {
    return {200, nlohmann::json{{"jsonrpc", "2.0"},
                                {"id", req.json()["id"]},
                                {"error", {{"code", code}, {"message", message}}}}
                     .dump()};
  }

  explicit FakePeer(Handler handler) : handler_(std::move(handler)) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    EXPECT_GE(fd_, 0);
    const int one = 1;
    ::setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    EXPECT_EQ(::listen(fd_, 16), 0);
    socklen_t len = sizeof addr;
    EXPECT_EQ(::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len), 0);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { serve(); });
  }

  ~FakePeer() {
    stop_ = true;
    thread_.join();
    ::close(fd_);
  }

  FakePeer(const FakePeer&) = delete;
  FakePeer& operator=(const FakePeer&) = delete;

  /// "http://127.0.0.1:<port>/"
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/"; }

  std::vector<Request> requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
  }

 private:
  void serve() {
    while (!stop_) {
      pollfd p{fd_, POLLIN, 0};
      // A short poll so the destructor never waits long for the thread.
      if (::poll(&p, 1, 20) <= 0) continue;
      const int conn = ::accept(fd_, nullptr, nullptr);
      if (conn < 0) continue;
      handle(conn);
      ::close(conn);
    }
  }

  static std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
  }

  void handle(int conn) {
    std::string data;
    char buf[4096];
    std::size_t header_end = std::string::npos;
    while ((header_end = data.find("\r\n\r\n")) == std::string::npos) {
      const auto n = ::recv(conn, buf, sizeof buf, 0);
      if (n <= 0) return;
      data.append(buf, static_cast<std::size_t>(n));
    }
    Request req;
    const std::string head = data.substr(0, header_end);
    std::size_t line_end = head.find("\r\n");
    const std::string request_line = head.substr(0, line_end);
    const auto sp1 = request_line.find(' ');
    const auto sp2 = request_line.find(' ', sp1 + 1);
    req.method = request_line.substr(0, sp1);
    req.target = request_line.substr(sp1 + 1, sp2 - sp1 - 1);
    while (line_end != std::string::npos && line_end < head.size()) {
      const auto next = head.find("\r\n", line_end + 2);
      const std::string line = head.substr(
          line_end + 2, next == std::string::npos ? std::string::npos : next - line_end - 2);
      const auto colon = line.find(':');
      if (colon != std::string::npos) {
        std::string value = line.substr(colon + 1);
        value.erase(0, value.find_first_not_of(' '));
        req.headers[lower(line.substr(0, colon))] = value;
      }
      line_end = next;
    }
    const std::size_t length =
        req.has_header("content-length") ? std::stoul(req.header("content-length")) : 0;
    req.body = data.substr(header_end + 4);
    while (req.body.size() < length) {
      const auto n = ::recv(conn, buf, sizeof buf, 0);
      if (n <= 0) return;
      req.body.append(buf, static_cast<std::size_t>(n));
    }
    {
      std::lock_guard lock(mutex_);
      requests_.push_back(req);
    }
    const Reply reply = handler_(req);
    const std::string out = "HTTP/1.1 " + std::to_string(reply.status) +
                            " X\r\nContent-Type: " + reply.content_type +
                            "\r\nContent-Length: " + std::to_string(reply.body.size()) +
                            "\r\nConnection: close\r\n\r\n" + reply.body;
    std::size_t sent = 0;
    while (sent < out.size()) {
      const auto n = ::send(conn, out.data() + sent, out.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return;
      sent += static_cast<std::size_t>(n);
    }
  }

  Handler handler_;
  int fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  mutable std::mutex mutex_;
  std::vector<Request> requests_;
  std::thread thread_;
};

}  // namespace constellation::test_support

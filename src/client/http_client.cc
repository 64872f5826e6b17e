// The only translation unit of the client that includes Beast. Shape follows Beast's
// http_client_async example: resolve, connect, write, read, each under the deadline.

#include "constellation/client/http_client.h"
#include "constellation/client/outbound.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/url/parse.hpp>

namespace constellation::client {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::awaitable;
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

std::string HttpTarget::describe() const {
  if (!unix_path.empty()) return unix_path;
  const bool v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

std::optional<HttpUrl> parse_http_url(const std::string& url, std::string* err) {
  auto parsed = boost::urls::parse_absolute_uri(url);
  if (!parsed) {
    *err = "not an absolute URL: \"" + url + "\"";
    return std::nullopt;
  }
  const auto& u = *parsed;
  if (u.scheme() != "http") {
    *err = u.scheme() == "https" ? "https is not supported yet: \"" + url + "\""
                                 : "not an http URL: \"" + url + "\"";
    return std::nullopt;
  }
  HttpUrl out;
  out.target.host = std::string(u.encoded_host());
  if (u.host_type() == boost::urls::host_type::ipv6) {
    out.target.host = u.host_ipv6_address().to_string();
  }
  if (out.target.host.empty()) {
    *err = "URL has no host: \"" + url + "\"";
    return std::nullopt;
  }
  out.target.port = 80;
  if (u.has_port()) {
    if (u.port_number() == 0) {
      *err = "URL has an invalid port: \"" + url + "\"";
      return std::nullopt;
    }
    out.target.port = u.port_number();
  }
  out.path = std::string(u.encoded_path());
  if (out.path.empty()) out.path = "/";
  if (u.has_query()) out.path += "?" + std::string(u.encoded_query());
  return out;
}

namespace {

Error unreachable(const std::string& phase, const HttpTarget& t, const beast::error_code& ec) {
  std::string why = ec == beast::error::timeout ? "timed out" : ec.message();
  return make_error(ErrorKind::kPeerUnreachable, phase + " " + t.describe() + ": " + why);
}

/// Resolves and connects `stream` to the target. The resolver has no deadline of its
/// own; `timeout` bounds the connect (and, as the stream's expiry, what follows).
awaitable<Status> connect_tcp(beast::tcp_stream& stream, const HttpTarget& target,
                              std::chrono::milliseconds timeout) {
  asio::ip::tcp::resolver resolver(stream.get_executor());
  auto [rec, results] =
      co_await resolver.async_resolve(target.host, std::to_string(target.port), kTuple);
  if (rec) co_return unreachable("resolve", target, rec);
  stream.expires_after(timeout);
  boost::system::error_code bad_source;
  const auto source =
      asio::ip::make_address(outbound_of(stream.get_executor()).source_address, bad_source);
  if (bad_source) {  // no source address set (or a host name): the system chooses
    auto [cec, ep] = co_await stream.async_connect(results, kTuple);
    if (cec) co_return unreachable("connect to", target, cec);
    co_return Ok{};
  }
  beast::error_code last = asio::error::host_not_found;
  for (const auto& entry : results) {
    const auto dest = entry.endpoint();
    // From our own address when it can reach the destination: a daemon bound to a
    // loopback address still calls other hosts, from whatever address routes there.
    const bool from_source = source.is_v4() == dest.address().is_v4() &&
                             (!source.is_loopback() || dest.address().is_loopback());
    beast::error_code ec;
    stream.socket().close(ec);
    stream.socket().open(dest.protocol(), ec);
    if (!ec && from_source) stream.socket().bind(asio::ip::tcp::endpoint(source, 0), ec);
    if (ec) {
      last = ec;
      continue;
    }
    auto [cec] = co_await stream.async_connect(dest, kTuple);
    if (!cec) co_return Ok{};
    last = cec;
  }
  co_return unreachable("connect to", target, last);
}

/// The mesh token goes on POSTs (calls, push deliveries) only: card probes reach every
/// host discovery suggests, and must not hand the secret to them.
void add_mesh_token(ClientRequest& request, const Outbound& outbound) {
  if (outbound.bearer_token.empty() || request.method != "POST") return;
  for (const auto& [name, value] : request.headers) {
    if (beast::iequals(name, "authorization")) return;  // a push config's own credentials
  }
  request.headers.emplace_back("Authorization", "Bearer " + outbound.bearer_token);
}

http::request<http::string_body> make_request(const HttpTarget& target,
                                              const ClientRequest& request) {
  http::request<http::string_body> req{http::string_to_verb(request.method), request.target, 11};
  req.set(http::field::host, target.unix_path.empty() ? target.describe() : "localhost");
  req.set(http::field::user_agent, "constellation/" CONSTELLATION_VERSION);
  for (const auto& [k, v] : request.headers) req.set(k, v);
  if (!request.content_type.empty()) req.set(http::field::content_type, request.content_type);
  req.body() = request.body;
  req.keep_alive(false);
  req.prepare_payload();
  return req;
}

template <class Stream>
awaitable<Result<ClientResponse>> exchange(Stream& stream, const HttpTarget& target,
                                           const ClientRequest& request) {
  auto req = make_request(target, request);
  auto [wec, written] = co_await http::async_write(stream, req, kTuple);
  if (wec) co_return unreachable("send request to", target, wec);

  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(kMaxResponseBytes);
  auto [rec, read] = co_await http::async_read(stream, buffer, parser, kTuple);
  if (rec == http::error::body_limit) {
    co_return make_error(ErrorKind::kPeerError,
                         "reply from " + target.describe() + " is larger than " +
                             std::to_string(kMaxResponseBytes) + " bytes");
  }
  if (rec == beast::error::timeout || rec == asio::error::connection_reset ||
      rec == asio::error::eof || rec == http::error::end_of_stream) {
    co_return unreachable("read reply from", target, rec);
  }
  if (rec) {
    co_return make_error(ErrorKind::kPeerError,
                         "unreadable HTTP reply from " + target.describe() + ": " + rec.message());
  }
  auto res = parser.release();
  ClientResponse out;
  out.status = static_cast<int>(res.result_int());
  out.content_type = std::string(res[http::field::content_type]);
  out.body = std::move(res.body());
  beast::error_code ignored;
  stream.socket().shutdown(asio::socket_base::shutdown_both, ignored);
  co_return out;
}

/// Shapes follow Beast's incremental-read example: a buffer_body parser whose buffer
/// is pointed at a scratch array before each read_some.
class TcpBodyStream final : public BodyStream {
 public:
  TcpBodyStream(const asio::any_io_executor& ex, HttpTarget target)
      : stream_(ex), target_(std::move(target)) {
    // A stream has no natural end; the idle deadline bounds it instead.
    parser_.body_limit(boost::none);
  }
  ~TcpBodyStream() override {
    beast::error_code ignored;
    stream_.socket().shutdown(asio::socket_base::shutdown_both, ignored);
  }

  int status() const override { return status_; }
  const std::string& content_type() const override { return content_type_; }

  awaitable<Status> open(ClientRequest request, std::chrono::milliseconds timeout) {
    if (auto connected = co_await connect_tcp(stream_, target_, timeout); !connected) {
      co_return connected;
    }
    add_mesh_token(request, outbound_of(stream_.get_executor()));
    auto req = make_request(target_, request);
    auto [wec, written] = co_await http::async_write(stream_, req, kTuple);
    if (wec) co_return unreachable("send request to", target_, wec);
    auto [hec, read] = co_await http::async_read_header(stream_, buffer_, parser_, kTuple);
    if (hec) co_return unreachable("read reply from", target_, hec);
    status_ = static_cast<int>(parser_.get().result_int());
    content_type_ = std::string(parser_.get()[http::field::content_type]);
    co_return Ok{};
  }

  awaitable<Result<std::optional<std::string>>> next(std::chrono::milliseconds idle) override {
    char scratch[16 * 1024];
    for (;;) {
      if (parser_.is_done()) co_return std::optional<std::string>();
      parser_.get().body().data = scratch;
      parser_.get().body().size = sizeof scratch;
      stream_.expires_after(idle);
      auto [ec, n] = co_await http::async_read_some(stream_, buffer_, parser_, kTuple);
      if (ec == http::error::need_buffer) ec = {};
      if (ec == http::error::end_of_stream && parser_.is_done()) ec = {};
      if (ec) co_return unreachable("read stream from", target_, ec);
      const std::size_t got = sizeof scratch - parser_.get().body().size;
      if (got > 0) co_return std::optional<std::string>(std::string(scratch, got));
    }
  }

  awaitable<Result<std::string>> rest(std::chrono::milliseconds timeout) override {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    std::string body;
    for (;;) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) {
        co_return unreachable("read reply from", target_, beast::error::timeout);
      }
      auto piece = co_await next(left);
      if (!piece) co_return piece.error();
      if (!*piece) co_return body;
      body += **piece;
      if (body.size() > kMaxResponseBytes) {
        co_return make_error(ErrorKind::kPeerError, "reply from " + target_.describe() +
                                                        " is larger than " +
                                                        std::to_string(kMaxResponseBytes) + " bytes");
      }
    }
  }

 private:
  beast::tcp_stream stream_;
  HttpTarget target_;
  beast::flat_buffer buffer_;
  http::response_parser<http::buffer_body> parser_;
  int status_ = 0;
  std::string content_type_;
};

}  // namespace

awaitable<Result<std::unique_ptr<BodyStream>>> open_stream(HttpTarget target, ClientRequest request,
                                                           std::chrono::milliseconds timeout) {
  if (!target.unix_path.empty()) {
    co_return make_error(ErrorKind::kInternal, "streams are only read over TCP");
  }
  auto ex = co_await asio::this_coro::executor;
  auto stream = std::make_unique<TcpBodyStream>(ex, target);
  auto opened = co_await stream->open(std::move(request), timeout);
  if (!opened) co_return opened.error();
  co_return std::unique_ptr<BodyStream>(std::move(stream));
}

awaitable<Result<ClientResponse>> http_call(HttpTarget target, ClientRequest request,
                                            std::chrono::milliseconds timeout) {
  auto ex = co_await asio::this_coro::executor;
  if (!target.unix_path.empty()) {
    using Protocol = asio::local::stream_protocol;
    beast::basic_stream<Protocol> stream(ex);
    stream.expires_after(timeout);
    auto [ec] = co_await stream.async_connect(Protocol::endpoint(target.unix_path), kTuple);
    if (ec) co_return unreachable("connect to", target, ec);
    co_return co_await exchange(stream, target, request);
  }

  beast::tcp_stream stream(ex);
  if (auto connected = co_await connect_tcp(stream, target, timeout); !connected) {
    co_return connected.error();
  }
  add_mesh_token(request, outbound_of(ex));
  co_return co_await exchange(stream, target, request);
}

Result<ClientResponse> http_call_blocking(const HttpTarget& target, const ClientRequest& request,
                                          std::chrono::milliseconds timeout) {
  asio::io_context ioc;
  auto future = asio::co_spawn(ioc, http_call(target, request, timeout), asio::use_future);
  ioc.run();
  try {
    return future.get();
  } catch (const std::exception& e) {
    return make_error(ErrorKind::kInternal, "HTTP call to " + target.describe() + ": " + e.what());
  }
}

}  // namespace constellation::client

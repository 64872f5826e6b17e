// The only translation unit of the server that includes Beast (compile time: see
// docs/build-notes.md). Shapes follow Beast's http_server_async example, written as
// coroutines: one coroutine frame per connection, spawned on its own strand.

#include "constellation/server/http_server.h"

#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <mutex>
#include <optional>
#include <sstream>
#include <tuple>
#include <type_traits>
#include <unordered_map>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <spdlog/spdlog.h>

namespace constellation::server {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::awaitable;
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

namespace {

/// What the registry knows about one live connection. Touched only on that
/// connection's strand, except `cancel`, which is posted there.
struct SessionControl {
  std::function<void()> cancel_io;  ///< empty once the session has ended
  bool busy = false;                ///< a handler is running; let it finish
  bool streaming = false;           ///< a streamed body is being written; end it on stop
  bool stop_requested = false;
};

}  // namespace

struct HttpServer::State {
  asio::io_context& ioc;
  HttpHandler handler;
  ServerLimits limits;
  std::string name;
  RefusalRenderer render_refusal;
  std::shared_ptr<LimitLog> limit_log;
  std::atomic<bool> stopping{false};
  std::unique_ptr<asio::ip::tcp::acceptor> tcp_acceptor;
  std::unique_ptr<asio::local::stream_protocol::acceptor> unix_acceptor;
  std::filesystem::path unix_path;

  std::mutex mutex;  // guards sessions and next_id
  std::uint64_t next_id = 0;
  std::unordered_map<std::uint64_t,
                     std::pair<asio::any_io_executor, std::shared_ptr<SessionControl>>>
      sessions;

  State(asio::io_context& i, HttpHandler h, ServerLimits l, std::string n, RefusalRenderer r,
        std::shared_ptr<LimitLog> log)
      : ioc(i),
        handler(std::move(h)),
        limits(l),
        name(std::move(n)),
        render_refusal(r ? std::move(r) : RefusalRenderer(plain_refusal)),
        limit_log(log ? std::move(log) : std::make_shared<LimitLog>()) {}
};

namespace {

using State = HttpServer::State;

/// Removes the session from the registry when its coroutine ends, however it ends.
class Registration {
 public:
  Registration(std::shared_ptr<State> state, asio::any_io_executor ex,
               std::shared_ptr<SessionControl> control)
      : state_(std::move(state)), control_(std::move(control)) {
    std::lock_guard lock(state_->mutex);
    id_ = state_->next_id++;
    state_->sessions.emplace(id_, std::make_pair(std::move(ex), control_));
  }
  ~Registration() {
    control_->cancel_io = nullptr;
    std::lock_guard lock(state_->mutex);
    state_->sessions.erase(id_);
  }
  Registration(const Registration&) = delete;
  Registration& operator=(const Registration&) = delete;

 private:
  std::shared_ptr<State> state_;
  std::shared_ptr<SessionControl> control_;
  std::uint64_t id_ = 0;
};

HttpRequest to_plain(http::request<http::string_body>&& req, std::string remote) {
  HttpRequest out;
  out.method = std::string(req.method_string());
  out.target = std::string(req.target());
  for (const auto& field : req) {
    std::string name(field.name_string());
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    // Repeated headers are joined as HTTP allows for list-valued fields.
    auto [it, inserted] = out.headers.emplace(name, std::string(field.value()));
    if (!inserted) it->second += ", " + std::string(field.value());
  }
  out.body = std::move(req.body());
  out.remote_address = std::move(remote);
  return out;
}

http::response<http::string_body> to_beast(HttpResponse&& r, unsigned version, bool keep_alive) {
  http::response<http::string_body> res{static_cast<http::status>(r.status), version};
  res.set(http::field::server, "constellation/" CONSTELLATION_VERSION);
  for (auto& [k, v] : r.headers) res.set(k, v);
  res.keep_alive(keep_alive);
  if (r.status == 204 || r.status == 304) {
    // No content, and no Content-Length or Content-Type either: on a 304 they would
    // describe the 200 the client already has (RFC 9110 §15.4.5).
    return res;
  }
  res.set(http::field::content_type, r.content_type);
  res.body() = std::move(r.body);
  res.prepare_payload();
  return res;
}

template <class Stream>
awaitable<void> write_and_close(Stream& stream, HttpResponse r, std::chrono::milliseconds timeout) {
  auto res = to_beast(std::move(r), 11, false);
  stream.expires_after(timeout);
  co_await http::async_write(stream, res, kTuple);
}

/// Writes a refusal sent before the request was read to its end (an oversized body or
/// header), then reads and drops what the client still sends for at most `linger`: a
/// socket closed with unread bytes is reset, and the reset can reach the client before
/// it has read the refusal.
template <class Stream>
awaitable<void> refuse_and_linger(Stream& stream, HttpResponse r, std::chrono::milliseconds timeout,
                                  std::chrono::milliseconds linger) {
  auto res = to_beast(std::move(r), 11, false);
  stream.expires_after(timeout);
  auto [ec, n] = co_await http::async_write(stream, res, kTuple);
  if (ec) co_return;
  beast::error_code ignored;
  stream.socket().shutdown(asio::socket_base::shutdown_send, ignored);
  stream.expires_after(linger);
  char scratch[16 * 1024];
  for (;;) {
    auto [rec, read] = co_await stream.async_read_some(asio::buffer(scratch), kTuple);
    if (rec) co_return;
  }
}

/// The session's side of a streamed body: chunks on an HTTP/1.1 connection, raw bytes
/// on HTTP/1.0 (which ends the body by closing). Each write has the write timeout and
/// ignores cancellation, so a stream ends between two writes, never inside one.
template <class Stream>
class SessionStreamWriter final : public StreamWriter {
 public:
  SessionStreamWriter(Stream& stream, std::chrono::milliseconds timeout, bool chunked)
      : stream_(stream), timeout_(timeout), chunked_(chunked) {}

  awaitable<bool> write(std::string data) override {
    if (failed_ || data.empty()) co_return !failed_;
    stream_.expires_after(timeout_);
    auto uncancellable = asio::bind_cancellation_slot(asio::cancellation_slot(), kTuple);
    boost::system::error_code ec;
    if (chunked_) {
      std::tie(ec, std::ignore) =
          co_await asio::async_write(stream_, http::make_chunk(asio::buffer(data)), uncancellable);
    } else {
      std::tie(ec, std::ignore) = co_await asio::async_write(stream_, asio::buffer(data), uncancellable);
    }
    if (ec) failed_ = true;
    co_return !failed_;
  }

  /// Ends a chunked body (the terminating zero-length chunk).
  awaitable<void> finish() {
    if (failed_ || !chunked_) co_return;
    stream_.expires_after(timeout_);
    co_await asio::async_write(stream_, http::make_chunk_last(), kTuple);
  }

 private:
  Stream& stream_;
  std::chrono::milliseconds timeout_;
  bool chunked_;
  bool failed_ = false;
};

// The three racers below run as branches of an awaitable_operators race. Each first
// turns off throw_if_cancelled for its branch: in Boost 1.81 a branch that is cancelled
// and then finishes can otherwise throw from co_spawn's own epilogue (outside any
// try), which ends the process. Cancellation is checked explicitly instead.

/// Completes when the client closes its side or the connection fails, or when the
/// race is over. A client sends nothing after a streaming request; whatever it sends is
/// read and dropped. A client that only shuts down its sending side looks the same as
/// one that closed (both are an end of stream): it loses its stream, which beats
/// keeping every abandoned stream until a keep-alive write fails.
template <class Stream>
awaitable<void> client_closed(Stream& stream) {
  co_await asio::this_coro::throw_if_cancelled(false);
  auto state = co_await asio::this_coro::cancellation_state;
  char scratch[512];
  for (;;) {
    // The raw socket, not the Beast stream: no deadline applies to this read, and the
    // stream's write deadlines stay untouched.
    auto [ec, n] = co_await stream.socket().async_read_some(asio::buffer(scratch), kTuple);
    if (ec || state.cancelled() != asio::cancellation_type::none) co_return;
  }
}

awaitable<void> signalled(asio::steady_timer& signal) {
  co_await asio::this_coro::throw_if_cancelled(false);
  co_await signal.async_wait(kTuple);
}

/// The producer, with whatever it throws (a bug) caught and logged here, so that it
/// always completes normally.
awaitable<void> run_producer(const StreamProducer& producer, StreamWriter& writer,
                             const std::string& name) {
  co_await asio::this_coro::throw_if_cancelled(false);
  try {
    co_await producer(writer);
  } catch (const boost::system::system_error& e) {
    if (e.code() != asio::error::operation_aborted) {
      spdlog::error("{}: stream failed: {}", name, e.what());
    }
  } catch (const std::exception& e) {
    spdlog::error("{}: stream failed: {}", name, e.what());
  }
}

/// Writes the head of a streamed response, then runs its producer until it is done,
/// the client goes away or the server stops (whichever is first cancels the others).
template <class Stream>
awaitable<void> write_stream(Stream& stream, HttpResponse& response, unsigned version,
                             SessionControl& control, const State& state) {
  using namespace asio::experimental::awaitable_operators;
  http::response<http::empty_body> head{static_cast<http::status>(response.status), version};
  head.set(http::field::server, "constellation/" CONSTELLATION_VERSION);
  for (auto& [k, v] : response.headers) head.set(k, v);
  head.set(http::field::content_type, response.content_type);
  head.keep_alive(false);
  const bool chunked = version >= 11;
  if (chunked) head.chunked(true);
  http::response_serializer<http::empty_body> serializer(head);
  stream.expires_after(state.limits.write_timeout);
  auto [ec, n] = co_await http::async_write_header(stream, serializer, kTuple);
  if (ec) {
    spdlog::debug("{}: write stream head: {}", state.name, ec.message());
    co_return;
  }
  SessionStreamWriter<Stream> writer(stream, state.limits.write_timeout, chunked);
  asio::steady_timer stop_signal(stream.get_executor(), asio::steady_timer::time_point::max());
  control.streaming = true;
  control.cancel_io = [&stop_signal] { stop_signal.cancel(); };
  if (!control.stop_requested && !state.stopping) {
    co_await (run_producer(response.stream, writer, state.name) ||
              (client_closed(stream) || signalled(stop_signal)));
  }
  control.cancel_io = [&stream] { stream.cancel(); };
  control.streaming = false;
  co_await writer.finish();
}

std::string remote_of(beast::tcp_stream& s) {
  beast::error_code ec;
  auto ep = s.socket().remote_endpoint(ec);
  return ec ? std::string() : ep.address().to_string();
}
std::string remote_of(beast::basic_stream<asio::local::stream_protocol>&) { return {}; }

/// Which part of a request a read was waiting for when it failed.
enum class ReadPhase { kIdle, kHeader, kBody };

struct ReadOutcome {
  beast::error_code ec;
  ReadPhase phase = ReadPhase::kBody;
};

/// Reads one request with a deadline per phase: the idle keep-alive wait for its first
/// byte, then the headers, then the body. The first request of a connection has no idle
/// phase: its header clock starts at accept, so a client that connects and says nothing
/// is dropped like one that drips its headers.
template <class Stream>
awaitable<ReadOutcome> read_request(Stream& stream, beast::flat_buffer& buffer,
                                    http::request_parser<http::string_body>& parser,
                                    const ServerLimits& limits, bool first) {
  constexpr std::size_t kFirstRead = 4096;
  if (!first && buffer.size() == 0) {
    stream.expires_after(limits.idle_timeout);
    auto [ec, n] = co_await stream.async_read_some(buffer.prepare(kFirstRead), kTuple);
    if (ec) co_return ReadOutcome{ec, ReadPhase::kIdle};
    buffer.commit(n);
  }
  stream.expires_after(limits.header_timeout);
  auto [hec, hn] = co_await http::async_read_header(stream, buffer, parser, kTuple);
  if (hec) co_return ReadOutcome{hec, ReadPhase::kHeader};
  if (!parser.is_done()) {
    stream.expires_after(limits.body_timeout);
    auto [bec, bn] = co_await http::async_read(stream, buffer, parser, kTuple);
    if (bec) co_return ReadOutcome{bec, ReadPhase::kBody};
  }
  co_return ReadOutcome{};
}

std::string describe_bytes(std::uint64_t bytes) {
  if (bytes >= (1u << 20) && bytes % (1u << 20) == 0) return std::to_string(bytes >> 20) + " MiB";
  if (bytes >= (1u << 10) && bytes % (1u << 10) == 0) return std::to_string(bytes >> 10) + " KiB";
  // The default body limit (1 MiB + 10 MiB of files in base64) is no round number.
  if (bytes >= (1u << 20)) return fmt::format("{:.1f} MiB", static_cast<double>(bytes) / (1u << 20));
  return std::to_string(bytes) + " bytes";
}

/// The refusal of a body over the limit, for the client and for the log.
LimitRefusal body_refusal(const http::request_parser<http::string_body>& parser,
                          const ServerLimits& limits) {
  const auto& head = parser.get();
  // Not parser.content_length(): Beast reports body_limit from inside the header's last
  // step, before the header counts as done, and content_length() asserts that it is (a
  // debug build aborted here). The field itself is already stored and was validated.
  std::optional<std::uint64_t> length;
  if (const auto field = head.find(http::field::content_length); field != head.end()) {
    std::uint64_t value = 0;
    const auto text = field->value();
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error == std::errc() && end == text.data() + text.size()) length = value;
  }
  LimitRefusal refusal;
  refusal.status = 413;
  refusal.method = std::string(head.method_string());
  refusal.target = std::string(head.target());
  refusal.message = "Request body" +
                    (length ? " of " + std::to_string(*length) + " bytes" : std::string()) +
                    " is over this peer's limit of " + describe_bytes(limits.max_body_bytes) +
                    "; send a shorter message, or fewer or smaller files in one message";
  return refusal;
}

template <class Stream>
awaitable<void> run_session(Stream stream, std::shared_ptr<State> state) {
  auto control = std::make_shared<SessionControl>();
  control->cancel_io = [&stream] { stream.cancel(); };
  Registration registration(state, stream.get_executor(), control);
  const std::string remote = remote_of(stream);
  const std::string who = remote.empty() ? std::string("a local client") : remote;
  const ServerLimits& limits = state->limits;
  beast::flat_buffer buffer;
  // Long enough for a client on a slow link to finish sending what it had started and
  // then read the refusal; short enough that a refused client cannot hold the slot.
  constexpr std::chrono::milliseconds kLinger{std::chrono::seconds(5)};
  auto refuse = [&](const LimitRefusal& refusal) {
    return refuse_and_linger(stream, state->render_refusal(refusal), limits.write_timeout,
                             std::min(kLinger, limits.body_timeout));
  };

  for (bool first = true;; first = false) {
    if (state->stopping || control->stop_requested) break;
    http::request_parser<http::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(limits.max_header_bytes));
    parser.body_limit(limits.max_body_bytes);
    const auto [ec, phase] = co_await read_request(stream, buffer, parser, limits, first);
    if (ec == beast::error::timeout && phase != ReadPhase::kIdle) {
      // A slow or silent client holds a connection slot; it gets no reply, only the close.
      const bool header = phase == ReadPhase::kHeader;
      state->limit_log->hit(
          header ? "header-timeout" : "body-timeout", who,
          fmt::format("{}: {} not complete after {} ms; connection closed", state->name,
                      header ? "request headers" : "request body",
                      (header ? limits.header_timeout : limits.body_timeout).count()));
      break;
    }
    if (ec == http::error::end_of_stream || ec == asio::error::operation_aborted ||
        ec == beast::error::timeout || ec == asio::error::connection_reset ||
        (ec == asio::error::eof && phase == ReadPhase::kIdle)) {
      break;  // the peer closed, went idle, or we are shutting down
    }
    if (ec == http::error::body_limit) {
      const LimitRefusal refusal = body_refusal(parser, limits);
      state->limit_log->hit("body-size", who,
                            fmt::format("{}: {} {}: {}", state->name, refusal.method,
                                        refusal.target, refusal.message));
      co_await refuse(refusal);
      break;
    }
    if (ec == http::error::header_limit) {
      LimitRefusal refusal{431,
                           "Request headers are over this peer's limit of " +
                               describe_bytes(limits.max_header_bytes) + "; send fewer or shorter headers",
                           "", ""};
      state->limit_log->hit("header-size", who, state->name + ": " + refusal.message);
      co_await refuse(refusal);
      break;
    }
    if (ec) {
      spdlog::debug("{}: read from {}: {}", state->name, who, ec.message());
      if (buffer.size() > 0 || parser.got_some()) {
        co_await write_and_close(stream, text_response(400, "malformed HTTP request\n"),
                                 limits.write_timeout);
      }
      break;
    }

    auto req = parser.release();
    const bool head = req.method() == http::verb::head;
    const bool keep_alive = req.keep_alive();
    const unsigned version = req.version();
    control->busy = true;
    HttpResponse response;
    try {
      response = co_await state->handler(to_plain(std::move(req), remote));
    } catch (const std::exception& e) {
      spdlog::error("{}: handler failed: {}", state->name, e.what());
      response = text_response(500, "internal error\n");
    }
    if (response.stream) {
      co_await write_stream(stream, response, version, *control, *state);
      control->busy = false;
      break;
    }
    control->busy = false;
    const bool last = !keep_alive || state->stopping || control->stop_requested;
    auto res = to_beast(std::move(response), version, !last);
    // HEAD: the GET's headers (Content-Length included) and no body, or keep-alive
    // framing breaks for the next request on this connection.
    if (head) res.body().clear();
    stream.expires_after(limits.write_timeout);
    auto [wec, written] = co_await http::async_write(stream, res, kTuple);
    if (wec) {
      spdlog::debug("{}: write to {}: {}", state->name, who, wec.message());
      break;
    }
    if (last) break;
  }
  beast::error_code ignored;
  stream.socket().shutdown(asio::socket_base::shutdown_send, ignored);
}

/// Answers a connection over the cap with a 503 and closes it, without a session: what
/// the client already sent is read and dropped first (closing on unread bytes would
/// reset the connection and lose the reply), and the reply is written without waiting,
/// as far as the socket buffer takes it. Nothing here can block the accept loop.
template <class Socket>
void refuse_over_capacity(Socket& socket, std::size_t live, State& state) {
  beast::error_code ec;
  std::string who = "a local client";
  if constexpr (std::is_same_v<typename Socket::protocol_type, asio::ip::tcp>) {
    auto ep = socket.remote_endpoint(ec);
    if (!ec) who = ep.address().to_string();
  }
  state.limit_log->hit("connections", who,
                       fmt::format("{}: {} connections open, the most allowed; new ones are "
                                   "answered 503",
                                   state.name, live));
  LimitRefusal refusal{503,
                       "This peer has " + std::to_string(live) +
                           " connections open, its limit; retry in a few seconds",
                       "", ""};
  HttpResponse response = state.render_refusal(refusal);
  response.headers.emplace_back("Retry-After", "5");
  std::ostringstream text;
  text << to_beast(std::move(response), 11, false);
  const std::string bytes = text.str();
  socket.non_blocking(true, ec);
  char scratch[4096];
  for (int i = 0; i < 16 && !ec; ++i) socket.read_some(asio::buffer(scratch), ec);
  ec = {};
  socket.write_some(asio::buffer(bytes), ec);
  socket.shutdown(asio::socket_base::shutdown_send, ec);
  socket.close(ec);
}

template <class Acceptor, class Stream>
awaitable<void> accept_loop(Acceptor& acceptor, std::shared_ptr<State> state) {
  for (;;) {
    auto [ec, socket] = co_await acceptor.async_accept(asio::make_strand(state->ioc), kTuple);
    if (ec == asio::error::operation_aborted || state->stopping) co_return;
    if (ec) {
      // Keep accepting after a failed accept, as Beast's advanced server does, but not at
      // once: EMFILE lasts until some connection ends, and a retry loop would spin the
      // CPU and flood the log meanwhile.
      state->limit_log->hit("accept", "this process",
                            fmt::format("{}: accept: {}; retrying in 100 ms", state->name,
                                        ec.message()));
      asio::steady_timer pause(acceptor.get_executor(), std::chrono::milliseconds(100));
      co_await pause.async_wait(kTuple);
      continue;
    }
    std::size_t live;
    {
      std::lock_guard lock(state->mutex);
      live = state->sessions.size();
    }
    if (live >= state->limits.max_connections) {
      refuse_over_capacity(socket, live, *state);
      continue;
    }
    auto ex = socket.get_executor();
    asio::co_spawn(ex, run_session(Stream(std::move(socket)), state), asio::detached);
  }
}

/// What to do about a failed bind, by cause: the causes need different fixes.
std::string bind_hint(const beast::error_code& ec) {
  if (ec == asio::error::address_in_use)
    return "; another program has that port (often another 'constellation serve', or the "
           "service): stop it, or change [network] bind in the config";
  if (ec == boost::system::errc::address_not_available)
    return "; this machine has no such address (is its interface, e.g. tailscaled, down?): "
           "bind to one of its addresses or 0.0.0.0 in [network] bind";
  if (ec == asio::error::access_denied)
    return "; ports below 1024 need privileges: use a higher port in [network] bind";
  return "; change [network] bind in the config";
}

template <class Acceptor, class Endpoint>
/// `tcp`: the A2A port, whose address is reused at once after a restart and whose bind
/// errors come with what to change in [network] bind.
Status open_acceptor(Acceptor& acceptor, const Endpoint& ep, const std::string& what, bool tcp) {
  beast::error_code ec;
  acceptor.open(ep.protocol(), ec);
  if (ec) return make_error(ErrorKind::kInternal, "open " + what + ": " + ec.message());
  if (tcp) {
    acceptor.set_option(asio::socket_base::reuse_address(true), ec);
    if (ec) return make_error(ErrorKind::kInternal, "set_option " + what + ": " + ec.message());
  }
  acceptor.bind(ep, ec);
  if (ec) {
    return make_error(ErrorKind::kInternal,
                      "bind " + what + ": " + ec.message() + (tcp ? bind_hint(ec) : ""));
  }
  acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return make_error(ErrorKind::kInternal, "listen " + what + ": " + ec.message());
  return Ok{};
}

}  // namespace

HttpServer::HttpServer(asio::io_context& ioc, HttpHandler handler, ServerLimits limits,
                       std::string name_for_logs, RefusalRenderer render_refusal,
                       std::shared_ptr<LimitLog> limit_log)
    : state_(std::make_shared<State>(ioc, std::move(handler), limits, std::move(name_for_logs),
                                     std::move(render_refusal), std::move(limit_log))) {}

HttpServer::~HttpServer() { stop(); }

Status HttpServer::listen_tcp(const std::string& host, std::uint16_t port) {
  const std::string what = (host.find(':') != std::string::npos ? "[" + host + "]" : host) +
                           ":" + std::to_string(port);
  beast::error_code ec;
  auto address = asio::ip::make_address(host, ec);
  if (ec) {
    return make_error(ErrorKind::kConfig, "bind " + what + ": not an IP address (" +
                                              ec.message() + "); set [network] bind to e.g. "
                                              "\"0.0.0.0:7777\"");
  }
  state_->tcp_acceptor = std::make_unique<asio::ip::tcp::acceptor>(state_->ioc);
  auto st = open_acceptor(*state_->tcp_acceptor, asio::ip::tcp::endpoint(address, port), what,
                          true);
  if (!st) return st;
  asio::co_spawn(state_->tcp_acceptor->get_executor(),
                 accept_loop<asio::ip::tcp::acceptor, beast::tcp_stream>(*state_->tcp_acceptor,
                                                                         state_),
                 asio::detached);
  return Ok{};
}

Status HttpServer::listen_unix(const std::filesystem::path& path) {
  using Protocol = asio::local::stream_protocol;
  state_->unix_acceptor = std::make_unique<Protocol::acceptor>(state_->ioc);
  // umask, not chmod after bind: no window in which another user could connect.
  const mode_t old_mask = ::umask(0177);
  auto st = open_acceptor(*state_->unix_acceptor, Protocol::endpoint(path.string()),
                          path.string(), false);
  ::umask(old_mask);
  if (!st) return st;
  state_->unix_path = path;
  asio::co_spawn(state_->unix_acceptor->get_executor(),
                 accept_loop<Protocol::acceptor, beast::basic_stream<Protocol>>(
                     *state_->unix_acceptor, state_),
                 asio::detached);
  return Ok{};
}

std::uint16_t HttpServer::local_port() const {
  if (!state_->tcp_acceptor) return 0;
  beast::error_code ec;
  auto ep = state_->tcp_acceptor->local_endpoint(ec);
  return ec ? 0 : ep.port();
}

std::size_t HttpServer::connection_count() const {
  std::lock_guard lock(state_->mutex);
  return state_->sessions.size();
}

void HttpServer::stop() {
  if (state_->stopping.exchange(true)) return;
  auto state = state_;
  // Acceptors are only touched from their own executor once accepting.
  if (state->tcp_acceptor) {
    asio::post(state->tcp_acceptor->get_executor(), [state] {
      beast::error_code ignored;
      state->tcp_acceptor->close(ignored);
    });
  }
  if (state->unix_acceptor) {
    asio::post(state->unix_acceptor->get_executor(), [state] {
      beast::error_code ignored;
      state->unix_acceptor->close(ignored);
      std::error_code not_there;
      std::filesystem::remove(state->unix_path, not_there);
    });
  }
  std::lock_guard lock(state->mutex);
  for (auto& [id, entry] : state->sessions) {
    auto control = entry.second;
    asio::post(entry.first, [control] {
      control->stop_requested = true;
      if ((!control->busy || control->streaming) && control->cancel_io) control->cancel_io();
    });
  }
}

}  // namespace constellation::server

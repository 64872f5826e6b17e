// Child role: the fake tailnet's agents. One process, one thread, N listeners on
// 127.20.x.y:<port>. Hand-rolled HTTP on plain Asio: the server under test is the
// prober, so this side should cost as little CPU as possible and never be the limit.

#include <sys/prctl.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <deque>
#include <memory>
#include <string>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include "constellation/a2a/agent_card.h"
#include "discovery_bench.h"

namespace constellation::bench {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);
constexpr std::size_t kMaxRequestBytes = 16 * 1024;

const std::string kNotFound =
    "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";

std::string card_response(std::size_t i, const std::string& address, std::uint16_t port) {
  a2a::AgentCard card;
  card.name = "peer-" + std::to_string(i);
  card.description = "discovery benchmark peer";
  card.url = "http://" + address + ":" + std::to_string(port) + "/";
  card.version = CONSTELLATION_VERSION;
  card.skills.push_back(a2a::skill_from_name("bench"));
  const std::string body = a2a::card_to_json(card).dump();
  return "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " +
         std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
}

// One request per connection, as the prober's client sends it (keep-alive off).
asio::awaitable<void> answer(tcp::socket socket, std::shared_ptr<const std::string> card,
                             std::chrono::milliseconds delay) {
  std::string request;
  auto [rec, n] = co_await asio::async_read_until(
      socket, asio::dynamic_buffer(request, kMaxRequestBytes), "\r\n\r\n", kTuple);
  if (rec) co_return;
  if (delay.count() > 0) {
    asio::steady_timer timer(socket.get_executor(), delay);
    co_await timer.async_wait(kTuple);
  }
  const bool wants_card = request.starts_with("GET /.well-known/agent-card.json ");
  const std::string& reply = wants_card ? *card : kNotFound;
  co_await asio::async_write(socket, asio::buffer(reply), kTuple);
  boost::system::error_code ignored;
  socket.shutdown(tcp::socket::shutdown_both, ignored);
}

asio::awaitable<void> accept_loop(tcp::acceptor& acceptor, std::shared_ptr<const std::string> card,
                                  std::chrono::milliseconds delay) {
  for (;;) {
    auto [ec, socket] = co_await acceptor.async_accept(kTuple);
    if (ec == asio::error::operation_aborted) co_return;
    if (ec) {
      // EMFILE and the like: back off instead of spinning; the probe will time out and
      // show up in the figures as a missing answer.
      std::fprintf(stderr, "discovery_bench cards: accept: %s\n", ec.message().c_str());
      asio::steady_timer pause(acceptor.get_executor(), std::chrono::milliseconds(10));
      co_await pause.async_wait(kTuple);
      continue;
    }
    asio::co_spawn(acceptor.get_executor(), answer(std::move(socket), card, delay), asio::detached);
  }
}

}  // namespace

int serve_cards(std::size_t peers, std::uint16_t port, std::chrono::milliseconds slow_delay,
                pid_t parent) {
  // A parent that crashes cannot reap us; the kernel kills us with it instead.
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  // Exec'd as /proc/self/exe, the process would be called "exe" in ps and pgrep.
  ::prctl(PR_SET_NAME, "discovery_bench");
  if (parent > 0 && ::getppid() != parent) return 1;  // it died before prctl took effect
  std::signal(SIGPIPE, SIG_IGN);
  const auto fds = raise_fd_limit();
  if (fds < peers + 64) {
    std::fprintf(stderr, "discovery_bench cards: only %llu file descriptors for %zu listeners\n",
                 static_cast<unsigned long long>(fds), peers);
    return 1;
  }

  asio::io_context ioc(1);
  // A deque keeps each acceptor where it is, so accept_loop can hold a reference.
  std::deque<tcp::acceptor> acceptors;
  for (std::size_t i = 0; i < peers; ++i) {
    const std::string address = peer_address(i);
    auto& acceptor = acceptors.emplace_back(ioc);
    boost::system::error_code ec;
    const tcp::endpoint endpoint(asio::ip::make_address_v4(address), port);
    acceptor.open(endpoint.protocol(), ec);
    if (!ec) acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
    if (!ec) acceptor.bind(endpoint, ec);
    // A silent peer still completes TCP handshakes (the kernel does that from the
    // backlog) but never accepts: the probe connects, sends, and waits out its deadline,
    // the costliest kind of dead peer. SOMAXCONN keeps the queue from filling over 100+
    // rounds, so it stays that kind rather than turning into dropped SYNs.
    if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
      std::fprintf(stderr, "discovery_bench cards: listen on %s:%u: %s\n", address.c_str(),
                   static_cast<unsigned>(port), ec.message().c_str());
      return 1;
    }
    if (port == 0) port = acceptor.local_endpoint().port();
    const auto kind = peer_kind(i);
    if (kind == PeerKind::kSilent) continue;
    auto card = std::make_shared<const std::string>(card_response(i, address, port));
    const auto delay = kind == PeerKind::kSlow ? slow_delay : std::chrono::milliseconds(0);
    asio::co_spawn(ioc, accept_loop(acceptor, std::move(card), delay), asio::detached);
  }
  std::printf("ready %u\n", static_cast<unsigned>(port));
  std::fflush(stdout);
  ioc.run();
  return 0;
}

}  // namespace constellation::bench

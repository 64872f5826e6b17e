#include "constellation/daemon/peer_prober.h"

#include <mutex>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <spdlog/spdlog.h>

#include "constellation/client/a2a_client.h"
#include "constellation/store/peers.h"
#include "constellation/util/run_blocking.h"

namespace constellation::daemon {

namespace asio = boost::asio;

struct PeerProber::State {
  asio::io_context& ioc;
  asio::any_io_executor blocking;
  store::Database& db;
  ProberOptions options;
  asio::strand<asio::io_context::executor_type> strand;
  asio::steady_timer timer;
  bool stopped = false;  // touched only on `strand`
  std::mutex mutex;  // guards last_outcome: probes run on their own strands
  /// Last outcome per probe URL, so a peer that stays down is logged once, not per round.
  std::unordered_map<std::string, std::string> last_outcome;

  /// Records the outcome; true when it differs from the previous round's.
  bool changed(const std::string& base, const std::string& outcome) {
    std::lock_guard lock(mutex);
    auto& last = last_outcome[base];
    if (last == outcome) return false;
    last = outcome;
    return true;
  }

  State(asio::io_context& i, asio::any_io_executor b, store::Database& d, ProberOptions o)
      : ioc(i), blocking(std::move(b)), db(d), options(std::move(o)),
        strand(asio::make_strand(i)), timer(strand) {}
};

namespace {

using State = PeerProber::State;

std::string trimmed(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

asio::awaitable<void> probe_one(std::shared_ptr<State> state, std::string base) {
  auto fetched = co_await client::fetch_card(base, state->options.probe_timeout);
  if (fetched) {
    if (trimmed(fetched->card.url) == trimmed(state->options.self_url)) co_return;
    store::PeerRecord peer;
    peer.probe_url = base;
    peer.name = fetched->card.name;
    peer.url = fetched->card.url;
    peer.description = fetched->card.description;
    for (const auto& s : fetched->card.skills) peer.skills.push_back(s.name);
    peer.card_json = fetched->raw_json;
    peer.source = "static";
    peer.last_seen = peer.first_seen = std::chrono::system_clock::now();
    peer.online = true;
    auto job = [state, peer] { return store::PeerTable(state->db).upsert_seen(peer); };
    auto st = co_await run_blocking(state->blocking, std::move(job));
    if (!st) spdlog::error("recording peer {}: {}", peer.name, st.error().message);
    if (state->changed(base, "up:" + peer.name + "@" + peer.url)) {
      spdlog::info("peer '{}' at {} is reachable", peer.name, peer.url);
    }
  } else {
    const std::string error = fetched.error().message;
    auto job = [state, base, error] { return store::PeerTable(state->db).mark_offline(base, error); };
    auto st = co_await run_blocking(state->blocking, std::move(job));
    if (!st) spdlog::error("recording probe of {}: {}", base, st.error().message);
    if (state->changed(base, "down:" + error)) {
      spdlog::warn("static peer {} does not answer: {}", base, error);
    }
  }
}

asio::awaitable<void> probe_loop(std::shared_ptr<State> state) {
  for (;;) {
    if (state->stopped) co_return;
    for (const auto& base : state->options.static_peers) {
      // Each probe on its own strand: one dead host never delays the others.
      asio::co_spawn(asio::make_strand(state->ioc), probe_one(state, trimmed(base)),
                     asio::detached);
    }
    state->timer.expires_after(state->options.interval);
    auto [ec] = co_await state->timer.async_wait(asio::as_tuple(asio::use_awaitable));
    if (ec == asio::error::operation_aborted) co_return;
  }
}

}  // namespace

PeerProber::PeerProber(asio::io_context& ioc, asio::any_io_executor blocking, store::Database& db,
                       ProberOptions options)
    : state_(std::make_shared<State>(ioc, std::move(blocking), db, std::move(options))) {}

PeerProber::~PeerProber() { stop(); }

void PeerProber::start() {
  if (state_->options.static_peers.empty()) return;
  asio::co_spawn(state_->strand, probe_loop(state_), asio::detached);
}

void PeerProber::stop() {
  auto state = state_;
  asio::post(state->strand, [state] {
    state->stopped = true;
    state->timer.cancel();
  });
}

}  // namespace constellation::daemon

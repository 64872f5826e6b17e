// The comparisons that explain a round's time: the same probes one at a time (the
// naive alternative), all at once without the prober around them, and the store write
// alone. Each runs with the prober stopped, so nothing else competes.

#include <algorithm>
#include <future>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_future.hpp>

#include "constellation/client/a2a_client.h"
#include "constellation/store/database.h"
#include "constellation/store/peers.h"
#include "discovery_bench.h"

namespace constellation::bench {
namespace {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

std::int64_t ms_since(Clock::time_point started) {
  return std::chrono::duration_cast<milliseconds>(Clock::now() - started).count();
}

asio::awaitable<ProbeRun> one_after_another(std::vector<std::string> bases, milliseconds timeout,
                                            const std::atomic<bool>& interrupted) {
  ProbeRun result;
  const auto started = Clock::now();
  for (const auto& base : bases) {
    if (interrupted) break;  // this alone takes over a minute: Ctrl-C must not wait for it
    auto card = co_await client::fetch_card(base, timeout);
    if (card) ++result.answered;
  }
  result.ms = ms_since(started);
  co_return result;
}

}  // namespace

ProbeRun probe_one_at_a_time(asio::io_context& ioc, const std::vector<std::string>& bases,
                             milliseconds timeout, const std::atomic<bool>& interrupted) {
  return asio::co_spawn(ioc, one_after_another(bases, timeout, interrupted), asio::use_future).get();
}

ProbeRun probe_all_at_once(asio::io_context& ioc, const std::vector<std::string>& bases,
                           milliseconds timeout) {
  ProbeRun result;
  const auto started = Clock::now();
  std::vector<std::future<Result<client::FetchedCard>>> pending;
  for (const auto& base : bases) {
    // Each on its own strand, as run_batch does.
    pending.push_back(asio::co_spawn(asio::make_strand(ioc), client::fetch_card(base, timeout),
                                     asio::use_future));
  }
  for (auto& card : pending) {
    if (card.get()) ++result.answered;
  }
  result.ms = ms_since(started);
  return result;
}

double time_store_write(store::Database& db, const std::vector<std::string>& silent,
                        std::size_t* updates_per_write) {
  store::PeerTable table(db);
  auto peers = table.list();
  if (!peers) return -1;
  std::vector<double> samples;
  for (int i = 0; i < 5; ++i) {
    const auto now = std::chrono::system_clock::now();
    std::vector<store::PeerUpdate> updates;
    for (auto peer : *peers) {
      if (peer.online) {
        peer.last_seen = peer.last_probe = now;
        updates.push_back(store::PeerSeen{std::move(peer)});
      } else {
        updates.push_back(store::PeerDown{peer.probe_url, "no card within the timeout", now});
      }
    }
    for (const auto& base : silent) updates.push_back(store::PeerDown{base, "timed out", now});
    *updates_per_write = updates.size();
    const auto started = Clock::now();
    if (!table.apply(updates)) return -1;
    samples.push_back(std::chrono::duration<double, std::milli>(Clock::now() - started).count());
  }
  std::sort(samples.begin(), samples.end());
  return samples[samples.size() / 2];
}

}  // namespace constellation::bench

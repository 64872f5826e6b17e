// Parent role: the real discovery stack, wired as `constellation serve` wires it
// (daemon/serve.cc: one io_context on 2 threads, a blocking pool of 2, DiscoverySources
// feeding PeerDiscovery), pointed at the fake tailnet. Timing comes from the prober's
// own RoundReport, so what is measured is what the daemon would log.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/thread_pool.hpp>
#include <spdlog/spdlog.h>

#include "constellation/daemon/discovery_sources.h"
#include "constellation/discovery/peer_discovery.h"
#include "constellation/discovery/probe_target.h"
#include "constellation/store/database.h"
#include "discovery_bench.h"

namespace constellation::bench {
namespace {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

/// Filled on the discovery strand by on_round, read by the main thread.
struct RoundLog {
  std::mutex mutex;
  std::condition_variable changed;
  bool done = false;
  int signal = 0;  ///< SIGINT or SIGTERM came: clean up, print nothing, exit 128 + it
  std::size_t skipped = 0;
  std::vector<std::int64_t> ms;
  std::vector<std::size_t> answered;
  std::vector<std::uint64_t> rss;
};

/// Runs `ioc` on 2 threads (as serve does: its main thread and one more) until stop().
class IoThreads {
 public:
  explicit IoThreads(asio::io_context& ioc) : ioc_(ioc), guard_(asio::make_work_guard(ioc)) {
    for (int i = 0; i < 2; ++i) threads_.emplace_back([this] { run(); });
  }
  ~IoThreads() { stop(); }
  IoThreads(const IoThreads&) = delete;
  IoThreads& operator=(const IoThreads&) = delete;

  /// Lets the work drain for up to `grace` (stopped sources finish cleanly, the
  /// poller's child included), then stops whatever is left and joins.
  void stop(milliseconds grace = milliseconds(3000)) {
    if (threads_.empty()) return;
    guard_.reset();
    const auto deadline = Clock::now() + grace;
    while (!ioc_.stopped() && Clock::now() < deadline) std::this_thread::sleep_for(milliseconds(10));
    ioc_.stop();
    threads_.clear();  // jthread joins
  }

 private:
  void run() {
    try {
      ioc_.run();
    } catch (const std::exception& e) {
      std::fprintf(stderr, "discovery_bench: I/O thread: %s\n", e.what());
      std::abort();  // a benchmark with a dead I/O thread measures nothing
    }
  }
  asio::io_context& ioc_;
  asio::executor_work_guard<asio::io_context::executor_type> guard_;
  std::vector<std::jthread> threads_;
};

}  // namespace

int run_benchmark(const BenchOptions& options) {
  Figures fig;
  fig.options = options;
  for (std::size_t i = 0; i < options.peers; ++i) {
    switch (peer_kind(i)) {
      case PeerKind::kAnswers: ++fig.answering; break;
      case PeerKind::kSlow: ++fig.slow; break;
      case PeerKind::kSilent: ++fig.silent; break;
    }
  }
  // Slow peers answer at 60% of the timeout: late, but always within it.
  fig.slow_delay = std::max(milliseconds(1), options.probe_timeout * 6 / 10);
  // Logs would cost time inside the rounds being timed; warnings still show trouble.
  spdlog::set_level(spdlog::level::warn);

  fig.fd_limit = raise_fd_limit();
  if (fig.fd_limit < 2 * options.peers + 64) {
    std::fprintf(stderr, "discovery_bench: only %llu file descriptors; %zu peers need about %zu\n",
                 static_cast<unsigned long long>(fig.fd_limit), options.peers, 2 * options.peers + 64);
    return 1;
  }

  TempDir tmp;
  const auto cli = write_fake_tailnet(tmp.path(), options.peers);
  ::setenv("FAKE_TAILSCALE_DIR", tmp.path().c_str(), 1);
  CardServerProcess cards(options.peers, fig.slow_delay);

  auto db = store::Database::open(tmp.path() / "store.db");
  if (!db) {
    std::fprintf(stderr, "discovery_bench: store: %s\n", db.error().message.c_str());
    return 1;
  }

  discovery::DiscoveryOptions dopts;
  dopts.interval = options.interval;
  dopts.probe_timeout = options.probe_timeout;
  dopts.self_url = "http://127.0.0.1:" + std::to_string(cards.port()) + "/";  // never probed
  daemon::DiscoverySetup setup;
  setup.methods = {"tailscale"};
  setup.tailscale_ports = {cards.port()};
  setup.interval = options.poll_interval;
  setup.tailscale_executable = cli.string();

  asio::io_context ioc(2);
  asio::thread_pool blocking(2);
  RoundLog log;
  std::optional<ProbeRun> baseline;
  {
    discovery::PeerDiscovery prober(ioc, blocking.get_executor(), **db, dopts);
    daemon::DiscoverySources sources(ioc, prober, setup);
    prober.on_round([&](const discovery::RoundReport& r) {
      const auto rss = rss_kib();  // on the strand, before the next round can start
      std::lock_guard lock(log.mutex);
      if (log.done) return;
      // Until the first Tailscale poll lands, a round sees fewer targets (0): not a
      // full round, so counted apart.
      if (r.targets != options.peers) {
        ++log.skipped;
        return;
      }
      log.ms.push_back(r.elapsed.count());
      log.answered.push_back(r.answered);
      log.rss.push_back(rss);
      if (log.ms.size() == options.rounds) {
        log.done = true;
        prober.stop();  // runs before the interval timer fires: no round 101 overlaps below
      }
      log.changed.notify_all();
    });
    fig.rss_before_kib = rss_kib();
    IoThreads threads(ioc);
    // Ctrl-C ends the run through the destructors, so the card server is reaped and the
    // temp dir removed; the default action would leave the directory behind.
    std::atomic<bool> interrupted{false};
    asio::signal_set signals(ioc, SIGINT, SIGTERM);
    signals.async_wait([&](const boost::system::error_code& ec, int signal) {
      if (ec) return;
      interrupted = true;
      prober.stop();
      sources.stop();
      std::lock_guard lock(log.mutex);
      log.signal = signal;
      log.done = true;
      log.changed.notify_all();
    });
    prober.start();
    sources.start();

    // Generous limits (a round should take about one timeout), so that only a broken
    // set-up trips them: the first full round needs one poll and one round; the rest
    // get 4 timeouts each.
    const auto first_limit = std::chrono::seconds(20) + 4 * options.probe_timeout;
    const auto limit = first_limit + options.rounds * (4 * options.probe_timeout + options.interval);
    {
      std::unique_lock lock(log.mutex);
      const bool started =
          log.changed.wait_for(lock, first_limit, [&] { return !log.ms.empty() || log.done; });
      const bool finished = started && log.changed.wait_for(lock, limit, [&] { return log.done; });
      if (log.signal != 0) return 128 + log.signal;
      if (!finished) {
        std::fprintf(stderr,
                     "discovery_bench: %zu of %zu rounds saw all %zu targets in time (%zu saw fewer); "
                     "is the fake tailscale CLI working? (a warning above says why)\n",
                     log.ms.size(), options.rounds, options.peers, log.skipped);
        sources.stop();
        prober.stop();
        return 1;  // IoThreads, the sources and the card server clean up on the way out
      }
    }
    sources.stop();

    std::vector<std::string> bases;
    for (std::size_t i = 0; i < options.peers; ++i)
      bases.push_back(discovery::base_url(peer_address(i), cards.port()));
    const auto alone = probe_all_at_once(ioc, bases, options.probe_timeout);
    fig.probes_alone_ms = alone.ms;
    fig.probes_alone_answered = alone.answered;
    if (options.baseline) {
      baseline = probe_one_at_a_time(ioc, bases, options.probe_timeout, interrupted);
    }
    if (interrupted) {
      std::lock_guard lock(log.mutex);
      return 128 + log.signal;
    }
    signals.cancel();  // or its pending wait keeps the io_context from draining
    threads.stop();
  }
  blocking.join();  // after the I/O threads: a finishing store job posts back to ioc

  std::vector<std::string> silent;
  for (std::size_t i = 0; i < options.peers; ++i) {
    if (peer_kind(i) == PeerKind::kSilent) {
      silent.push_back(discovery::base_url(peer_address(i), cards.port()));
    }
  }
  fig.store_write_ms = time_store_write(**db, silent, &fig.store_updates);
  fig.skipped_rounds = log.skipped;
  fig.round_ms = std::move(log.ms);
  fig.answered = std::move(log.answered);
  fig.rss_kib = std::move(log.rss);
  if (baseline) {
    fig.baseline_ms = baseline->ms;
    fig.baseline_answered = baseline->answered;
  }
  print_figures(fig);
  return 0;
}

}  // namespace constellation::bench

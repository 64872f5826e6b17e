#pragma once
/// The 500-peer discovery benchmark (issue 3 item 7). One binary, two roles:
///   parent (default): a fake tailnet of N online peers is handed to the real discovery
///     stack (TailscalePoller → DiscoverySources → PeerDiscovery → store) and every round
///     is timed; see discovery_bench_measure.cc.
///   child (--serve-cards N): answers the cards of those N peers on 127.20.x.y, some at
///     once, some slowly, some never; see discovery_bench_cards.cc.
/// Both roles derive each peer's address and behaviour from its index with the functions
/// below, so the parent knows what to expect without asking the child.

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <sys/types.h>
#include <vector>

#include "support/temp_dir.h"

namespace boost::asio {
class io_context;
}
namespace constellation::store {
class Database;
}

namespace constellation::bench {

enum class PeerKind { kAnswers, kSlow, kSilent };

/// ~80% answer at once, ~10% slowly, ~10% never: every 10th index is silent, every
/// 10th (offset by one) is slow. Interleaved, so no address range is all of one kind.
inline PeerKind peer_kind(std::size_t i) {
  switch (i % 10) {
    case 8: return PeerKind::kSlow;
    case 9: return PeerKind::kSilent;
    default: return PeerKind::kAnswers;
  }
}

/// 127.20.x.y, y in 1..254: the whole of 127/8 is loopback on Linux, so no setup is
/// needed, and .0/.255 are skipped so no address looks like a network or broadcast one.
inline std::string peer_address(std::size_t i) {
  return "127.20." + std::to_string(i / 254) + "." + std::to_string(i % 254 + 1);
}

/// Raises RLIMIT_NOFILE's soft limit to the hard limit: 500 concurrent probes (parent)
/// or 500 listeners (child) do not fit in the usual soft 1024 with room to spare.
/// Returns the soft limit now in force.
std::uint64_t raise_fd_limit();

/// Child role: binds the listeners, prints "ready <port>" on stdout, serves until killed
/// (or until `parent` dies). `port` 0 lets the kernel choose for the first address; the
/// others reuse that port.
int serve_cards(std::size_t peers, std::uint16_t port, std::chrono::milliseconds slow_delay,
                pid_t parent);

/// Owns a child's pid: SIGKILL and waitpid when it goes, so no child outlives the bench
/// (a separate member so that a throwing CardServerProcess constructor still reaps).
struct KilledOnExit {
  pid_t pid = -1;
  KilledOnExit() = default;
  ~KilledOnExit();
  KilledOnExit(const KilledOnExit&) = delete;
  KilledOnExit& operator=(const KilledOnExit&) = delete;
};

/// The child as seen by the parent: spawned from /proc/self/exe, ready once it has
/// printed its port, killed and reaped when this goes, whatever happened in between.
class CardServerProcess {
 public:
  /// Throws std::runtime_error when the child cannot be started or is not ready in 15 s.
  CardServerProcess(std::size_t peers, std::chrono::milliseconds slow_delay);
  CardServerProcess(const CardServerProcess&) = delete;
  CardServerProcess& operator=(const CardServerProcess&) = delete;

  std::uint16_t port() const { return port_; }

 private:
  KilledOnExit child_;
  std::uint16_t port_ = 0;
};

/// A fresh directory under $TMPDIR (or /tmp), removed with its contents when this goes.
class TempDir : public test_support::TempDir {
 public:
  TempDir() : test_support::TempDir("discovery-bench") {}
};

/// Writes the fake tailnet into `dir`: status.out (what `tailscale status --json` prints:
/// the fixture's Self, and N online peers made from its "buildbox" peer, peer i at
/// peer_address(i)) and an executable copy of tests/e2e/bin/tailscale. Returns the
/// copy's absolute path; the caller sets FAKE_TAILSCALE_DIR=dir. Throws on failure.
std::filesystem::path write_fake_tailnet(const std::filesystem::path& dir, std::size_t peers);

/// VmRSS of this process in KiB, from /proc/self/status; 0 when unreadable.
std::uint64_t rss_kib();

struct BenchOptions {
  std::size_t peers = 500;
  std::size_t rounds = 100;
  std::chrono::milliseconds probe_timeout{1000};
  std::chrono::milliseconds interval{50};
  /// How often the fake `tailscale status --json` runs. serve uses one interval for
  /// both, which there means about one poll per round; polling every 50 ms here would
  /// spawn a shell and parse ~1 MB of JSON 20 times a round and distort the figures.
  std::chrono::milliseconds poll_interval{1000};
  bool baseline = true;
};

/// Parent role: runs the rounds and the baseline and prints the figures. Returns the
/// exit code: 0, 1 when the set-up fails, 130/143 when interrupted. Timings never fail it.
int run_benchmark(const BenchOptions& options);

/// One pass over the targets: how long it took, how many cards came back.
struct ProbeRun {
  std::int64_t ms = 0;
  std::size_t answered = 0;
};

/// The baseline: the same targets, the same timeout, one fetch_card after another on
/// `ioc` (which must be running). Stops early once `interrupted` is set. Blocks.
ProbeRun probe_one_at_a_time(boost::asio::io_context& ioc, const std::vector<std::string>& bases,
                             std::chrono::milliseconds timeout,
                             const std::atomic<bool>& interrupted);

/// The probing part of a round alone: every target fetched at once, nothing stored.
/// A round's time minus this is what the prober adds around the network. Blocks.
ProbeRun probe_all_at_once(boost::asio::io_context& ioc, const std::vector<std::string>& bases,
                           std::chrono::milliseconds timeout);

/// One round's store write alone (RoundReport includes it but does not split it out):
/// every stored peer seen again and every `silent` address down again, in one
/// PeerTable::apply as the prober does. Median of 5 in ms; -1 on a store error.
double time_store_write(store::Database& db, const std::vector<std::string>& silent,
                        std::size_t* updates_per_write);

/// What run_benchmark measured, for print_figures.
struct Figures {
  BenchOptions options;
  std::size_t answering = 0, slow = 0, silent = 0;
  std::chrono::milliseconds slow_delay{};
  std::uint64_t fd_limit = 0;
  std::uint64_t rss_before_kib = 0;   ///< after set-up, before the first round
  std::size_t skipped_rounds = 0;     ///< rounds that saw fewer than `peers` targets
  std::vector<std::int64_t> round_ms; ///< RoundReport.elapsed of each full round
  std::vector<std::size_t> answered;  ///< RoundReport.answered of each full round
  std::vector<std::uint64_t> rss_kib; ///< VmRSS after each full round
  std::int64_t baseline_ms = -1;      ///< one-at-a-time probing of the same targets
  std::size_t baseline_answered = 0;
  std::int64_t probes_alone_ms = -1;  ///< one round's probes without the prober or store
  std::size_t probes_alone_answered = 0;
  double store_write_ms = -1;         ///< one round's store write, timed on its own
  std::size_t store_updates = 0;
};

/// The figure table and the verdict line, on stdout.
void print_figures(const Figures& figures);

}  // namespace constellation::bench

// The figure table. Benchmarks do not assert: every number is printed, and one verdict
// line says how the slowest round compares with the goal (one probe timeout + 25%).

#include <algorithm>
#include <cmath>
#include <string>

#include <fmt/core.h>
#include <fmt/format.h>

#include "discovery_bench.h"

namespace constellation::bench {
namespace {

/// Nearest-rank percentile of sorted values (p in 0..100).
std::int64_t percentile(const std::vector<std::int64_t>& sorted, double p) {
  const auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(sorted.size())));
  return sorted[std::clamp<std::size_t>(rank, 1, sorted.size()) - 1];
}

double median(const std::vector<std::int64_t>& sorted) {
  const auto n = sorted.size();
  return n % 2 ? static_cast<double>(sorted[n / 2])
               : (static_cast<double>(sorted[n / 2 - 1]) + static_cast<double>(sorted[n / 2])) / 2.0;
}

/// The rounds after which VmRSS is shown: 1, 10, 50, 100 and the last, those that ran.
std::vector<std::size_t> rss_checkpoints(std::size_t rounds) {
  std::vector<std::size_t> out;
  for (const std::size_t r : {std::size_t{1}, std::size_t{10}, std::size_t{50}, std::size_t{100}, rounds}) {
    if (r <= rounds && (out.empty() || r > out.back())) out.push_back(r);
  }
  return out;
}

}  // namespace

void print_figures(const Figures& f) {
  const auto& o = f.options;
  const double timeout = static_cast<double>(o.probe_timeout.count());
  fmt::print("discovery benchmark: {} rounds over a fake tailnet on 127.20.x.y\n", f.round_ms.size());
  fmt::print("  peers                 {} online ({} answer at once, {} slow at {} ms, {} silent)\n",
             o.peers, f.answering, f.slow, f.slow_delay.count(), f.silent);
  fmt::print("  probe timeout         {} ms   round interval {} ms   tailscale poll every {} ms\n",
             o.probe_timeout.count(), o.interval.count(), o.poll_interval.count());
  fmt::print("  fd limit              {}\n", f.fd_limit);
  fmt::print("  rounds measured       {} with all {} targets ({} earlier round(s) skipped: "
             "they ran before the first Tailscale poll delivered the targets)\n",
             f.round_ms.size(), o.peers, f.skipped_rounds);
  if (f.round_ms.empty()) return;

  auto sorted = f.round_ms;
  std::sort(sorted.begin(), sorted.end());
  const double med = median(sorted);
  fmt::print("  round time (ms)       min {}  median {:.0f}  p95 {}  max {}\n", sorted.front(), med,
             percentile(sorted, 95), sorted.back());
  fmt::print("  round / timeout       median {:.3f}  max {:.3f}\n", med / timeout,
             static_cast<double>(sorted.back()) / timeout);

  const auto [amin, amax] = std::minmax_element(f.answered.begin(), f.answered.end());
  const std::size_t expected = f.answering + f.slow;
  const auto exact = std::count(f.answered.begin(), f.answered.end(), expected);
  fmt::print("  answered per round    min {}  max {}  (expected {} = answering + slow; {} of {} rounds exact)\n",
             *amin, *amax, expected, exact, f.answered.size());

  // From round 10 on: the first rounds fill the allocator's per-thread arenas and
  // SQLite's page cache, which is growth that stops, not a leak.
  const auto checkpoints = rss_checkpoints(f.rss_kib.size());
  std::string rss_line;
  for (const auto r : checkpoints) rss_line += fmt::format("  round {}: {}", r, f.rss_kib[r - 1]);
  fmt::print("  VmRSS (KiB)           before {}{}\n", f.rss_before_kib, rss_line);
  const std::size_t from = std::min<std::size_t>(10, f.rss_kib.size());
  const std::size_t to = checkpoints.back();
  const auto m_from = f.rss_kib[from - 1];
  const auto growth = static_cast<std::int64_t>(f.rss_kib[to - 1]) - static_cast<std::int64_t>(m_from);
  fmt::print("  VmRSS growth          round {} -> {}: {:+} KiB ({:+.2f}%)\n", from, to, growth,
             m_from ? 100.0 * static_cast<double>(growth) / static_cast<double>(m_from) : 0.0);

  if (f.probes_alone_ms >= 0) {
    fmt::print("  probes alone          {} ms for one concurrent fetch of all {} targets, nothing stored "
               "({} answered)\n",
               f.probes_alone_ms, o.peers, f.probes_alone_answered);
  }
  if (f.store_write_ms >= 0) {
    fmt::print("  store write           {:.1f} ms for one round's {} updates (timed separately, median of 5)\n",
               f.store_write_ms, f.store_updates);
  }
  if (f.baseline_ms >= 0) {
    fmt::print("  baseline              one at a time: {} ms for {} targets ({} answered); "
               "speed-up of a concurrent round (median) {:.1f}x\n",
               f.baseline_ms, o.peers, f.baseline_answered, static_cast<double>(f.baseline_ms) / med);
  } else {
    fmt::print("  baseline              skipped (--no-baseline)\n");
  }

  const double goal = timeout * 1.25;
  const bool within = static_cast<double>(sorted.back()) <= goal;
  fmt::print("verdict: {} one probe timeout + 25% (slowest round {} ms, goal {:.0f} ms)\n",
             within ? "WITHIN" : "OVER", sorted.back(), goal);
}

}  // namespace constellation::bench

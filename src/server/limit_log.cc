#include "constellation/server/limit_log.h"

#include <spdlog/spdlog.h>

namespace constellation::server {

LimitHitThrottle::LimitHitThrottle(Clock clock, std::chrono::milliseconds window,
                                   std::size_t max_keys)
    : clock_(std::move(clock)), window_(window), max_keys_(max_keys) {}

std::optional<std::uint64_t> LimitHitThrottle::hit(std::string_view limit, std::string_view peer) {
  const auto now = clock_();
  std::lock_guard lock(mutex_);
  auto it = entries_.find(std::make_pair(std::string(limit), std::string(peer)));
  if (it == entries_.end()) {
    if (entries_.size() >= max_keys_) prune(now);
    entries_.emplace(std::make_pair(std::string(limit), std::string(peer)), Entry{now, 0});
    return std::uint64_t{0};
  }
  Entry& entry = it->second;
  if (now - entry.logged_at < window_) {
    ++entry.suppressed;
    return std::nullopt;
  }
  const std::uint64_t suppressed = entry.suppressed;
  entry = Entry{now, 0};
  return suppressed;
}

void LimitHitThrottle::prune(std::chrono::steady_clock::time_point now) {
  for (auto it = entries_.begin(); it != entries_.end();) {
    it = now - it->second.logged_at >= window_ ? entries_.erase(it) : std::next(it);
  }
}

std::size_t LimitHitThrottle::size() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

LimitLog::LimitLog() : LimitLog([] { return std::chrono::steady_clock::now(); }) {}

LimitLog::LimitLog(LimitHitThrottle::Clock clock) : throttle_(std::move(clock)) {}

void LimitLog::hit(std::string_view limit, std::string_view peer, std::string_view detail) {
  if (auto suppressed = throttle_.hit(limit, peer)) {
    spdlog::warn("{}", limit_hit_line(limit, peer, detail, *suppressed));
  }
}

std::string limit_hit_line(std::string_view limit, std::string_view peer, std::string_view detail,
                           std::uint64_t suppressed) {
  std::string line = fmt::format("limit {} hit by {}: {}", limit, peer, detail);
  if (suppressed > 0) {
    line += fmt::format("; {} more hit{} since the last line about this peer and limit",
                        suppressed, suppressed == 1 ? "" : "s");
  }
  return line;
}

}  // namespace constellation::server

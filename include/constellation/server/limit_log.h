#pragma once
/// Logging of limit hits (oversized bodies, slow clients, the connection cap, the
/// pending-task cap) at most once per peer and limit per minute: a client that keeps
/// hitting a limit must not be able to flood the log, yet the log still tells how often
/// it happened.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace constellation::server {

/// Decides which hits get a log line. Pure apart from its mutex (sessions on several
/// threads share one); the clock is injected so tests control time.
class LimitHitThrottle {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;

  /// `max_keys` bounds the memory a flood from many addresses can take: beyond it,
  /// entries whose window has passed are dropped (with their suppressed counts).
  explicit LimitHitThrottle(Clock clock, std::chrono::milliseconds window = std::chrono::minutes(1),
                            std::size_t max_keys = 4096);

  /// Records one hit of `limit` by `peer`. Returns the number of hits of that pair
  /// suppressed since its last logged one when this hit is to be logged (the first hit,
  /// or the first after the window has passed), nullopt when it is to be counted only.
  std::optional<std::uint64_t> hit(std::string_view limit, std::string_view peer);

  /// Pairs currently remembered (for tests of the memory bound).
  std::size_t size() const;

 private:
  struct Entry {
    std::chrono::steady_clock::time_point logged_at;
    std::uint64_t suppressed = 0;
  };
  void prune(std::chrono::steady_clock::time_point now);

  Clock clock_;
  std::chrono::milliseconds window_;
  std::size_t max_keys_;
  mutable std::mutex mutex_;
  std::map<std::pair<std::string, std::string>, Entry, std::less<>> entries_;
};

/// The throttle plus the log line. One per daemon, shared by the HTTP servers and the
/// task service, so every limit is reported the same way.
class LimitLog {
 public:
  LimitLog();
  explicit LimitLog(LimitHitThrottle::Clock clock);

  /// Logs "limit <limit> hit by <peer>: <detail>" as a warning, unless the same limit
  /// was logged for the same peer within the last minute; the next line logged for the
  /// pair adds how many hits were left out in between.
  void hit(std::string_view limit, std::string_view peer, std::string_view detail);

 private:
  LimitHitThrottle throttle_;
};

/// The log line for a hit, given the number of suppressed hits before it.
std::string limit_hit_line(std::string_view limit, std::string_view peer, std::string_view detail,
                           std::uint64_t suppressed);

}  // namespace constellation::server

#pragma once
/// How a store connection waits for another process's write lock.
///
/// SQLite's own busy timeout sleeps in growing steps of up to 100 ms between tries, so
/// with many processes writing one store (a hundred `send`s at once without a daemon) a
/// waiter keeps missing the moments the lock is free and a few starve past any timeout,
/// failing with "database is locked" after the peer has already taken their task. This
/// handler retries every 1-4 ms at a random moment, so that waiters do not fall into
/// step, and more often the longer it has waited (every 0.06-0.25 ms after 5 s), so an
/// old waiter takes the next free moment ahead of newcomers.

#include <chrono>
#include <random>

struct sqlite3;

namespace constellation::store {

class BusyWait {
 public:
  explicit BusyWait(std::chrono::milliseconds timeout);

  /// Makes `db` wait through this object; it must outlive the connection's last use.
  void install(sqlite3* db);

  std::chrono::milliseconds timeout() const { return timeout_; }

 private:
  static int on_busy(void* self, int attempts);

  std::chrono::milliseconds timeout_;
  std::chrono::steady_clock::time_point since_{};
  std::minstd_rand random_;
};

}  // namespace constellation::store

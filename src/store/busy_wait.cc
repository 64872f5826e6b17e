#include "busy_wait.h"

#include <sqlite3.h>

#include <thread>

namespace constellation::store {

BusyWait::BusyWait(std::chrono::milliseconds timeout)
    : timeout_(timeout),
      random_(static_cast<std::minstd_rand::result_type>(
          std::chrono::steady_clock::now().time_since_epoch().count())) {}

void BusyWait::install(sqlite3* db) { sqlite3_busy_handler(db, &BusyWait::on_busy, this); }

int BusyWait::on_busy(void* self, int attempts) {
  auto& wait = *static_cast<BusyWait*>(self);
  const auto now = std::chrono::steady_clock::now();
  // SQLite counts the attempts of one lock request from 0; the first marks its start.
  if (attempts == 0) wait.since_ = now;
  if (now - wait.since_ >= wait.timeout_) return 0;  // give up: SQLITE_BUSY to the caller
  std::uniform_int_distribution<int> pause_us(1000, 4000);
  std::this_thread::sleep_for(std::chrono::microseconds(pause_us(wait.random_)));
  return 1;
}

}  // namespace constellation::store

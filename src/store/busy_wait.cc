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
  const auto waited = now - wait.since_;
  if (waited >= wait.timeout_) return 0;  // give up: SQLITE_BUSY to the caller
  // The longer a waiter has waited, the more often it tries, so it takes the next free
  // moment ahead of newcomers: with equal chances alone, a slow machine (a hundred
  // sanitized processes) let one unlucky waiter lose for half a minute.
  using std::chrono::seconds;
  const int most_us = waited < seconds(1) ? 4000 : waited < seconds(5) ? 1000 : 250;
  std::uniform_int_distribution<int> pause_us(most_us / 4, most_us);
  std::this_thread::sleep_for(std::chrono::microseconds(pause_us(wait.random_)));
  return 1;
}

}  // namespace constellation::store

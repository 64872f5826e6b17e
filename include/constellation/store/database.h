#pragma once
/// The SQLite store: one file shared by the daemon and every verb process.
///
/// Opened in WAL mode, so readers never block the writer, and with a busy handler
/// (busy_wait.h), so concurrent writers wait their turn (up to 60 s) instead of failing
/// with "database is locked". Writes use
/// BEGIN IMMEDIATE so two processes never deadlock upgrading a read lock.
/// synchronous=FULL: a commit is on disk before we acknowledge anything built on it.
/// Writes that arrive while a commit is being synced share the next commit (group
/// commit): one fsync for the lot, so concurrent writers are not serialised on the disk.
///
/// The schema is versioned with PRAGMA user_version (see migrations.h). A store from a
/// newer version, or a file that is not a SQLite database, is refused, never rewritten.

#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <SQLiteCpp/Database.h>

#include "constellation/util/error.h"

namespace constellation::store {

class BusyWait;

class Database {
 public:
  /// Creates the parent directory and the file if needed, then migrates.
  static Result<std::unique_ptr<Database>> open(const std::filesystem::path& path);

  const std::filesystem::path& path() const { return path_; }

  /// SQLite's quick_check over the whole file: a damaged store is an error telling what
  /// to do. It reads every page, so `serve` runs it once at start, not every verb.
  Status check_integrity();

  /// Runs fn(db) inside BEGIN IMMEDIATE … COMMIT (rolled back if fn throws); returns once
  /// the commit is on disk. fn may run on another writer's thread, in one transaction with
  /// other writes, each inside its own savepoint: a write that throws is undone alone.
  Status write(const char* what, const std::function<void(SQLite::Database&)>& fn);

  /// Runs fn(db) under the mutex without a transaction (for reads).
  Status read(const char* what, const std::function<void(SQLite::Database&)>& fn);

  Database(const std::filesystem::path& path, std::unique_ptr<BusyWait> busy,
           std::unique_ptr<SQLite::Database> db);
  ~Database();

 private:
  std::filesystem::path path_;
  /// A write waiting for a commit; filled in by whichever writer commits it.
  struct PendingWrite;

  std::unique_ptr<BusyWait> busy_;  // before db_: the connection calls it until closed
  std::unique_ptr<SQLite::Database> db_;
  std::mutex mutex_;  ///< the connection: held for every read and every commit
  std::mutex queue_mutex_;
  std::vector<PendingWrite*> queue_;  ///< writes not yet taken into a commit
};

}  // namespace constellation::store

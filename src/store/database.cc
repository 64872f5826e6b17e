#include "constellation/store/database.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <chrono>
#include <system_error>
#include <thread>

#include <SQLiteCpp/Exception.h>

#include "busy_wait.h"
#include "constellation/store/migrations.h"

namespace constellation::store {
namespace {

// Long enough for a hundred verb processes writing at once on a loaded machine; a verb
// that gives up fails after its peer may already have taken the task.
constexpr std::chrono::milliseconds kBusyTimeout{60'000};

Error store_error(const char* what, const char* cause, const std::filesystem::path& path) {
  return Error{ErrorKind::kStore,
               std::string(what) + ": " + cause + " (store " + path.string() + ")"};
}

/// A store SQLite cannot read as a whole (truncated, overwritten in part). It is left as
/// it is: whatever can be saved from it, a person has to save.
Error damaged(const std::filesystem::path& path, std::string_view detail) {
  return Error{ErrorKind::kStore,
               "store " + path.string() + " is damaged (" + std::string(detail) +
                   "); restore it from a backup, or move it away to start with an empty store "
                   "(or set [store] path)"};
}

/// Leaves the connection outside any transaction, whatever state a failure left it in.
void rollback_quietly(SQLite::Database& db) noexcept {
  if (sqlite3_get_autocommit(db.getHandle()) != 0) return;
  try {
    db.exec("ROLLBACK");
  } catch (...) {
    // Nothing better to do: the connection reports the original error.
  }
}

/// Runs the first read that touches the file header, so that a file that is not a
/// SQLite database is recognised before anything (WAL mode, a migration) writes to it.
Status check_is_sqlite(SQLite::Database& db, const std::filesystem::path& path) {
  try {
    SQLite::Statement probe(db, "SELECT count(*) FROM sqlite_master");
    probe.executeStep();
    return Ok{};
  } catch (const SQLite::Exception& e) {
    if (e.getErrorCode() == SQLITE_NOTADB)
      return Error{ErrorKind::kStore,
                   path.string() +
                       " is not a Constellation store (file is not a database); move it away "
                       "or set [store] path"};
    if ((e.getErrorCode() & 0xff) == SQLITE_CORRUPT) return damaged(path, e.what());
    return store_error("open", e.what(), path);
  }
}

/// Switching to WAL needs an exclusive lock that SQLite does not wait for through the
/// busy handler, so processes opening one store at once would fail here; retry for as
/// long as any other statement would wait.
void enable_wal(SQLite::Database& db) {
  const auto deadline = std::chrono::steady_clock::now() + kBusyTimeout;
  for (;;) {
    try {
      db.exec("PRAGMA journal_mode=WAL");
      return;
    } catch (const SQLite::Exception& e) {
      int primary = e.getErrorCode() & 0xff;
      if ((primary != SQLITE_BUSY && primary != SQLITE_LOCKED) ||
          std::chrono::steady_clock::now() >= deadline)
        throw;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

/// Creates the store file readable by its owner only, whatever the umask: it holds every
/// task's text. SQLite gives the -wal and -shm files the same mode. An existing file
/// keeps the mode its owner chose.
Status create_private_file(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600);
  if (fd >= 0) {
    ::close(fd);
    return Ok{};
  }
  if (errno == EEXIST) return Ok{};
  return Error{ErrorKind::kStore, "cannot create the store " + path.string() + ": " +
                                      std::error_code(errno, std::generic_category()).message()};
}

}  // namespace

Database::Database(const std::filesystem::path& path, std::unique_ptr<BusyWait> busy,
                   std::unique_ptr<SQLite::Database> db)
    : path_(path), busy_(std::move(busy)), db_(std::move(db)) {}

Database::~Database() = default;

Result<std::unique_ptr<Database>> Database::open(const std::filesystem::path& path) {
  try {
    if (path.has_parent_path()) {
      std::error_code ec;
      const bool made = std::filesystem::create_directories(path.parent_path(), ec);
      if (ec)
        return Error{ErrorKind::kStore, "cannot create the store directory " +
                                            path.parent_path().string() + ": " + ec.message()};
      // A directory we make for the store is private too; one that existed is left alone.
      if (made) {
        std::filesystem::permissions(path.parent_path(), std::filesystem::perms::owner_all,
                                     std::filesystem::perm_options::replace, ec);
      }
    }
    if (Status created = create_private_file(path); !created) return created.error();
    auto busy = std::make_unique<BusyWait>(kBusyTimeout);
    auto db = std::make_unique<SQLite::Database>(
        path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_FULLMUTEX);
    busy->install(db->getHandle());
    if (Status is_sqlite = check_is_sqlite(*db, path); !is_sqlite) return is_sqlite.error();
    // Migrate before switching to WAL: a refused store must be left exactly as found.
    if (Status migrated = migrate(*db, path.string()); !migrated) return migrated.error();
    enable_wal(*db);
    db->exec("PRAGMA synchronous=FULL");
    db->exec("PRAGMA foreign_keys=ON");
    return std::make_unique<Database>(path, std::move(busy), std::move(db));
  } catch (const std::exception& e) {
    return store_error("open", e.what(), path);
  }
}

Status Database::check_integrity() {
  std::lock_guard<std::mutex> lock(mutex_);
  try {
    SQLite::Statement check(*db_, "PRAGMA quick_check(3)");
    std::string problems;
    while (check.executeStep()) {
      const std::string row = check.getColumn(0).getString();
      if (row == "ok") continue;
      problems += (problems.empty() ? "" : "; ") + row;
    }
    if (problems.empty()) return Ok{};
    return damaged(path_, problems);
  } catch (const SQLite::Exception& e) {
    if ((e.getErrorCode() & 0xff) == SQLITE_CORRUPT || e.getErrorCode() == SQLITE_NOTADB)
      return damaged(path_, e.what());
    return store_error("check", e.what(), path_);
  }
}

struct Database::PendingWrite {
  const char* what;
  const std::function<void(SQLite::Database&)>* fn;
  bool done = false;  ///< written and read under mutex_
  Status status = Ok{};
};

Status Database::write(const char* what, const std::function<void(SQLite::Database&)>& fn) {
  PendingWrite mine{what, &fn};
  {
    std::lock_guard queue_lock(queue_mutex_);
    queue_.push_back(&mine);
  }
  // Group commit: whoever holds the connection next commits every write queued so far,
  // its own among them. Writes queued while that commit is synced wait here and go into
  // the following one, so N concurrent writers cost about one fsync each round instead of
  // N in a row — the point of synchronous=FULL stays: nobody returns before its commit is
  // on disk.
  std::lock_guard<std::mutex> lock(mutex_);
  if (mine.done) return mine.status;
  std::vector<PendingWrite*> batch;
  {
    std::lock_guard queue_lock(queue_mutex_);
    batch.swap(queue_);
  }
  auto fail_all = [&](const char* cause) {
    for (PendingWrite* w : batch) {
      if (w->status.ok()) w->status = store_error(w->what, cause, path_);
    }
  };
  try {
    // IMMEDIATE takes the write lock up front: a deferred transaction that later needs
    // to write can fail with SQLITE_BUSY without the busy handler ever being called.
    db_->exec("BEGIN IMMEDIATE");
    for (PendingWrite* w : batch) {
      // Each write in its own savepoint: one that throws is undone alone, as if it had
      // had its own transaction.
      db_->exec("SAVEPOINT one_write");
      try {
        (*w->fn)(*db_);
        db_->exec("RELEASE one_write");
      } catch (const std::exception& e) {
        w->status = store_error(w->what, e.what(), path_);
        db_->exec("ROLLBACK TO one_write");
        db_->exec("RELEASE one_write");
      } catch (...) {
        w->status = store_error(w->what, "unknown exception", path_);
        db_->exec("ROLLBACK TO one_write");
        db_->exec("RELEASE one_write");
      }
    }
    db_->exec("COMMIT");
  } catch (const std::exception& e) {
    // BEGIN, a savepoint or COMMIT itself failed: nothing of the batch is stored.
    rollback_quietly(*db_);
    fail_all(e.what());
  }
  for (PendingWrite* w : batch) w->done = true;
  return mine.status;
}

Status Database::read(const char* what, const std::function<void(SQLite::Database&)>& fn) {
  std::lock_guard<std::mutex> lock(mutex_);
  try {
    fn(*db_);
    return Ok{};
  } catch (const std::exception& e) {
    return store_error(what, e.what(), path_);
  } catch (...) {
    return store_error(what, "unknown exception", path_);
  }
}

}  // namespace constellation::store

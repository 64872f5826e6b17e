#include "constellation/store/database.h"

#include <sys/stat.h>

#include <atomic>
#include <fstream>
#include <stdexcept>
#include <thread>
#include <vector>

#include <SQLiteCpp/SQLiteCpp.h>

#include "constellation/store/inbound_tasks.h"
#include "store/store_fixture.h"

namespace constellation::store {
namespace {

using test_support::at_ms;
using test_support::count_rows;
using test_support::file_bytes;

class DatabaseTest : public test_support::StoreTest {};

InboundTask inbound(const std::string& id) {
  InboundTask in;
  in.task.id = id;
  in.task.state = a2a::TaskState::kSubmitted;
  in.task.updated_at = at_ms(0);
  in.task.history = {a2a::Message{a2a::Role::kUser, {a2a::Part{"hello " + id}}, "m-" + id}};
  in.dialect = "legacy";
  in.received_at = at_ms(0);
  return in;
}

TEST_F(DatabaseTest, OpenCreatesParentDirectoriesAndFile) {
  auto path = dir_ / "a" / "b" / "store.db";
  auto db = open_store(path);
  ASSERT_TRUE(db);
  EXPECT_EQ(db->path(), path);
  EXPECT_TRUE(std::filesystem::exists(path));
}

/// The permission bits of `p`.
mode_t mode_of(const std::filesystem::path& p) {
  struct stat st{};
  EXPECT_EQ(::stat(p.c_str(), &st), 0) << p;
  return st.st_mode & 07777;
}

TEST_F(DatabaseTest, NewStoreIsPrivateWhateverTheUmask) {
  const mode_t old_umask = ::umask(022);
  const auto path = dir_ / "fresh" / "store.db";
  auto db = Database::open(path);
  ::umask(old_umask);
  ASSERT_TRUE(db.ok()) << db.error().message;
  EXPECT_EQ(mode_of(path), 0600u) << "every task's text is in it";
  EXPECT_EQ(mode_of(path.parent_path()), 0700u);
  ASSERT_TRUE((*db)->write("touch", [](SQLite::Database& sql) {
    sql.exec("INSERT INTO meta (key, value) VALUES ('k', 'v')");
  }));
  EXPECT_EQ(mode_of(path.string() + "-wal"), 0600u) << "SQLite copies the database's mode";
}

TEST_F(DatabaseTest, ExistingStoreAndDirectoryKeepTheirModes) {
  const auto path = dir_ / "store.db";
  { auto first = Database::open(path); ASSERT_TRUE(first.ok()); }
  std::filesystem::permissions(path, std::filesystem::perms(0640));
  std::filesystem::permissions(dir_, std::filesystem::perms(0750));
  auto again = Database::open(path);
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(mode_of(path), 0640u) << "the owner's choice";
  EXPECT_EQ(mode_of(dir_), 0750u);
}

TEST_F(DatabaseTest, ParentThatIsAFileIsAStoreError) {
  std::ofstream(dir_ / "file") << "x";
  auto db = Database::open(dir_ / "file" / "store.db");
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.error().kind, ErrorKind::kStore);
  EXPECT_EQ(db.error().message,
            "cannot create the store directory " + (dir_ / "file").string() + ": Not a directory");
}

TEST_F(DatabaseTest, ConnectionSettings) {
  auto db = open_store();
  ASSERT_TRUE(db);
  Status status = db->read("settings", [](SQLite::Database& sql) {
    EXPECT_EQ(sql.execAndGet("PRAGMA journal_mode").getString(), "wal");
    EXPECT_EQ(sql.execAndGet("PRAGMA synchronous").getInt(), 2);  // FULL
    EXPECT_EQ(sql.execAndGet("PRAGMA foreign_keys").getInt(), 1);
  });
  EXPECT_TRUE(status.ok()) << status.error().message;
}

// Another process holding the write lock makes a write wait its turn, not fail with
// "database is locked" (the busy handler, busy_wait.h; without one SQLite fails at once).
TEST_F(DatabaseTest, AWriteWaitsForAnotherConnectionsWriteLock) {
  auto db = open_store();
  ASSERT_TRUE(db);
  SQLite::Database other(db->path().string(), SQLite::OPEN_READWRITE);
  other.exec("BEGIN IMMEDIATE");
  std::atomic<bool> written{false};
  std::thread writer([&] {
    Status status = db->write("wait", [](SQLite::Database& sql) {
      sql.exec("CREATE TABLE waited (x INTEGER)");
    });
    EXPECT_TRUE(status.ok()) << status.error().message;
    written = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_FALSE(written) << "the write went through while another connection held the lock";
  other.exec("COMMIT");
  writer.join();
  EXPECT_TRUE(written);
}

TEST_F(DatabaseTest, ReopenKeepsWhatWasCommitted) {
  {
    auto db = open_store();
    ASSERT_TRUE(db);
    InboundTasks tasks(*db);
    ASSERT_TRUE(tasks.insert_if_absent(inbound("t1")).ok());
  }
  auto db = open_store();
  ASSERT_TRUE(db);
  auto found = InboundTasks(*db).get("t1");
  ASSERT_TRUE(found.ok()) << found.error().message;
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->task.history, inbound("t1").task.history);
}

TEST_F(DatabaseTest, GarbageFileIsRefusedAndLeftAlone) {
  for (const std::string& garbage :
       {std::string("hello, I am not a database\n"), std::string(8192, 'x')}) {
    std::filesystem::path path = dir_ / ("garbage-" + std::to_string(garbage.size()));
    std::ofstream(path, std::ios::binary) << garbage;
    auto db = Database::open(path);
    ASSERT_FALSE(db.ok());
    EXPECT_EQ(db.error().kind, ErrorKind::kStore);
    EXPECT_EQ(db.error().message,
              path.string() +
                  " is not a Constellation store (file is not a database); move it away or set "
                  "[store] path");
    EXPECT_EQ(file_bytes(path), garbage);
    EXPECT_FALSE(std::filesystem::exists(path.string() + "-wal"));
  }
}

/// A store with a few hundred KiB of pages, closed (its WAL checkpointed into the file).
void fill(const std::filesystem::path& path) {
  auto db = Database::open(path);
  ASSERT_TRUE(db.ok()) << db.error().message;
  Status st = (*db)->write("fill", [](SQLite::Database& sql) {
    sql.exec("CREATE TABLE padding (x)");
    for (int i = 0; i < 100; ++i) sql.exec("INSERT INTO padding VALUES (randomblob(4000))");
  });
  ASSERT_TRUE(st.ok()) << st.error().message;
}

TEST_F(DatabaseTest, TruncatedStoreIsRefusedAsDamagedAndLeftAlone) {
  fill(store_file());
  std::filesystem::resize_file(store_file(), std::filesystem::file_size(store_file()) / 3);
  const std::string before = file_bytes(store_file());
  auto db = Database::open(store_file());
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.error().kind, ErrorKind::kStore);
  EXPECT_EQ(db.error().message,
            "store " + store_file().string() +
                " is damaged (database disk image is malformed); restore it from a backup, or "
                "move it away to start with an empty store (or set [store] path)");
  EXPECT_EQ(file_bytes(store_file()), before);
}

TEST_F(DatabaseTest, CheckIntegrityFindsDamagedPages) {
  fill(store_file());
  {
    auto db = Database::open(store_file());
    ASSERT_TRUE(db.ok());
    EXPECT_TRUE((*db)->check_integrity().ok());
  }
  // Overwrite pages in the middle: page 1 (the header and schema) stays readable.
  {
    std::fstream file(store_file(), std::ios::binary | std::ios::in | std::ios::out);
    file.seekp(20 * 4096);
    const std::string junk(8 * 4096, '\x5a');
    file.write(junk.data(), static_cast<std::streamsize>(junk.size()));
  }
  auto db = Database::open(store_file());
  ASSERT_TRUE(db.ok()) << db.error().message;
  Status st = (*db)->check_integrity();
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().kind, ErrorKind::kStore);
  EXPECT_EQ(st.error().message.rfind("store " + store_file().string() + " is damaged (", 0), 0u)
      << st.error().message;
  EXPECT_NE(st.error().message.find("); restore it from a backup"), std::string::npos);
}

TEST_F(DatabaseTest, WriteCommits) {
  auto db = open_store();
  ASSERT_TRUE(db);
  Status status = db->write("insert", [](SQLite::Database& sql) {
    sql.exec("INSERT INTO peers (peer_key, probe_url, name, url, online) "
             "VALUES ('k', 'http://a', 'a', 'http://a/a2a', 1)");
  });
  ASSERT_TRUE(status.ok()) << status.error().message;
  EXPECT_EQ(count_rows(*db, "peers"), 1);
}

TEST_F(DatabaseTest, WriteRollsBackWhenFnThrows) {
  auto db = open_store();
  ASSERT_TRUE(db);
  Status status = db->write("insert peer", [](SQLite::Database& sql) {
    sql.exec("INSERT INTO peers (peer_key, probe_url, name, url, online) "
             "VALUES ('k', 'http://a', 'a', 'http://a/a2a', 1)");
    throw std::runtime_error("boom");
  });
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().kind, ErrorKind::kStore);
  EXPECT_EQ(status.error().message, "insert peer: boom (store " + store_file().string() + ")");
  EXPECT_EQ(count_rows(*db, "peers"), 0);
  // The connection is usable afterwards: no transaction was left open.
  EXPECT_TRUE(db->write("noop", [](SQLite::Database&) {}).ok());
}

TEST_F(DatabaseTest, SqliteErrorsBecomeStoreErrors) {
  auto db = open_store();
  ASSERT_TRUE(db);
  Status status =
      db->write("bad write", [](SQLite::Database& sql) { sql.exec("INSERT INTO nope VALUES (1)"); });
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().kind, ErrorKind::kStore);
  EXPECT_EQ(status.error().message,
            "bad write: no such table: nope (store " + store_file().string() + ")");

  status = db->read("bad read", [](SQLite::Database& sql) { sql.execAndGet("SELECT nope"); });
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().kind, ErrorKind::kStore);
  EXPECT_EQ(status.error().message,
            "bad read: no such column: nope (store " + store_file().string() + ")");
}

TEST_F(DatabaseTest, NonStandardExceptionsAreCaughtToo) {
  auto db = open_store();
  ASSERT_TRUE(db);
  Status status = db->read("odd", [](SQLite::Database&) { throw 42; });
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().message,
            "odd: unknown exception (store " + store_file().string() + ")");
}

// Two connections to one file (as the daemon and a verb process have), each shared by
// four threads, all inserting at once: every insert must succeed, none may be lost.
TEST_F(DatabaseTest, ConcurrentWritersAllSucceed) {
  constexpr int kThreads = 8;
  constexpr int kInsertsPerThread = 200;
  auto first = open_store();
  auto second = open_store();
  ASSERT_TRUE(first && second);
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      InboundTasks tasks(t % 2 == 0 ? *first : *second);
      for (int i = 0; i < kInsertsPerThread; ++i) {
        auto inserted =
            tasks.insert_if_absent(inbound("t" + std::to_string(t) + "-" + std::to_string(i)));
        if (!inserted.ok() || !*inserted) {
          ADD_FAILURE() << (inserted.ok() ? "not inserted" : inserted.error().message);
          ++failures;
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures, 0);
  EXPECT_EQ(count_rows(*first, "tasks_in"), kThreads * kInsertsPerThread);
  Status status = second->read("check seq", [&](SQLite::Database& sql) {
    EXPECT_EQ(sql.execAndGet("SELECT count(DISTINCT seq) FROM tasks_in").getInt(),
              kThreads * kInsertsPerThread);
    EXPECT_EQ(sql.execAndGet("SELECT min(seq) FROM tasks_in").getInt(), 1);
    EXPECT_EQ(sql.execAndGet("SELECT max(seq) FROM tasks_in").getInt(),
              kThreads * kInsertsPerThread);
  });
  EXPECT_TRUE(status.ok()) << status.error().message;
  // Each thread's own tasks are listed in the order it inserted them.
  auto open = InboundTasks(*second).list_open();
  ASSERT_TRUE(open.ok());
  std::vector<int> next(kThreads, 0);
  for (const InboundTask& in : *open) {
    int t = in.task.id[1] - '0';
    EXPECT_EQ(in.task.id, "t" + std::to_string(t) + "-" + std::to_string(next[t]));
    ++next[t];
  }
}

// Group commit: writes that arrive together share one transaction, each in its own
// savepoint. A write that throws must be undone alone, whoever runs it: the others of
// its commit are stored, it is not, and its own caller gets its own error.
TEST_F(DatabaseTest, AFailingWriteIsUndoneAloneAmongConcurrentWrites) {
  constexpr int kThreads = 8;
  constexpr int kWritesPerThread = 50;
  auto db = open_store();
  ASSERT_TRUE(db);
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kWritesPerThread; ++i) {
        const std::string key = std::to_string(t) + "-" + std::to_string(i);
        const bool fails = i % 5 == 0;
        Status status = db->write(fails ? "failing write" : "write", [&](SQLite::Database& sql) {
          SQLite::Statement insert(sql, "INSERT INTO meta (key, value) VALUES (?, 'v')");
          insert.bind(1, key);
          insert.exec();
          if (fails) throw std::runtime_error("boom " + key);
        });
        const bool right = fails ? !status.ok() && status.error().message ==
                                                       "failing write: boom " + key + " (store " +
                                                           store_file().string() + ")"
                                 : status.ok();
        if (!right) ++wrong;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(wrong, 0);
  Status status = db->read("check", [&](SQLite::Database& sql) {
    EXPECT_EQ(sql.execAndGet("SELECT count(*) FROM meta WHERE key LIKE '%-%'").getInt(),
              kThreads * kWritesPerThread * 4 / 5);
    EXPECT_EQ(sql.execAndGet("SELECT count(*) FROM meta WHERE CAST(substr(key, instr(key, '-') + 1) "
                             "AS INTEGER) % 5 = 0 AND key LIKE '%-%'")
                  .getInt(),
              0);
  });
  EXPECT_TRUE(status.ok()) << status.error().message;
}

// Verbs and the daemon may all start at once on a machine with no store yet: they race
// to create, migrate and switch the file to WAL, and every one must succeed.
TEST_F(DatabaseTest, ConcurrentOpensOfANewStoreAllSucceed) {
  constexpr int kOpeners = 8;
  std::vector<std::unique_ptr<Database>> opened(kOpeners);
  std::vector<std::string> errors(kOpeners);
  std::vector<std::thread> threads;
  for (int i = 0; i < kOpeners; ++i) {
    threads.emplace_back([&, i] {
      auto db = Database::open(store_file());
      if (db.ok()) {
        opened[i] = std::move(*db);
      } else {
        errors[i] = db.error().message;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (int i = 0; i < kOpeners; ++i) {
    EXPECT_TRUE(opened[i]) << errors[i];
    if (opened[i]) {
      EXPECT_EQ(count_rows(*opened[i], "tasks_in"), 0);
    }
  }
}

}  // namespace
}  // namespace constellation::store

#include "constellation/store/migrations.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include "store/store_fixture.h"
#include "support/schema_v1.h"

namespace constellation::store {
namespace {

using test_support::count_rows;
using test_support::file_bytes;

class MigrationsTest : public test_support::StoreTest {};

std::vector<std::string> table_names(SQLite::Database& db) {
  std::vector<std::string> names;
  SQLite::Statement query(db,
                          "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name");
  while (query.executeStep()) names.push_back(query.getColumn(0).getString());
  return names;
}

TEST_F(MigrationsTest, EmptyFileIsMigratedToTheCurrentVersion) {
  std::ofstream(store_file()).close();
  ASSERT_EQ(std::filesystem::file_size(store_file()), 0u);
  auto db = open_store();
  ASSERT_TRUE(db);
  Status status = db->read("inspect", [](SQLite::Database& sql) {
    EXPECT_EQ(sql.execAndGet("PRAGMA user_version").getInt(), kCurrentSchemaVersion);
    EXPECT_EQ(table_names(sql), (std::vector<std::string>{"meta", "peers", "push_deliveries", "tasks_in", "tasks_out"}));
  });
  EXPECT_TRUE(status.ok()) << status.error().message;
}

TEST_F(MigrationsTest, VersionOneKeepsItsTasksAndRebuildsThePeerCache) {
  {
    SQLite::Database sql(store_file().string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    sql.exec(::test_support::kSchemaV1Sql);
    sql.exec(R"sql(
INSERT INTO peers (probe_url, name, url, source, online) VALUES ('http://a', 'a', 'http://a/', 'static', 1);
INSERT INTO tasks_out (id, peer_name, peer_url, dialect, state, history, created_at, updated_at)
  VALUES ('t-1', 'a', 'http://a/', 'legacy', 'working', '[]', 't', 't');
PRAGMA user_version = 1;
)sql");
  }
  auto db = open_store();
  ASSERT_TRUE(db);
  EXPECT_EQ(count_rows(*db, "tasks_out"), 1) << "tasks survive the upgrade";
  EXPECT_EQ(count_rows(*db, "peers"), 0) << "the peer cache is refilled by discovery";
  Status status = db->read("inspect", [](SQLite::Database& sql) {
    EXPECT_EQ(sql.execAndGet("PRAGMA user_version").getInt(), kCurrentSchemaVersion);
    // Version 3's columns arrive with their defaults on the old row.
    EXPECT_EQ(sql.execAndGet("SELECT artifacts || '|' || status_message || '|' || remote_id "
                             "FROM tasks_out WHERE id = 't-1'")
                  .getString(),
              "[]||");
  });
  EXPECT_TRUE(status.ok()) << status.error().message;
}

TEST_F(MigrationsTest, MigrateIsIdempotent) {
  SQLite::Database sql(store_file().string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  ASSERT_TRUE(migrate(sql, "s.db").ok());
  sql.exec("INSERT INTO tasks_out (id, peer_name, peer_url, dialect, state, history, "
           "created_at, updated_at) VALUES ('x', 'p', 'u', 'legacy', 'working', '[]', 't', 't')");
  Status again = migrate(sql, "s.db");
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(sql.execAndGet("SELECT count(*) FROM tasks_out").getInt(), 1);
  EXPECT_EQ(sql.execAndGet("PRAGMA user_version").getInt(), kCurrentSchemaVersion);
}

TEST_F(MigrationsTest, NewerStoreIsRefusedAndLeftAlone) {
  {
    SQLite::Database sql(store_file().string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    sql.exec("CREATE TABLE future (x)");
    sql.exec("PRAGMA user_version = 99");
  }
  std::string before = file_bytes(store_file());
  auto db = Database::open(store_file());
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.error().kind, ErrorKind::kStore);
  EXPECT_EQ(db.error().message,
            "store " + store_file().string() +
                " has schema version 99, newer than this constellation (" +
                std::to_string(kCurrentSchemaVersion) + "); upgrade "
                "constellation or point [store] path elsewhere");
  EXPECT_EQ(file_bytes(store_file()), before);
  SQLite::Database sql(store_file().string());
  EXPECT_EQ(sql.execAndGet("PRAGMA user_version").getInt(), 99);
  EXPECT_EQ(sql.execAndGet("PRAGMA journal_mode").getString(), "delete");
}

TEST_F(MigrationsTest, SomeoneElsesDatabaseIsRefused) {
  {
    SQLite::Database sql(store_file().string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    sql.exec("CREATE TABLE recipes (name TEXT)");
  }
  std::string before = file_bytes(store_file());
  auto db = Database::open(store_file());
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.error().kind, ErrorKind::kStore);
  EXPECT_EQ(db.error().message,
            store_file().string() +
                " is not a Constellation store (it holds tables but no Constellation schema "
                "version); move it away or set [store] path");
  EXPECT_EQ(file_bytes(store_file()), before);
}

TEST_F(MigrationsTest, ListOpenIsAnIndexScan) {
  auto db = open_store();
  ASSERT_TRUE(db);
  Status status = db->read("plan", [](SQLite::Database& sql) {
    SQLite::Statement plan(sql,
                           "EXPLAIN QUERY PLAN SELECT id FROM tasks_in "
                           "WHERE state IN ('submitted', 'working') ORDER BY seq");
    std::string details;
    while (plan.executeStep()) details += plan.getColumn(3).getString() + "\n";
    EXPECT_NE(details.find("tasks_in_state_seq"), std::string::npos) << details;
  });
  EXPECT_TRUE(status.ok()) << status.error().message;
}

}  // namespace
}  // namespace constellation::store

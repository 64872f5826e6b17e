// Crash safety with the real binary: a receiver killed with SIGKILL in the middle of a
// burst of sends loses no task it acknowledged, and `serve` migrates old stores but
// refuses corrupt and newer ones without touching their bytes.

#include <signal.h>
#include <sqlite3.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <random>
#include <sstream>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "e2e/mesh_fixture.h"
#include "support/schema_v1.h"

namespace e2e {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

/// id → text of every task in `inbox` output ("id<TAB>from<TAB>preview" lines).
std::map<std::string, std::string> inbox_of(const std::string& out) {
  std::map<std::string, std::string> tasks;
  std::istringstream in(out);
  for (std::string line; std::getline(in, line);) {
    const auto first = line.find('\t');
    const auto second = line.find('\t', first + 1);
    if (first == std::string::npos || second == std::string::npos) continue;
    tasks[line.substr(0, first)] = line.substr(second + 1);
  }
  return tasks;
}

class KilledReceiver : public TwoPeers {
 protected:
  void SetUp() override { start_pair("127.0.0.81", "127.0.0.82"); }
};

// 500 `send` processes from alice to bob, at most kInFlight at once; once a fifth of
// them have printed their task id, bob's daemon is killed with SIGKILL while the rest
// are still running or starting. Alice's daemon is stopped first, so every send process
// delivers its task itself: bob sees up to kInFlight requests at the same moment. Each
// task id a send printed was acknowledged by bob (a Constellation peer's reply carries
// its own id, which send adopts and prints), so after a restart each must be in bob's
// inbox, with its own text.
TEST_F(KilledReceiver, NoAcknowledgedTaskIsLostToAKillDuringABurstOfSends) {
  constexpr int kSends = 500;
  constexpr int kInFlight = 100;
  constexpr int kKillAfter = kSends / 5;
  ASSERT_EQ(alice->stop().exit_code, 0);

  std::mutex mutex;
  std::map<std::string, std::string> printed;  // id → text
  std::map<int, int> exit_codes;
  std::vector<std::string> unexpected;
  std::atomic<int> next{0}, acked{0}, finished{0};
  std::atomic<bool> killed{false};
  std::atomic<int> acked_after_kill{0}, refused_after_kill{0};
  const auto started = std::chrono::steady_clock::now();

  auto worker = [&] {
    for (int i = next++; i < kSends; i = next++) {
      const std::string text = "burst " + std::to_string(i);
      const RunResult r = alice->cli({"send", "bob", text}, "", 60s);
      const bool after = killed;
      std::lock_guard lock(mutex);
      ++exit_codes[r.exit_code];
      if (r.exit_code == 0 && r.out.size() == 39) {
        printed[r.out.substr(0, 38)] = text;
        ++acked;
        if (after) ++acked_after_kill;
      } else if (r.exit_code == 7) {
        if (after) ++refused_after_kill;
      } else {
        unexpected.push_back(r.describe());
      }
      ++finished;
    }
  };
  std::vector<std::thread> workers;
  for (int w = 0; w < kInFlight; ++w) workers.emplace_back(worker);

  int in_flight_at_kill = 0;
  const bool reached = eventually([&] { return acked >= kKillAfter; }, 60s);
  if (reached) {
    in_flight_at_kill = next - finished;
    bob->stop(SIGKILL);
    killed = true;
  }
  for (auto& t : workers) t.join();
  const auto burst_time = std::chrono::steady_clock::now() - started;
  ASSERT_TRUE(reached) << "only " << acked << " sends acknowledged";

  // The kill really fell inside the burst: sends were under way, some acknowledged
  // before it, and later ones found bob gone.
  std::cerr << "burst: " << acked << " acknowledged (" << acked_after_kill
            << " of them finishing after the kill), " << refused_after_kill
            << " unreachable after it, " << in_flight_at_kill << " in flight at the kill, "
            << std::chrono::duration_cast<std::chrono::milliseconds>(burst_time).count()
            << " ms\n";
  EXPECT_GE(in_flight_at_kill, 1);
  EXPECT_GE(acked - acked_after_kill, kKillAfter);
  EXPECT_GE(refused_after_kill, 1);
  EXPECT_TRUE(unexpected.empty()) << unexpected.size() << " sends failed otherwise, e.g. "
                                  << (unexpected.empty() ? "" : unexpected.front());
  EXPECT_EQ(exit_codes[0] + exit_codes[7], kSends);

  bob->start();
  auto inbox = bob->cli({"inbox"});
  ASSERT_EQ(inbox.exit_code, 0) << inbox.describe();
  const auto received = inbox_of(inbox.out);
  int lost = 0;
  for (const auto& [id, text] : printed) {
    const auto it = received.find(id);
    if (it == received.end()) {
      ADD_FAILURE() << "task " << id << " (\"" << text << "\") was acknowledged but is not in bob's inbox";
      ++lost;
    } else {
      EXPECT_EQ(it->second, text) << id;
    }
  }
  EXPECT_EQ(lost, 0);
  // Tasks bob stored but whose acknowledgement the kill cut off may be there as well;
  // nothing else may.
  EXPECT_LE(received.size(), static_cast<std::size_t>(kSends - refused_after_kill + in_flight_at_kill));
}

// ---- stores of other versions, corrupt stores ---------------------------------------

class StoreOnStart : public ::testing::Test {
 protected:
  void SetUp() override {
    peer = std::make_unique<TestPeer>("keeper", "127.0.0.83");
    ASSERT_EQ(peer->init({}).exit_code, 0);
    store = peer->root() / "data" / "constellation" / "store.db";
    std::filesystem::create_directories(store.parent_path());
  }
  void TearDown() override {
    if (HasFailure()) std::cerr << "---- daemon log ----\n" << peer->log() << "\n";
  }

  /// Runs `serve` on a store it must refuse: it exits at once, with exit 1 and `message`
  /// on stderr, and the store's bytes are as they were.
  void expect_refused(const std::string& message) {
    const std::string before = read_file(store);
    RunResult r = peer->cli({"serve"}, "", 20s);
    EXPECT_EQ(r.exit_code, 1) << r.describe();
    EXPECT_NE(r.err.find(message), std::string::npos) << r.err;
    EXPECT_EQ(read_file(store), before) << "the refused store was written to";
    EXPECT_FALSE(std::filesystem::exists(store.string() + "-wal"));
    // The verbs refuse it the same way.
    RunResult inbox = peer->cli({"inbox"});
    EXPECT_EQ(inbox.exit_code, 1) << inbox.describe();
    EXPECT_NE(inbox.err.find(message), std::string::npos) << inbox.err;
    EXPECT_EQ(read_file(store), before);
  }

  void exec(const std::string& sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(store.c_str(), &db), SQLITE_OK);
    char* err = nullptr;
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
    const std::string what = err ? err : "";
    sqlite3_free(err);
    sqlite3_close(db);
    ASSERT_EQ(rc, SQLITE_OK) << what;
  }

  std::unique_ptr<TestPeer> peer;
  std::filesystem::path store;
};

// Rows as version 0.1.0 wrote them into its schema (test_support::kSchemaV1Sql): one
// inbound task from that time, text parts without a kind, no message ids.
const char* const kVersion1Rows = R"sql(
INSERT INTO peers (probe_url, name, url, source, online)
  VALUES ('http://10.9.9.9:7777', 'oldpeer', 'http://10.9.9.9:7777/', 'static', 1);
INSERT INTO tasks_in (id, dialect, state, from_name, from_url, history, received_at, updated_at, seq)
  VALUES ('t-from-0.1.0', 'legacy', 'submitted', 'oldpeer', 'http://10.9.9.9:7777/',
          '[{"role":"user","parts":[{"text":"written by 0.1.0"}]}]',
          '2026-01-02T03:04:05.000Z', '2026-01-02T03:04:05.000Z', 1);
INSERT INTO tasks_in (id, dialect, state, from_name, from_url, history, received_at, updated_at, seq)
  VALUES ('t-answered', 'legacy', 'completed', '', '',
          '[{"role":"user","parts":[{"text":"q"}]},{"role":"agent","parts":[{"text":"a"}]}]',
          '2026-01-02T03:04:06.000Z', '2026-01-02T03:04:07.000Z', 2);
PRAGMA user_version = 1;
)sql";

TEST_F(StoreOnStart, VersionOneStoreIsMigratedAndItsTasksShowInTheInbox) {
  exec(test_support::kSchemaV1Sql);
  exec(kVersion1Rows);
  peer->start();
  auto inbox = peer->cli({"inbox"});
  ASSERT_EQ(inbox.exit_code, 0) << inbox.describe();
  // The sender's name as 0.1.0 recorded it.
  EXPECT_EQ(inbox.out, "t-from-0.1.0\toldpeer\twritten by 0.1.0\n");
  // The old task can be answered like a new one, over the daemon.
  auto respond = peer->cli({"respond", "t-from-0.1.0", "done"});
  EXPECT_EQ(respond.exit_code, 0) << respond.describe();
  EXPECT_EQ(peer->cli({"inbox"}).out, "");
  ASSERT_EQ(peer->stop().exit_code, 0);
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(store.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
  EXPECT_GE(sqlite3_column_int(st, 0), 4);
  sqlite3_finalize(st);
  sqlite3_close(db);
}

TEST_F(StoreOnStart, NewerStoreIsRefusedAndLeftAlone) {
  exec("CREATE TABLE future (x); PRAGMA user_version = 99;");
  expect_refused("has schema version 99, newer than this constellation");
  expect_refused("upgrade constellation or point [store] path elsewhere");
}

TEST_F(StoreOnStart, GarbageFileIsRefusedAndLeftAlone) {
  std::string garbage(64 << 10, '\0');
  std::mt19937 random(6);
  for (auto& c : garbage) c = static_cast<char>(random());
  std::ofstream(store, std::ios::binary) << garbage;
  expect_refused(" is not a Constellation store (file is not a database); move it away or set "
                 "[store] path");
}

TEST_F(StoreOnStart, TruncatedStoreIsRefusedAndLeftAlone) {
  // A real store with tasks in it, then cut to a third: the header still says SQLite,
  // the pages it promises are gone.
  peer->start();
  ASSERT_EQ(peer->stop().exit_code, 0);
  exec("CREATE TABLE padding (x); INSERT INTO padding VALUES (zeroblob(100000)); "
       "INSERT INTO tasks_in (id, dialect, state, history, received_at, updated_at, seq) "
       "VALUES ('t-1', 'legacy', 'submitted', '[]', '2026-01-02T03:04:05.000Z', "
       "'2026-01-02T03:04:05.000Z', 1);");
  const auto size = std::filesystem::file_size(store);
  ASSERT_GT(size, 16384u);
  std::filesystem::resize_file(store, size / 3);
  expect_refused("is damaged");
}

}  // namespace
}  // namespace e2e

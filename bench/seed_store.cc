// seed_store: fills a store with N inbound tasks quickly, for the verb and server
// benchmarks at 10 000 and 1 000 000 stored tasks (issue 7).
//
//   seed_store --store PATH --tasks N [--open K] [--caller ADDR]
//
// Two tasks go in through the store layer itself (InboundTasks: the real codec, the real
// columns), one left open and one answered with respond(); then one transaction copies
// them row by row with SQL until there are N, K of them open (default 100) and the rest
// answered. Every column comes from the templates except the key, the insertion order and
// the state, and the column list is read from the table itself, so the copies stay
// consistent with whatever src/store/migrations.cc makes the schema. The tasks come from
// ADDR (default 127.0.13.250): not the benchmark's own client address, so the per-peer
// pending cap of the client is left as it was.

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include <SQLiteCpp/Statement.h>

#include "constellation/a2a/task.h"
#include "constellation/store/database.h"
#include "constellation/store/inbound_tasks.h"

namespace {

using namespace constellation;

[[noreturn]] void fail(const std::string& why) {
  std::cerr << "seed_store: " << why << "\n";
  std::exit(1);
}

store::InboundTask template_task(const std::string& id, const std::string& caller) {
  store::InboundTask in;
  in.task.id = id;
  in.task.context_id = a2a::new_uuid();
  in.task.state = a2a::TaskState::kSubmitted;
  in.task.updated_at = std::chrono::system_clock::now();
  auto message = a2a::text_message(a2a::Role::kUser,
                                   "Summarise the build log of last night and list the failing "
                                   "tests with their first error line");
  message.message_id = a2a::new_uuid();
  message.context_id = in.task.context_id;
  in.task.history.push_back(message);
  in.dialect = "1.0";
  in.caller.address = caller;
  in.from_name = "seeded";
  in.received_at = in.task.updated_at;
  return in;
}

/// "INSERT INTO tasks_in (cols) SELECT exprs FROM tasks_in, n WHERE id = ?": every column
/// copied from the template row except those given here.
std::string copy_statement(SQLite::Database& db, long long count) {
  std::vector<std::string> columns;
  SQLite::Statement info(db, "PRAGMA table_info(tasks_in)");
  while (info.executeStep()) columns.push_back(info.getColumn(1).getString());
  std::string names, values;
  for (const auto& c : columns) {
    std::string value = c;
    // A unique id in the shape of ours; seq continues after the templates'.
    if (c == "id") value = "printf('t-5eed0000-0000-4000-8000-%012d', i + ?2)";
    else if (c == "seq") value = "(SELECT MAX(seq) FROM tasks_in) + i";
    names += (names.empty() ? "" : ", ") + c;
    values += (values.empty() ? "" : ", ") + value;
  }
  return "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < " +
         std::to_string(count) + ") INSERT INTO tasks_in (" + names + ") SELECT " + values +
         " FROM n, tasks_in WHERE tasks_in.id = ?1";
}

}  // namespace

int main(int argc, char** argv) {
  std::string path;
  long long tasks = 0;
  long long open = 100;
  std::string caller = "127.0.13.250";
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (i + 1 >= argc) fail(a + " needs a value");
    if (a == "--store") path = argv[++i];
    else if (a == "--tasks") tasks = std::stoll(argv[++i]);
    else if (a == "--open") open = std::stoll(argv[++i]);
    else if (a == "--caller") caller = argv[++i];
    else fail("unknown argument " + a + "; usage: seed_store --store PATH --tasks N [--open K] [--caller ADDR]");
  }
  if (path.empty() || tasks < 2 || open < 1 || open >= tasks) {
    fail("usage: seed_store --store PATH --tasks N [--open K] [--caller ADDR] (N >= 2, 1 <= K < N)");
  }
  const auto start = std::chrono::steady_clock::now();
  auto db = store::Database::open(path);
  if (!db) fail(db.error().message);
  store::InboundTasks inbound(**db);
  const std::string open_id = "t-5eed0000-0000-4000-8000-open00000000";
  const std::string done_id = "t-5eed0000-0000-4000-8000-done00000000";
  for (const auto& id : {open_id, done_id}) {
    if (auto r = inbound.insert_if_absent(template_task(id, caller)); !r) fail(r.error().message);
  }
  if (auto r = inbound.respond(done_id, "Two tests failed: store.Migrations and e2e.Restart; "
                                        "both on the first assertion.",
                               false, std::chrono::system_clock::now(), {});
      !r) {
    fail(r.error().message);
  }
  // The copies: K - 1 more open ones, N - K - 1 more answered ones, one transaction.
  // Each insert's seq is MAX(seq) + 1 looked up through the unique index.
  const Status copied = (*db)->write("seed tasks", [&](SQLite::Database& sql) {
    long long offset = 0;
    for (const auto& [id, count] : {std::pair{open_id, open - 1}, std::pair{done_id, tasks - open - 1}}) {
      if (count <= 0) continue;
      SQLite::Statement copy(sql, copy_statement(sql, count));
      copy.bind(1, id);
      copy.bind(2, static_cast<int64_t>(offset));
      copy.exec();
      offset += count;
    }
  });
  if (!copied) fail(copied.error().message);
  const auto took = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cerr << "seed_store: " << tasks << " inbound tasks (" << open << " open) in " << path
            << " in " << took << " s\n";
  return 0;
}

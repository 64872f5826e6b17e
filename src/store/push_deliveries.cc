#include "constellation/store/push_deliveries.h"

#include <chrono>

#include <SQLiteCpp/Statement.h>

#include "push_queue.h"
#include "task_codec.h"

namespace constellation::store {
namespace {

constexpr const char* kColumns = "task_id, version, attempts, next_attempt_at, last_error";

PushDelivery read_row(SQLite::Statement& row) {
  PushDelivery d;
  d.task_id = row.getColumn(0).getString();
  d.version = row.getColumn(1).getInt64();
  d.attempts = row.getColumn(2).getInt();
  d.next_attempt_at = decode_timestamp(row.getColumn(3).getString());
  d.last_error = row.getColumn(4).getString();
  return d;
}

}  // namespace

void queue_push_delivery(SQLite::Database& db, const std::string& task_id) {
  SQLite::Statement upsert(db,
                           "INSERT INTO push_deliveries (task_id, next_attempt_at) VALUES (?, ?) "
                           "ON CONFLICT (task_id) DO UPDATE SET version = version + 1, "
                           "attempts = 0, next_attempt_at = excluded.next_attempt_at, last_error = ''");
  upsert.bind(1, task_id);
  upsert.bind(2, encode_timestamp(std::chrono::system_clock::now()));
  upsert.exec();
}

Result<std::vector<PushDelivery>> PushDeliveries::list() {
  std::vector<PushDelivery> all;
  Status status = db_.read("list push deliveries", [&](SQLite::Database& db) {
    SQLite::Statement query(db, std::string("SELECT ") + kColumns +
                                    " FROM push_deliveries ORDER BY next_attempt_at, task_id");
    while (query.executeStep()) all.push_back(read_row(query));
  });
  if (!status) return status.error();
  return all;
}

Result<std::optional<PushDelivery>> PushDeliveries::get(const std::string& task_id) {
  std::optional<PushDelivery> found;
  Status status = db_.read("read push delivery", [&](SQLite::Database& db) {
    SQLite::Statement query(db, std::string("SELECT ") + kColumns +
                                    " FROM push_deliveries WHERE task_id = ?");
    query.bind(1, task_id);
    if (query.executeStep()) found = read_row(query);
  });
  if (!status) return status.error();
  return found;
}

Status PushDeliveries::queue(const std::string& task_id) {
  bool known = false;
  Status status = db_.write("queue push delivery", [&](SQLite::Database& db) {
    SQLite::Statement exists(db, "SELECT count(*) FROM tasks_in WHERE id = ?");
    exists.bind(1, task_id);
    exists.executeStep();
    known = exists.getColumn(0).getInt() > 0;
    if (known) queue_push_delivery(db, task_id);
  });
  if (!status) return status;
  if (!known) return Error{ErrorKind::kUnknownTask, "no inbound task " + task_id};
  return Ok{};
}

Result<bool> PushDeliveries::complete(const std::string& task_id, long long version) {
  bool removed = false;
  Status status = db_.write("finish push delivery", [&](SQLite::Database& db) {
    SQLite::Statement remove(db, "DELETE FROM push_deliveries WHERE task_id = ? AND version = ?");
    remove.bind(1, task_id);
    remove.bind(2, static_cast<std::int64_t>(version));
    removed = remove.exec() > 0;
  });
  if (!status) return status.error();
  return removed;
}

Status PushDeliveries::failed(const std::string& task_id, long long version,
                              a2a::Timestamp next_attempt_at, const std::string& error) {
  return db_.write("record failed push delivery", [&](SQLite::Database& db) {
    SQLite::Statement update(db,
                             "UPDATE push_deliveries SET attempts = attempts + 1, "
                             "next_attempt_at = ?, last_error = ? WHERE task_id = ? AND version = ?");
    update.bind(1, encode_timestamp(next_attempt_at));
    update.bind(2, error);
    update.bind(3, task_id);
    update.bind(4, static_cast<std::int64_t>(version));
    update.exec();
  });
}

Status PushDeliveries::drop(const std::string& task_id) {
  return db_.write("drop push delivery", [&](SQLite::Database& db) {
    SQLite::Statement remove(db, "DELETE FROM push_deliveries WHERE task_id = ?");
    remove.bind(1, task_id);
    remove.exec();
  });
}

}  // namespace constellation::store

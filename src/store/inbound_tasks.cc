#include "constellation/store/inbound_tasks.h"

#include <SQLiteCpp/Statement.h>

#include "task_codec.h"

namespace constellation::store {
namespace {

constexpr const char* kColumns =
    "id, dialect, state, context_id, from_name, from_url, history, received_at, updated_at";

InboundTask read_row(SQLite::Statement& row) {
  InboundTask in;
  in.task.id = row.getColumn(0).getString();
  in.dialect = row.getColumn(1).getString();
  in.task.state = decode_state(row.getColumn(2).getString());
  in.task.context_id = row.getColumn(3).getString();
  in.from_name = row.getColumn(4).getString();
  in.from_url = row.getColumn(5).getString();
  in.task.history = decode_history(row.getColumn(6).getString());
  in.received_at = decode_timestamp(row.getColumn(7).getString());
  in.task.updated_at = decode_timestamp(row.getColumn(8).getString());
  return in;
}

std::optional<InboundTask> select_by_id(SQLite::Database& db, const std::string& id) {
  SQLite::Statement query(db, std::string("SELECT ") + kColumns + " FROM tasks_in WHERE id = ?");
  query.bind(1, id);
  if (!query.executeStep()) return std::nullopt;
  return read_row(query);
}

}  // namespace

Result<bool> InboundTasks::insert_if_absent(const InboundTask& task) {
  bool inserted = false;
  Status status = db_.write("record inbound task", [&](SQLite::Database& db) {
    SQLite::Statement insert(
        db, std::string("INSERT OR IGNORE INTO tasks_in (") + kColumns +
                ", seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, "
                "(SELECT COALESCE(MAX(seq), 0) + 1 FROM tasks_in))");
    insert.bind(1, task.task.id);
    insert.bind(2, task.dialect);
    insert.bind(3, encode_state(task.task.state));
    insert.bind(4, task.task.context_id);
    insert.bind(5, task.from_name);
    insert.bind(6, task.from_url);
    insert.bind(7, encode_history(task.task.history));
    insert.bind(8, encode_timestamp(task.received_at));
    insert.bind(9, encode_timestamp(task.task.updated_at));
    inserted = insert.exec() > 0;
  });
  if (!status) return status.error();
  return inserted;
}

Result<std::optional<InboundTask>> InboundTasks::get(const std::string& id) {
  std::optional<InboundTask> found;
  Status status =
      db_.read("read inbound task", [&](SQLite::Database& db) { found = select_by_id(db, id); });
  if (!status) return status.error();
  return found;
}

Result<std::vector<InboundTask>> InboundTasks::list_open() {
  std::vector<InboundTask> open;
  Status status = db_.read("list open inbound tasks", [&](SQLite::Database& db) {
    SQLite::Statement query(db, std::string("SELECT ") + kColumns +
                                    " FROM tasks_in WHERE state IN (?, ?) ORDER BY seq");
    query.bind(1, encode_state(a2a::TaskState::kSubmitted));
    query.bind(2, encode_state(a2a::TaskState::kWorking));
    while (query.executeStep()) open.push_back(read_row(query));
  });
  if (!status) return status.error();
  return open;
}

Result<InboundTask> InboundTasks::respond(const std::string& id, const std::string& text,
                                          bool failed, a2a::Timestamp now) {
  std::optional<InboundTask> answered;
  std::optional<Error> refused;
  // Read and update in one IMMEDIATE transaction, so two `respond`s to one task cannot
  // both see it open.
  Status status = db_.write("respond to inbound task", [&](SQLite::Database& db) {
    std::optional<InboundTask> found = select_by_id(db, id);
    if (!found) {
      refused = Error{ErrorKind::kUnknownTask,
                      "no inbound task " + id + "; run 'constellation inbox' to see open tasks"};
      return;
    }
    // Any terminal state, not only ours: a task the sender canceled stays canceled.
    if (a2a::is_terminal(found->task.state)) {
      refused = Error{ErrorKind::kTaskNotOpen, "task " + id + " is already " +
                                                   encode_state(found->task.state) +
                                                   "; nothing changed"};
      return;
    }
    a2a::Message answer;
    answer.role = a2a::Role::kAgent;
    answer.parts.push_back(a2a::Part{text});
    found->task.history.push_back(std::move(answer));
    found->task.state = failed ? a2a::TaskState::kFailed : a2a::TaskState::kCompleted;
    found->task.updated_at = now;
    SQLite::Statement update(
        db, "UPDATE tasks_in SET state = ?, history = ?, updated_at = ? WHERE id = ?");
    update.bind(1, encode_state(found->task.state));
    update.bind(2, encode_history(found->task.history));
    update.bind(3, encode_timestamp(now));
    update.bind(4, id);
    update.exec();
    answered = std::move(found);
  });
  if (!status) return status.error();
  if (refused) return *refused;
  return std::move(*answered);
}

}  // namespace constellation::store

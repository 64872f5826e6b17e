#include "constellation/store/outbound_tasks.h"

#include <SQLiteCpp/Statement.h>

#include "task_codec.h"

namespace constellation::store {
namespace {

constexpr const char* kColumns =
    "id, peer_name, peer_url, dialect, state, context_id, history, created_at, updated_at, "
    "last_error, artifacts, status_message, remote_id, tenant, follow, push_token";

OutboundTask read_row(SQLite::Statement& row) {
  OutboundTask out;
  out.task.id = row.getColumn(0).getString();
  out.peer_name = row.getColumn(1).getString();
  out.peer_url = row.getColumn(2).getString();
  out.dialect = row.getColumn(3).getString();
  out.task.state = decode_state(row.getColumn(4).getString());
  out.task.context_id = row.getColumn(5).getString();
  out.task.history = decode_history(row.getColumn(6).getString());
  out.created_at = decode_timestamp(row.getColumn(7).getString());
  out.task.updated_at = decode_timestamp(row.getColumn(8).getString());
  out.last_error = row.getColumn(9).getString();
  out.task.artifacts = decode_artifacts(row.getColumn(10).getString());
  out.task.status_message = decode_status_message(row.getColumn(11).getString());
  out.remote_id = row.getColumn(12).getString();
  out.tenant = row.getColumn(13).getString();
  out.follow = follow_mode_from_name(row.getColumn(14).getString());
  out.push_token = row.getColumn(15).getString();
  return out;
}

/// The stored names of the terminal states, for `state NOT IN (…)`.
std::vector<std::string> terminal_state_names() {
  std::vector<std::string> names;
  for (auto state : {a2a::TaskState::kSubmitted, a2a::TaskState::kWorking,
                     a2a::TaskState::kInputRequired, a2a::TaskState::kCompleted,
                     a2a::TaskState::kCanceled, a2a::TaskState::kFailed,
                     a2a::TaskState::kRejected, a2a::TaskState::kAuthRequired,
                     a2a::TaskState::kUnknown}) {
    if (a2a::is_terminal(state)) names.push_back(encode_state(state));
  }
  return names;
}

Error unknown_task(const std::string& id) {
  return Error{ErrorKind::kUnknownTask, "no outbound task " + id};
}

}  // namespace

const char* follow_mode_name(FollowMode mode) {
  switch (mode) {
    case FollowMode::kPush: return "push";
    case FollowMode::kStream: return "stream";
    case FollowMode::kPoll: break;
  }
  return "poll";
}

FollowMode follow_mode_from_name(std::string_view name) {
  if (name == "push") return FollowMode::kPush;
  if (name == "stream") return FollowMode::kStream;
  return FollowMode::kPoll;
}

Status OutboundTasks::insert(const OutboundTask& task) {
  return db_.write("record outbound task", [&](SQLite::Database& db) {
    SQLite::Statement insert(db, std::string("INSERT INTO tasks_out (") + kColumns +
                                     ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    insert.bind(1, task.task.id);
    insert.bind(2, task.peer_name);
    insert.bind(3, task.peer_url);
    insert.bind(4, task.dialect);
    insert.bind(5, encode_state(task.task.state));
    insert.bind(6, task.task.context_id);
    insert.bind(7, encode_history(task.task.history));
    insert.bind(8, encode_timestamp(task.created_at));
    insert.bind(9, encode_timestamp(task.task.updated_at));
    insert.bind(10, task.last_error);
    insert.bind(11, encode_artifacts(task.task.artifacts));
    insert.bind(12, encode_status_message(task.task.status_message));
    insert.bind(13, task.remote_id);
    insert.bind(14, task.tenant);
    insert.bind(15, follow_mode_name(task.follow));
    insert.bind(16, task.push_token);
    insert.exec();
  });
}

Status OutboundTasks::update_task(const a2a::Task& task) {
  auto updated = write_task(task, std::nullopt);
  if (!updated) return updated.error();
  if (!*updated) return unknown_task(task.id);
  return Ok{};
}

Result<bool> OutboundTasks::update_task_if(const a2a::Task& task, a2a::TaskState expected) {
  auto updated = write_task(task, expected);
  if (!updated) return updated.error();
  if (!*updated) {
    auto row = get(task.id);
    if (!row) return row.error();
    if (!*row) return unknown_task(task.id);
  }
  return *updated;
}

Result<bool> OutboundTasks::write_task(const a2a::Task& task,
                                       std::optional<a2a::TaskState> expected) {
  bool updated = false;
  Status status = db_.write("update outbound task", [&](SQLite::Database& db) {
    // The peer answered, so the last failure to reach it is no longer news.
    SQLite::Statement update(db, std::string("UPDATE tasks_out SET state = ?, updated_at = ?, "
                                             "history = ?, context_id = ?, artifacts = ?, "
                                             "status_message = ?, last_error = '' WHERE id = ?") +
                                     (expected ? " AND state = ?" : ""));
    update.bind(1, encode_state(task.state));
    update.bind(2, encode_timestamp(task.updated_at));
    update.bind(3, encode_history(task.history));
    update.bind(4, task.context_id);
    update.bind(5, encode_artifacts(task.artifacts));
    update.bind(6, encode_status_message(task.status_message));
    update.bind(7, task.id);
    if (expected) update.bind(8, encode_state(*expected));
    updated = update.exec() > 0;
  });
  if (!status) return status.error();
  return updated;
}

Status OutboundTasks::set_remote_id(const std::string& id, const std::string& remote_id) {
  bool updated = false;
  Status status = db_.write("record the peer's task id", [&](SQLite::Database& db) {
    SQLite::Statement update(db, "UPDATE tasks_out SET remote_id = ? WHERE id = ?");
    update.bind(1, remote_id);
    update.bind(2, id);
    updated = update.exec() > 0;
  });
  if (!status) return status;
  if (!updated) return unknown_task(id);
  return Ok{};
}

Result<std::string> OutboundTasks::adopt_remote_id(const std::string& id,
                                                   const std::string& remote_id) {
  std::optional<std::string> final_id;
  Status status = db_.write("record the peer's task id", [&](SQLite::Database& db) {
    SQLite::Statement taken(db, "SELECT count(*) FROM tasks_out WHERE id = ?");
    taken.bind(1, remote_id);
    taken.executeStep();
    const bool free = remote_id != id && taken.getColumn(0).getInt() == 0;
    SQLite::Statement update(db, free ? "UPDATE tasks_out SET id = ?, remote_id = '' WHERE id = ?"
                                      : "UPDATE tasks_out SET remote_id = ? WHERE id = ?");
    update.bind(1, remote_id);
    update.bind(2, id);
    if (update.exec() > 0) final_id = free ? remote_id : id;
  });
  if (!status) return status.error();
  if (!final_id) return unknown_task(id);
  return *final_id;
}

Status OutboundTasks::set_error(const std::string& id, const std::string& error) {
  bool updated = false;
  Status status = db_.write("record outbound task error", [&](SQLite::Database& db) {
    SQLite::Statement update(db, "UPDATE tasks_out SET last_error = ? WHERE id = ?");
    update.bind(1, error);
    update.bind(2, id);
    updated = update.exec() > 0;
  });
  if (!status) return status;
  if (!updated) return unknown_task(id);
  return Ok{};
}

Status OutboundTasks::remove(const std::string& id) {
  bool removed = false;
  Status status = db_.write("remove outbound task", [&](SQLite::Database& db) {
    SQLite::Statement remove(db, "DELETE FROM tasks_out WHERE id = ?");
    remove.bind(1, id);
    removed = remove.exec() > 0;
  });
  if (!status) return status;
  if (!removed) return unknown_task(id);
  return Ok{};
}

Result<std::optional<OutboundTask>> OutboundTasks::get(const std::string& id) {
  std::optional<OutboundTask> found;
  Status status = db_.read("read outbound task", [&](SQLite::Database& db) {
    SQLite::Statement query(db,
                            std::string("SELECT ") + kColumns + " FROM tasks_out WHERE id = ?");
    query.bind(1, id);
    if (query.executeStep()) found = read_row(query);
  });
  if (!status) return status.error();
  return found;
}

Result<std::optional<OutboundTask>> OutboundTasks::find_by_push_token(const std::string& token) {
  std::optional<OutboundTask> found;
  if (token.empty()) return found;
  Status status = db_.read("find outbound task by push token", [&](SQLite::Database& db) {
    SQLite::Statement query(
        db, std::string("SELECT ") + kColumns + " FROM tasks_out WHERE push_token = ?");
    query.bind(1, token);
    if (query.executeStep()) found = read_row(query);
  });
  if (!status) return status.error();
  return found;
}

Status OutboundTasks::set_follow(const std::string& id, FollowMode mode) {
  bool updated = false;
  Status status = db_.write("change how an outbound task is followed", [&](SQLite::Database& db) {
    SQLite::Statement update(db, "UPDATE tasks_out SET follow = ? WHERE id = ?");
    update.bind(1, follow_mode_name(mode));
    update.bind(2, id);
    updated = update.exec() > 0;
  });
  if (!status) return status;
  if (!updated) return unknown_task(id);
  return Ok{};
}

Result<std::vector<OutboundTask>> OutboundTasks::list_active() {
  std::vector<OutboundTask> active;
  Status status = db_.read("list active outbound tasks", [&](SQLite::Database& db) {
    std::vector<std::string> terminal = terminal_state_names();
    std::string placeholders;
    for (std::size_t i = 0; i < terminal.size(); ++i) placeholders += i == 0 ? "?" : ", ?";
    // created_at ties (same millisecond) fall back to insertion order.
    SQLite::Statement query(db, std::string("SELECT ") + kColumns +
                                    " FROM tasks_out WHERE state NOT IN (" + placeholders +
                                    ") ORDER BY created_at, rowid");
    for (std::size_t i = 0; i < terminal.size(); ++i)
      query.bind(static_cast<int>(i + 1), terminal[i]);
    while (query.executeStep()) active.push_back(read_row(query));
  });
  if (!status) return status.error();
  return active;
}

}  // namespace constellation::store

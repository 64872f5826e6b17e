#include "constellation/store/inbound_tasks.h"

#include <SQLiteCpp/Statement.h>

#include <nlohmann/json.hpp>

#include "push_queue.h"
#include "constellation/util/concat.h"
#include "task_codec.h"

namespace constellation::store {
namespace {

/// read_row reads these by position; a query adding columns puts them after.
constexpr int kColumnCount = 18;
constexpr const char* kColumns =
    "id, dialect, state, context_id, from_name, from_url, history, received_at, updated_at, "
    "artifacts, status_message, push_config, caller_address, caller_verified_by, caller_peer, "
    "caller_node, caller_user, caller_tags";

/// The callback as v1.0 JSON (it holds every field), "" for none.
std::string encode_push_config(const std::optional<a2a::PushConfig>& config) {
  return config ? a2a::push_config_to_json(a2a::Dialect::kV10, *config).dump() : std::string();
}

std::optional<a2a::PushConfig> decode_push_config(const std::string& text) {
  if (text.empty()) return std::nullopt;
  std::string err;
  auto config = a2a::push_config_from_json(a2a::Dialect::kV10, nlohmann::json::parse(text), "", &err);
  if (!config) throw std::runtime_error("stored push config: " + err);
  return config;
}

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
  in.task.artifacts = decode_artifacts(row.getColumn(9).getString());
  in.task.status_message = decode_status_message(row.getColumn(10).getString());
  in.push = decode_push_config(row.getColumn(11).getString());
  in.caller.address = row.getColumn(12).getString();
  in.caller.verified_by = row.getColumn(13).getString();
  in.caller.peer = row.getColumn(14).getString();
  in.caller.node = row.getColumn(15).getString();
  in.caller.user = row.getColumn(16).getString();
  in.caller.tags = nlohmann::json::parse(row.getColumn(17).getString()).get<std::vector<std::string>>();
  return in;
}

std::optional<InboundTask> select_by_id(SQLite::Database& db, const std::string& id) {
  SQLite::Statement query(db, concat({"SELECT ", kColumns, " FROM tasks_in WHERE id = ?"}));
  query.bind(1, id);
  if (!query.executeStep()) return std::nullopt;
  return read_row(query);
}

/// A page cursor: the sort key of the last task shown, "<updated_at>/<seq>".
std::string make_cursor(const std::string& updated_at, long long seq) {
  return updated_at + "/" + std::to_string(seq);
}

struct Cursor {
  std::string updated_at;
  long long seq = 0;
};

std::optional<Cursor> parse_cursor(const std::string& text) {
  const auto slash = text.rfind('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 == text.size()) return std::nullopt;
  Cursor c{text.substr(0, slash)};
  for (std::size_t i = slash + 1; i < text.size(); ++i) {
    if (text[i] < '0' || text[i] > '9' || i - slash > 18) return std::nullopt;
    c.seq = c.seq * 10 + (text[i] - '0');
  }
  std::string err;
  if (!a2a::parse_timestamp(c.updated_at, &err)) return std::nullopt;
  return c;
}

}  // namespace

namespace {

/// INSERT OR IGNORE of one task; true when it was inserted (its id was new).
bool insert_row(SQLite::Database& db, const InboundTask& task) {
  SQLite::Statement insert(
      db, concat({"INSERT OR IGNORE INTO tasks_in (", kColumns,
                  ", seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                  "(SELECT COALESCE(MAX(seq), 0) + 1 FROM tasks_in))"}));
  insert.bind(1, task.task.id);
  insert.bind(2, task.dialect);
  insert.bind(3, encode_state(task.task.state));
  insert.bind(4, task.task.context_id);
  insert.bind(5, task.from_name);
  insert.bind(6, task.from_url);
  insert.bind(7, encode_history(task.task.history));
  insert.bind(8, encode_timestamp(task.received_at));
  insert.bind(9, encode_timestamp(task.task.updated_at));
  insert.bind(10, encode_artifacts(task.task.artifacts));
  insert.bind(11, encode_status_message(task.task.status_message));
  insert.bind(12, encode_push_config(task.push));
  insert.bind(13, task.caller.address);
  insert.bind(14, task.caller.verified_by);
  insert.bind(15, task.caller.peer);
  insert.bind(16, task.caller.node);
  insert.bind(17, task.caller.user);
  insert.bind(18, nlohmann::json(task.caller.tags).dump());
  return insert.exec() > 0;
}

}  // namespace

Result<bool> InboundTasks::insert_if_absent(const InboundTask& task) {
  bool inserted = false;
  Status status = db_.write("record inbound task",
                            [&](SQLite::Database& db) { inserted = insert_row(db, task); });
  if (!status) return status.error();
  return inserted;
}

Result<Admission> InboundTasks::insert_within(const InboundTask& task, std::uint64_t max_open) {
  Admission admission = Admission::kInserted;
  Status status = db_.write("record inbound task", [&](SQLite::Database& db) {
    SQLite::Statement exists(db, "SELECT 1 FROM tasks_in WHERE id = ?");
    exists.bind(1, task.task.id);
    if (exists.executeStep()) {
      admission = Admission::kExists;
      return;
    }
    if (!task.caller.address.empty()) {
      // Served by the (caller_address, state) index: a count, not a scan.
      SQLite::Statement open(db,
                             "SELECT count(*) FROM tasks_in WHERE caller_address = ? AND state IN (?, ?)");
      open.bind(1, task.caller.address);
      open.bind(2, encode_state(a2a::TaskState::kSubmitted));
      open.bind(3, encode_state(a2a::TaskState::kWorking));
      open.executeStep();
      if (static_cast<std::uint64_t>(open.getColumn(0).getInt64()) >= max_open) {
        admission = Admission::kFull;
        return;
      }
    }
    insert_row(db, task);
  });
  if (!status) return status.error();
  return admission;
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
    SQLite::Statement query(
        db, concat({"SELECT ", kColumns, " FROM tasks_in WHERE state IN (?, ?) ORDER BY seq"}));
    query.bind(1, encode_state(a2a::TaskState::kSubmitted));
    query.bind(2, encode_state(a2a::TaskState::kWorking));
    while (query.executeStep()) open.push_back(read_row(query));
  });
  if (!status) return status.error();
  return open;
}

Result<InboundPage> InboundTasks::query(const InboundQuery& q) {
  std::optional<Cursor> cursor;
  if (!q.after.empty()) {
    cursor = parse_cursor(q.after);
    if (!cursor) return make_error(ErrorKind::kUsage, "\"" + q.after + "\" is not a page token we gave out");
  }
  // Filters shared by the count and the page; bound in this order.
  std::string where = " WHERE 1 = 1";
  if (!q.context_id.empty()) where += " AND context_id = ?";
  if (q.state) where += " AND state = ?";
  if (q.updated_at_or_after) where += " AND updated_at >= ?";
  if (!q.caller_address.empty()) where += " AND caller_address = ?";
  auto bind_filters = [&](SQLite::Statement& st) {
    int n = 0;
    if (!q.context_id.empty()) st.bind(++n, q.context_id);
    if (q.state) st.bind(++n, encode_state(*q.state));
    if (q.updated_at_or_after) st.bind(++n, encode_timestamp(*q.updated_at_or_after));
    if (!q.caller_address.empty()) st.bind(++n, q.caller_address);
    return n;
  };
  InboundPage page;
  Status status = db_.read("list inbound tasks", [&](SQLite::Database& db) {
    SQLite::Statement count(db, "SELECT count(*) FROM tasks_in" + where);
    bind_filters(count);
    count.executeStep();
    page.total = count.getColumn(0).getInt();

    std::string sql = concat({"SELECT ", kColumns, ", seq FROM tasks_in", where});
    if (cursor) sql += " AND (updated_at < ? OR (updated_at = ? AND seq < ?))";
    // One row more than asked tells whether another page follows.
    sql += " ORDER BY updated_at DESC, seq DESC LIMIT ?";
    SQLite::Statement rows(db, sql);
    int n = bind_filters(rows);
    if (cursor) {
      rows.bind(++n, cursor->updated_at);
      rows.bind(++n, cursor->updated_at);
      rows.bind(++n, static_cast<int64_t>(cursor->seq));
    }
    rows.bind(++n, q.limit + 1);
    long long last_seq = 0;
    while (rows.executeStep()) {
      if (static_cast<int>(page.tasks.size()) == q.limit) {
        page.next_after = make_cursor(encode_timestamp(page.tasks.back().task.updated_at), last_seq);
        break;
      }
      page.tasks.push_back(read_row(rows));
      last_seq = rows.getColumn(kColumnCount).getInt64();  // the seq after them
    }
  });
  if (!status) return status.error();
  return page;
}

Result<InboundTask> InboundTasks::modify(const std::string& id, const Change& change) {
  std::optional<InboundTask> changed;
  std::optional<Error> refused;
  Status status = db_.write("update inbound task", [&](SQLite::Database& db) {
    std::optional<InboundTask> found = select_by_id(db, id);
    if (!found) {
      refused = Error{ErrorKind::kUnknownTask,
                      "no inbound task " + id + "; run 'constellation inbox' to see open tasks"};
      return;
    }
    if ((refused = change(*found))) return;
    SQLite::Statement update(
        db, "UPDATE tasks_in SET state = ?, context_id = ?, history = ?, updated_at = ?, "
            "artifacts = ?, status_message = ?, push_config = ? WHERE id = ?");
    update.bind(1, encode_state(found->task.state));
    update.bind(2, found->task.context_id);
    update.bind(3, encode_history(found->task.history));
    update.bind(4, encode_timestamp(found->task.updated_at));
    update.bind(5, encode_artifacts(found->task.artifacts));
    update.bind(6, encode_status_message(found->task.status_message));
    update.bind(7, encode_push_config(found->push));
    update.bind(8, id);
    update.exec();
    if (found->push) queue_push_delivery(db, id);
    changed = std::move(found);
  });
  if (!status) return status.error();
  if (refused) return *refused;
  return std::move(*changed);
}

Result<InboundTask> InboundTasks::ask(const std::string& id, const std::string& question,
                                      a2a::Timestamp now) {
  return modify(id, [&](InboundTask& in) -> std::optional<Error> {
    if (a2a::is_terminal(in.task.state)) {
      return Error{ErrorKind::kTaskNotOpen, "task " + id + " is already " +
                                                encode_state(in.task.state) + "; nothing changed"};
    }
    a2a::Message asked = a2a::text_message(a2a::Role::kAgent, question);
    asked.message_id = a2a::new_uuid();
    in.task.history.push_back(asked);
    in.task.status_message = std::move(asked);
    in.task.state = a2a::TaskState::kInputRequired;
    in.task.updated_at = now;
    return std::nullopt;
  });
}

Result<InboundTask> InboundTasks::respond(const std::string& id, const std::string& text,
                                          bool failed, a2a::Timestamp now,
                                          const std::vector<a2a::Part>& attachments) {
  return modify(id, [&](InboundTask& in) -> std::optional<Error> {
    // Any terminal state, not only ours: a task the sender canceled stays canceled.
    if (a2a::is_terminal(in.task.state)) {
      return Error{ErrorKind::kTaskNotOpen, "task " + id + " is already " +
                                                encode_state(in.task.state) + "; nothing changed"};
    }
    a2a::Message answer = a2a::text_message(a2a::Role::kAgent, text);
    answer.message_id = a2a::new_uuid();
    in.task.history.push_back(answer);
    if (!attachments.empty()) {
      if (text.empty()) answer.parts.clear();
      answer.parts.insert(answer.parts.end(), attachments.begin(), attachments.end());
    }
    if (failed) {
      in.task.status_message = std::move(answer);
    } else {
      in.task.status_message.reset();
      in.task.artifacts.push_back(a2a::Artifact{a2a::new_uuid(), "answer", answer.parts});
    }
    in.task.state = failed ? a2a::TaskState::kFailed : a2a::TaskState::kCompleted;
    in.task.updated_at = now;
    return std::nullopt;
  });
}

}  // namespace constellation::store

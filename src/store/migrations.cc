#include "constellation/store/migrations.h"

#include <sqlite3.h>

#include <array>
#include <string>

#include <SQLiteCpp/Statement.h>

namespace constellation::store {
namespace {

/// Version 1: peers, tasks_in, tasks_out.
///
/// tasks_in.seq is the insertion order ("oldest first"): MAX(seq)+1 assigned inside the
/// writing transaction, so unlike rowid it can never go backwards, and unlike
/// received_at it does not depend on the clock. The (state, seq) index serves
/// list_open; the unique seq index makes MAX(seq) a lookup.
constexpr const char* kSchemaV1 = R"sql(
CREATE TABLE peers (
  probe_url   TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  url         TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  skills      TEXT NOT NULL DEFAULT '[]',
  card        TEXT NOT NULL DEFAULT '{}',
  source      TEXT NOT NULL,
  first_seen  TEXT,
  last_seen   TEXT,
  online      INTEGER NOT NULL,
  last_error  TEXT NOT NULL DEFAULT ''
);

CREATE TABLE tasks_in (
  id          TEXT PRIMARY KEY,
  dialect     TEXT NOT NULL,
  state       TEXT NOT NULL,
  context_id  TEXT NOT NULL DEFAULT '',
  from_name   TEXT NOT NULL DEFAULT '',
  from_url    TEXT NOT NULL DEFAULT '',
  history     TEXT NOT NULL,
  received_at TEXT NOT NULL,
  updated_at  TEXT NOT NULL,
  seq         INTEGER NOT NULL
);
CREATE UNIQUE INDEX tasks_in_seq ON tasks_in (seq);
CREATE INDEX tasks_in_state_seq ON tasks_in (state, seq);

CREATE TABLE tasks_out (
  id          TEXT PRIMARY KEY,
  peer_name   TEXT NOT NULL,
  peer_url    TEXT NOT NULL,
  dialect     TEXT NOT NULL,
  state       TEXT NOT NULL,
  context_id  TEXT NOT NULL DEFAULT '',
  history     TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL,
  last_error  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX tasks_out_state ON tasks_out (state);
)sql";

/// Version 2. The peer table is a cache of what discovery saw, so it is rebuilt rather
/// than converted: its key changes from the probed URL to the peer's identity (the node
/// id on its card; "url:" + card URL for peers without one, like the Rust original), so
/// a peer that moves keeps its row and two peers sharing a name keep theirs.
constexpr const char* kSchemaV2 = R"sql(
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

DROP TABLE peers;
CREATE TABLE peers (
  peer_key    TEXT PRIMARY KEY,
  node_id     TEXT NOT NULL DEFAULT '',
  name        TEXT NOT NULL,
  url         TEXT NOT NULL,
  probe_url   TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  skills      TEXT NOT NULL DEFAULT '[]',
  card        TEXT NOT NULL DEFAULT '{}',
  sources     TEXT NOT NULL DEFAULT '[]',
  first_seen  TEXT,
  last_seen   TEXT,
  last_probe  TEXT,
  online      INTEGER NOT NULL,
  latency_ms  INTEGER,
  last_error  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX peers_probe_url ON peers (probe_url);
-- Serves "which other row claims this card URL" (trailing '/' ignored) on every sighting;
-- without it each one scans the table and a 500-peer round costs O(n^2).
CREATE INDEX peers_url ON peers (
  CASE WHEN substr(url, -1) = '/' THEN substr(url, 1, length(url) - 1) ELSE url END);
)sql";

/// Version 3: tasks in the standard dialects. A task now carries its result the way
/// v0.3/v1.0 do (artifacts, and a status message beside the state), and an outbound
/// task remembers the id the peer gave it (server-assigned in v0.3/v1.0, so it cannot
/// be our key: two peers may both call their first task "1") and the tenant to name.
/// tasks_in gets an index for ListTasks (newest status first).
constexpr const char* kSchemaV3 = R"sql(
ALTER TABLE tasks_in ADD COLUMN artifacts TEXT NOT NULL DEFAULT '[]';
ALTER TABLE tasks_in ADD COLUMN status_message TEXT NOT NULL DEFAULT '';
CREATE INDEX tasks_in_updated ON tasks_in (updated_at, seq);

ALTER TABLE tasks_out ADD COLUMN artifacts TEXT NOT NULL DEFAULT '[]';
ALTER TABLE tasks_out ADD COLUMN status_message TEXT NOT NULL DEFAULT '';
ALTER TABLE tasks_out ADD COLUMN remote_id TEXT NOT NULL DEFAULT '';
ALTER TABLE tasks_out ADD COLUMN tenant TEXT NOT NULL DEFAULT '';
)sql";

/// v4: event-driven completion. An outbound task remembers how it is followed (push,
/// stream or poll) and the secret a push callback must carry (unique, so a callback is
/// found by its token alone: the task's own id may change when the peer's is adopted).
/// An inbound task keeps the callback its sender registered (v1.0 JSON, '' = none), and every completion not
/// yet delivered to such a callback waits in push_deliveries until it is (a restart on
/// either side loses none).
constexpr const char* kSchemaV4 = R"sql(
ALTER TABLE tasks_out ADD COLUMN follow TEXT NOT NULL DEFAULT 'poll';
ALTER TABLE tasks_out ADD COLUMN push_token TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX tasks_out_push_token ON tasks_out (push_token) WHERE push_token != '';

ALTER TABLE tasks_in ADD COLUMN push_config TEXT NOT NULL DEFAULT '';

CREATE TABLE push_deliveries (
  task_id TEXT PRIMARY KEY REFERENCES tasks_in (id) ON DELETE CASCADE,
  version INTEGER NOT NULL DEFAULT 1,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT NOT NULL,
  last_error TEXT NOT NULL DEFAULT ''
);
)sql";

/// v5: who sent an inbound task, as the network says (security/caller.h): the source
/// address and what tailscale whois or discovery vouched for. from_name / from_url stay
/// what they were, the sender's claim. Indexed by address and state, so the open tasks
/// of one caller are counted without a scan.
constexpr const char* kSchemaV5 = R"sql(
ALTER TABLE tasks_in ADD COLUMN caller_address TEXT NOT NULL DEFAULT '';
ALTER TABLE tasks_in ADD COLUMN caller_verified_by TEXT NOT NULL DEFAULT '';
ALTER TABLE tasks_in ADD COLUMN caller_peer TEXT NOT NULL DEFAULT '';
ALTER TABLE tasks_in ADD COLUMN caller_node TEXT NOT NULL DEFAULT '';
ALTER TABLE tasks_in ADD COLUMN caller_user TEXT NOT NULL DEFAULT '';
ALTER TABLE tasks_in ADD COLUMN caller_tags TEXT NOT NULL DEFAULT '[]';
CREATE INDEX tasks_in_caller_state ON tasks_in (caller_address, state);
)sql";

/// kMigrations[v] takes a store from version v to v + 1. Append only.
constexpr std::array<const char*, kCurrentSchemaVersion> kMigrations{kSchemaV1, kSchemaV2,
                                                                     kSchemaV3, kSchemaV4,
                                                                     kSchemaV5};

int user_version(SQLite::Database& db) { return db.execAndGet("PRAGMA user_version").getInt(); }

/// Whether a version-0 file already holds tables: then it belongs to someone else.
bool has_tables(SQLite::Database& db) {
  return db.execAndGet("SELECT count(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite\\_%' "
                       "ESCAPE '\\'")
             .getInt() > 0;
}

Error refuse(const std::string& message) { return Error{ErrorKind::kStore, message}; }

void rollback_quietly(SQLite::Database& db) noexcept {
  if (sqlite3_get_autocommit(db.getHandle()) != 0) return;
  try {
    db.exec("ROLLBACK");
  } catch (...) {
    // The caller reports the original error.
  }
}

}  // namespace

Status migrate(SQLite::Database& db, const std::string& path_for_messages) {
  try {
    // Every verb opens the store, so the common case, a store already current, must not
    // take the write lock: with a hundred verbs at once that lock is what they queue on.
    // Reading the version outside a transaction is as safe as the locked read was: only a
    // newer binary could change it afterwards, with or without our lock.
    if (user_version(db) == kCurrentSchemaVersion) return Ok{};
    // IMMEDIATE: two processes opening a new store at once migrate one after the other,
    // and the second then sees the version the first wrote.
    db.exec("BEGIN IMMEDIATE");
    int version = user_version(db);
    if (version > kCurrentSchemaVersion) {
      rollback_quietly(db);
      return refuse("store " + path_for_messages + " has schema version " +
                    std::to_string(version) + ", newer than this constellation (" +
                    std::to_string(kCurrentSchemaVersion) +
                    "); upgrade constellation or point [store] path elsewhere");
    }
    if (version < kOldestSchemaVersion || (version == 0 && has_tables(db))) {
      rollback_quietly(db);
      return refuse(path_for_messages +
                    " is not a Constellation store (it holds tables but no Constellation "
                    "schema version); move it away or set [store] path");
    }
    for (int v = version; v < kCurrentSchemaVersion; ++v) db.exec(kMigrations[v]);
    if (version != kCurrentSchemaVersion)
      db.exec("PRAGMA user_version = " + std::to_string(kCurrentSchemaVersion));
    db.exec("COMMIT");
    return Ok{};
  } catch (const std::exception& e) {
    rollback_quietly(db);
    return refuse(std::string("migrate: ") + e.what() + " (store " + path_for_messages + ")");
  }
}

}  // namespace constellation::store

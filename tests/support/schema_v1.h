#pragma once
/// The store schema exactly as Constellation 0.1.0 wrote it (store version 1), frozen
/// here so that tests can build an old store and watch it migrate. Never edit it: it is
/// what users' old files hold.

namespace test_support {

inline constexpr const char* kSchemaV1Sql = R"sql(
CREATE TABLE peers (probe_url TEXT PRIMARY KEY, name TEXT NOT NULL, url TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '', skills TEXT NOT NULL DEFAULT '[]',
  card TEXT NOT NULL DEFAULT '{}', source TEXT NOT NULL, first_seen TEXT, last_seen TEXT,
  online INTEGER NOT NULL, last_error TEXT NOT NULL DEFAULT '');
CREATE TABLE tasks_in (id TEXT PRIMARY KEY, dialect TEXT NOT NULL, state TEXT NOT NULL,
  context_id TEXT NOT NULL DEFAULT '', from_name TEXT NOT NULL DEFAULT '',
  from_url TEXT NOT NULL DEFAULT '', history TEXT NOT NULL, received_at TEXT NOT NULL,
  updated_at TEXT NOT NULL, seq INTEGER NOT NULL);
CREATE UNIQUE INDEX tasks_in_seq ON tasks_in (seq);
CREATE INDEX tasks_in_state_seq ON tasks_in (state, seq);
CREATE TABLE tasks_out (id TEXT PRIMARY KEY, peer_name TEXT NOT NULL, peer_url TEXT NOT NULL,
  dialect TEXT NOT NULL, state TEXT NOT NULL, context_id TEXT NOT NULL DEFAULT '',
  history TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
  last_error TEXT NOT NULL DEFAULT '');
CREATE INDEX tasks_out_state ON tasks_out (state);
)sql";

}  // namespace test_support

#include "constellation/store/peers.h"

#include <algorithm>
#include <initializer_list>
#include <string_view>

#include <SQLiteCpp/Statement.h>

#include "constellation/util/concat.h"
#include "task_codec.h"

namespace constellation::store {
namespace {

constexpr const char* kColumns =
    "peer_key, node_id, name, url, probe_url, description, skills, card, sources, first_seen, "
    "last_seen, last_probe, online, latency_ms, last_error";

/// "Never" is NULL rather than 1970.
void bind_time(SQLite::Statement& statement, const char* name, a2a::Timestamp t) {
  if (t == a2a::Timestamp{}) {
    statement.bind(name);
  } else {
    statement.bind(name, encode_timestamp(t));
  }
}

a2a::Timestamp column_time(const SQLite::Column& column) {
  if (column.isNull()) return a2a::Timestamp{};
  return decode_timestamp(column.getString());
}

PeerRecord read_row(SQLite::Statement& row) {
  PeerRecord peer;
  peer.key = row.getColumn(0).getString();
  peer.node_id = row.getColumn(1).getString();
  peer.name = row.getColumn(2).getString();
  peer.url = row.getColumn(3).getString();
  peer.probe_url = row.getColumn(4).getString();
  peer.description = row.getColumn(5).getString();
  peer.skills = decode_strings(row.getColumn(6).getString());
  peer.card_json = row.getColumn(7).getString();
  peer.sources = decode_strings(row.getColumn(8).getString());
  peer.first_seen = column_time(row.getColumn(9));
  peer.last_seen = column_time(row.getColumn(10));
  peer.last_probe = column_time(row.getColumn(11));
  peer.online = row.getColumn(12).getInt() != 0;
  if (!row.getColumn(13).isNull()) peer.latency_ms = row.getColumn(13).getInt64();
  peer.last_error = row.getColumn(14).getString();
  return peer;
}

std::string strip_one_slash(const std::string& url) {
  if (!url.empty() && url.back() == '/') return url.substr(0, url.size() - 1);
  return url;
}

/// SQL for "column without one trailing slash".
std::string unslashed(std::string_view column) {
  return concat({"CASE WHEN substr(", column, ", -1) = '/' THEN substr(", column, ", 1, length(",
                 column, ") - 1) ELSE ", column, " END"});
}

/// The statements of one apply(), prepared once: a round records hundreds of peers.
struct RoundStatements {
  explicit RoundStatements(SQLite::Database& db)
      : previous(db, "SELECT first_seen, sources FROM peers WHERE peer_key = ?"),
        insert(db, concat({"INSERT OR REPLACE INTO peers (", kColumns,
                           ") VALUES (:key, :node_id, :name, :url, :probe_url, :description, "
                           ":skills, :card, :sources, :first_seen, :last_seen, :last_probe, "
                           ":online, :latency, :last_error)"})),
        // Someone else answers where these rows say their peer lives: they are stale.
        // Two statements rather than one OR, so each uses its own index.
        displaced_by_probe(db, "UPDATE peers SET online = 0, last_error = :error "
                               "WHERE probe_url = :probe_url AND peer_key != :key AND online = 1"),
        displaced_by_url(db, concat({"UPDATE peers SET online = 0, last_error = :error WHERE ",
                                     unslashed("url"),
                                     " = :url AND peer_key != :key AND online = 1"})),
        down(db, "UPDATE peers SET online = 0, last_error = :error, "
                 "last_probe = COALESCE(:at, last_probe) WHERE probe_url = :probe_url") {}

  SQLite::Statement previous, insert, displaced_by_probe, displaced_by_url, down;
};

void run(SQLite::Statement& statement) {
  statement.exec();
  statement.reset();
  statement.clearBindings();
}

void record_seen(RoundStatements& sql, PeerRecord peer) {
  if (peer.key.empty()) peer.key = peer_key(peer.node_id, peer.url);
  sql.previous.bind(1, peer.key);
  if (sql.previous.executeStep()) {
    if (!sql.previous.getColumn(0).isNull()) peer.first_seen = column_time(sql.previous.getColumn(0));
    auto sources = decode_strings(sql.previous.getColumn(1).getString());
    for (auto& s : peer.sources)
      if (std::find(sources.begin(), sources.end(), s) == sources.end()) sources.push_back(s);
    std::sort(sources.begin(), sources.end());
    peer.sources = std::move(sources);
  }
  sql.previous.reset();
  sql.previous.clearBindings();
  if (peer.first_seen == a2a::Timestamp{}) peer.first_seen = peer.last_seen;
  if (peer.last_probe == a2a::Timestamp{}) peer.last_probe = peer.last_seen;

  auto& insert = sql.insert;
  insert.bind(":key", peer.key);
  insert.bind(":node_id", peer.node_id);
  insert.bind(":name", peer.name);
  insert.bind(":url", peer.url);
  insert.bind(":probe_url", peer.probe_url);
  insert.bind(":description", peer.description);
  insert.bind(":skills", encode_strings(peer.skills));
  insert.bind(":card", peer.card_json);
  insert.bind(":sources", encode_strings(peer.sources));
  bind_time(insert, ":first_seen", peer.first_seen);
  bind_time(insert, ":last_seen", peer.last_seen);
  bind_time(insert, ":last_probe", peer.last_probe);
  insert.bind(":online", peer.online ? 1 : 0);
  if (peer.latency_ms) {
    insert.bind(":latency", *peer.latency_ms);
  } else {
    insert.bind(":latency");
  }
  insert.bind(":last_error", peer.last_error);
  run(insert);

  const std::string error = "peer '" + peer.name + "' answers at " + peer.probe_url + " now";
  sql.displaced_by_probe.bind(":error", error);
  sql.displaced_by_probe.bind(":key", peer.key);
  sql.displaced_by_probe.bind(":probe_url", peer.probe_url);
  run(sql.displaced_by_probe);
  sql.displaced_by_url.bind(":error", error);
  sql.displaced_by_url.bind(":key", peer.key);
  sql.displaced_by_url.bind(":url", strip_one_slash(peer.url));
  run(sql.displaced_by_url);
}

void record_down(RoundStatements& sql, const PeerDown& down) {
  sql.down.bind(":error", down.error);
  bind_time(sql.down, ":at", down.at);
  sql.down.bind(":probe_url", down.probe_url);
  run(sql.down);
}

}  // namespace

std::string peer_key(const std::string& node_id, const std::string& card_url) {
  if (!node_id.empty()) return node_id;
  return "url:" + strip_one_slash(card_url);
}

Status PeerTable::apply(const std::vector<PeerUpdate>& updates) {
  if (updates.empty()) return Ok{};
  return db_.write("record peers", [&](SQLite::Database& db) {
    RoundStatements sql(db);
    for (const auto& update : updates) {
      if (const auto* seen = std::get_if<PeerSeen>(&update)) {
        record_seen(sql, seen->peer);
      } else {
        record_down(sql, std::get<PeerDown>(update));
      }
    }
  });
}

Status PeerTable::mark_all_offline(const std::string& reason) {
  return db_.write("mark all peers offline", [&](SQLite::Database& db) {
    SQLite::Statement update(db, "UPDATE peers SET online = 0, last_error = :error WHERE online = 1");
    update.bind(":error", reason);
    update.exec();
  });
}

Result<std::vector<std::string>> PeerTable::prune(a2a::Timestamp cutoff) {
  std::vector<std::string> names;
  Status status = db_.write("prune peers", [&](SQLite::Database& db) {
    SQLite::Statement query(
        db, "DELETE FROM peers WHERE online = 0 AND "
            "COALESCE(last_seen, last_probe, first_seen) < :cutoff RETURNING name");
    query.bind(":cutoff", encode_timestamp(cutoff));
    while (query.executeStep()) names.push_back(query.getColumn(0).getString());
  });
  if (!status) return status.error();
  return names;
}

Result<std::vector<PeerRecord>> PeerTable::list() {
  std::vector<PeerRecord> peers;
  Status status = db_.read("list peers", [&](SQLite::Database& db) {
    SQLite::Statement query(
        db, concat({"SELECT ", kColumns, " FROM peers ORDER BY name, peer_key"}));
    while (query.executeStep()) peers.push_back(read_row(query));
  });
  if (!status) return status.error();
  return peers;
}

Result<std::optional<PeerRecord>> PeerTable::find_by_url(const std::string& url) {
  std::optional<PeerRecord> found;
  Status status = db_.read("find peer by URL", [&](SQLite::Database& db) {
    // Several rows can match (an old identity at a reused address): prefer one that
    // answers, then the most recently seen.
    SQLite::Statement query(db, concat({"SELECT ", kColumns, " FROM peers WHERE :url IN (",
                                        unslashed("url"), ", ", unslashed("probe_url"),
                                        ") ORDER BY online DESC, last_seen DESC, peer_key LIMIT 1"}));
    query.bind(":url", strip_one_slash(url));
    if (query.executeStep()) found = read_row(query);
  });
  if (!status) return status.error();
  return found;
}

}  // namespace constellation::store

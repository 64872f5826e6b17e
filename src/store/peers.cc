#include "constellation/store/peers.h"

#include <SQLiteCpp/Statement.h>

#include "task_codec.h"

namespace constellation::store {
namespace {

constexpr const char* kColumns =
    "probe_url, name, url, description, skills, card, source, first_seen, last_seen, online, "
    "last_error";

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
  peer.probe_url = row.getColumn(0).getString();
  peer.name = row.getColumn(1).getString();
  peer.url = row.getColumn(2).getString();
  peer.description = row.getColumn(3).getString();
  peer.skills = decode_strings(row.getColumn(4).getString());
  peer.card_json = row.getColumn(5).getString();
  peer.source = row.getColumn(6).getString();
  peer.first_seen = column_time(row.getColumn(7));
  peer.last_seen = column_time(row.getColumn(8));
  peer.online = row.getColumn(9).getInt() != 0;
  peer.last_error = row.getColumn(10).getString();
  return peer;
}

std::string strip_one_slash(const std::string& url) {
  if (!url.empty() && url.back() == '/') return url.substr(0, url.size() - 1);
  return url;
}

}  // namespace

Status PeerTable::upsert_seen(const PeerRecord& peer) {
  return db_.write("record peer", [&](SQLite::Database& db) {
    SQLite::Statement insert(db, std::string("INSERT INTO peers (") + kColumns +
                                     ") VALUES (:probe_url, :name, :url, :description, "
                                     ":skills, :card, :source, :first_seen, :last_seen, "
                                     ":online, :last_error) "
                                     "ON CONFLICT (probe_url) DO UPDATE SET "
                                     "name = excluded.name, url = excluded.url, "
                                     "description = excluded.description, "
                                     "skills = excluded.skills, card = excluded.card, "
                                     "source = excluded.source, last_seen = excluded.last_seen, "
                                     "online = excluded.online, last_error = excluded.last_error");
    insert.bind(":probe_url", peer.probe_url);
    insert.bind(":name", peer.name);
    insert.bind(":url", peer.url);
    insert.bind(":description", peer.description);
    insert.bind(":skills", encode_strings(peer.skills));
    insert.bind(":card", peer.card_json);
    insert.bind(":source", peer.source);
    // A caller that does not track first sight gets the time of this probe.
    bind_time(insert, ":first_seen",
              peer.first_seen == a2a::Timestamp{} ? peer.last_seen : peer.first_seen);
    bind_time(insert, ":last_seen", peer.last_seen);
    insert.bind(":online", peer.online ? 1 : 0);
    insert.bind(":last_error", peer.last_error);
    insert.exec();
  });
}

Status PeerTable::mark_offline(const std::string& probe_url, const std::string& error) {
  return db_.write("mark peer offline", [&](SQLite::Database& db) {
    SQLite::Statement update(
        db, "UPDATE peers SET online = 0, last_error = :error WHERE probe_url = :probe_url");
    update.bind(":error", error);
    update.bind(":probe_url", probe_url);
    update.exec();
  });
}

Status PeerTable::mark_all_offline(const std::string& reason) {
  return db_.write("mark all peers offline", [&](SQLite::Database& db) {
    SQLite::Statement update(db, "UPDATE peers SET online = 0, last_error = :error WHERE online = 1");
    update.bind(":error", reason);
    update.exec();
  });
}

Result<std::vector<PeerRecord>> PeerTable::list() {
  std::vector<PeerRecord> peers;
  Status status = db_.read("list peers", [&](SQLite::Database& db) {
    SQLite::Statement query(
        db, std::string("SELECT ") + kColumns + " FROM peers ORDER BY name, probe_url");
    while (query.executeStep()) peers.push_back(read_row(query));
  });
  if (!status) return status.error();
  return peers;
}

Result<std::optional<PeerRecord>> PeerTable::find_by_url(const std::string& url) {
  std::optional<PeerRecord> found;
  Status status = db_.read("find peer by URL", [&](SQLite::Database& db) {
    // Several rows can match (one peer probed under two addresses): prefer one that
    // answers, then the most recently seen.
    SQLite::Statement query(
        db, std::string("SELECT ") + kColumns +
                " FROM peers WHERE :url IN ("
                "  CASE WHEN substr(url, -1) = '/' THEN substr(url, 1, length(url) - 1)"
                "  ELSE url END,"
                "  CASE WHEN substr(probe_url, -1) = '/'"
                "  THEN substr(probe_url, 1, length(probe_url) - 1) ELSE probe_url END)"
                " ORDER BY online DESC, last_seen DESC, probe_url LIMIT 1");
    query.bind(":url", strip_one_slash(url));
    if (query.executeStep()) found = read_row(query);
  });
  if (!status) return status.error();
  return found;
}

}  // namespace constellation::store

#pragma once
/// Schema versions. The version lives in PRAGMA user_version.
///  - 0: empty file, never opened by us.
///  - 1: peers, tasks_in, tasks_out.
///  - 2: meta (this node's id); peers keyed by node id, with sources, probe time and
///       latency (the v1 peer cache is dropped: discovery refills it within a round).
///  - 3: tasks carry artifacts and a status message; outbound tasks the peer's own id
///       and tenant (v0.3/v1.0 peers assign task ids themselves).
/// Every change appends a migration; a migration never edits an earlier one.

#include <SQLiteCpp/Database.h>

#include "constellation/util/error.h"

namespace constellation::store {

inline constexpr int kOldestSchemaVersion = 0;
inline constexpr int kCurrentSchemaVersion = 5;

/// Brings the schema to kCurrentSchemaVersion inside one transaction. Refuses (kStore
/// error, nothing written) a store whose version is newer than ours.
Status migrate(SQLite::Database& db, const std::string& path_for_messages);

}  // namespace constellation::store

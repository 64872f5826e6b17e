#pragma once
/// Queuing a push delivery from inside another write (internal to src/store), so a task
/// change and the news of it commit together or not at all.

#include <string>

#include <SQLiteCpp/Database.h>

namespace constellation::store {

/// Makes a delivery of task `task_id` due now. A delivery already queued for it is
/// bumped instead (its version grows, its backoff restarts): the newest state is what
/// gets posted, so one pending row per task is enough. Must run inside a transaction.
void queue_push_delivery(SQLite::Database& db, const std::string& task_id);

}  // namespace constellation::store

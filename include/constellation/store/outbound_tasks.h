#pragma once
/// Table `tasks_out`: tasks we sent to other peers.

#include <optional>
#include <string>
#include <vector>

#include "constellation/a2a/task.h"
#include "constellation/store/database.h"
#include "constellation/util/error.h"

namespace constellation::store {

struct OutboundTask {
  a2a::Task task;          ///< as last seen from the peer (history includes the answer)
  std::string peer_name;
  std::string peer_url;    ///< JSON-RPC endpoint the task was sent to
  std::string dialect;     ///< "legacy" for now
  a2a::Timestamp created_at{};
  std::string last_error;  ///< last failure to reach the peer about this task
};

class OutboundTasks {
 public:
  explicit OutboundTasks(Database& db) : db_(db) {}

  Status insert(const OutboundTask& task);
  /// Replaces state, updated_at and history with what the peer reported.
  Status update_task(const a2a::Task& task);
  Status set_error(const std::string& id, const std::string& error);
  Status remove(const std::string& id);
  Result<std::optional<OutboundTask>> get(const std::string& id);
  /// Tasks not yet terminal, oldest first (the daemon follows them).
  Result<std::vector<OutboundTask>> list_active();

 private:
  Database& db_;
};

}  // namespace constellation::store

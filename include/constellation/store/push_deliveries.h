#pragma once
/// Table `push_deliveries`: changes of inbound tasks not yet posted to their sender's
/// callback. A row lives until a delivery succeeds (or is given up), so neither side's
/// restart loses one. Rows are queued by InboundTasks::modify; the daemon delivers.

#include <optional>
#include <string>
#include <vector>

#include "constellation/a2a/timestamp.h"
#include "constellation/store/database.h"
#include "constellation/util/error.h"

namespace constellation::store {

struct PushDelivery {
  std::string task_id;
  /// Grows each time the task changes again; a delivery only clears the row when the
  /// version it read is still current, so a change during a delivery is not lost.
  long long version = 0;
  int attempts = 0;  ///< failed attempts since the last change
  a2a::Timestamp next_attempt_at{};
  std::string last_error;
};

class PushDeliveries {
 public:
  explicit PushDeliveries(Database& db) : db_(db) {}

  /// Every pending delivery, soonest first.
  Result<std::vector<PushDelivery>> list();
  Result<std::optional<PushDelivery>> get(const std::string& task_id);
  /// Queues a delivery of the task's current state (see queue_push_delivery); for
  /// changes made outside InboundTasks::modify. kUnknownTask when the task is absent.
  Status queue(const std::string& task_id);
  /// The delivery of `version` succeeded: the row goes unless the task changed since.
  /// Returns whether it went.
  Result<bool> complete(const std::string& task_id, long long version);
  /// The delivery of `version` failed: counts it and sets the next attempt. Nothing
  /// happens when the task changed since (its new delivery is due at once anyway).
  Status failed(const std::string& task_id, long long version, a2a::Timestamp next_attempt_at,
                const std::string& error);
  /// Gives up on the task's delivery.
  Status drop(const std::string& task_id);

 private:
  Database& db_;
};

}  // namespace constellation::store

#pragma once
/// Table `tasks_out`: tasks we sent to other peers.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "constellation/a2a/task.h"
#include "constellation/store/database.h"
#include "constellation/util/error.h"

namespace constellation::store {

/// How the daemon learns that an outbound task changed, chosen at send time from the
/// peer's card: the peer posts to our callback (push), we hold a stream open to it
/// (stream), or we ask it again and again (poll; legacy peers can do nothing else).
enum class FollowMode { kPoll, kPush, kStream };
const char* follow_mode_name(FollowMode mode);  ///< "poll", "push", "stream"
FollowMode follow_mode_from_name(std::string_view name);  ///< unknown → kPoll

struct OutboundTask {
  /// As last seen from the peer: its history, artifacts and status message hold the
  /// answer. `task.id` is ours (what `send` printed), whatever the peer calls it.
  a2a::Task task;
  std::string peer_name;
  std::string peer_url;    ///< JSON-RPC endpoint the task was sent to
  std::string dialect;     ///< a2a::dialect_name of the endpoint: "legacy", "0.3", "1.0"
  a2a::Timestamp created_at{};
  std::string last_error;  ///< last failure to reach the peer about this task
  /// The peer's id for the task when it differs from ours (v0.3/v1.0 peers assign
  /// their own); "" = the same as task.id.
  std::string remote_id{};
  std::string tenant{};  ///< v1.0: sent in every request about the task when not empty
  FollowMode follow = FollowMode::kPoll;
  /// The secret the peer's push callbacks must carry; "" when none was registered.
  std::string push_token{};

  /// The id to use on the wire.
  const std::string& wire_id() const { return remote_id.empty() ? task.id : remote_id; }
};

class OutboundTasks {
 public:
  explicit OutboundTasks(Database& db) : db_(db) {}

  Status insert(const OutboundTask& task);
  /// Replaces state, updated_at, context, history, artifacts and status message with
  /// what the peer reported (task.id is ours).
  Status update_task(const a2a::Task& task);
  /// update_task, but only while the stored state is still `expected`; false (nothing
  /// written) when something else changed the task first.
  Result<bool> update_task_if(const a2a::Task& task, a2a::TaskState expected);
  /// Records the id the peer gave the task.
  Status set_remote_id(const std::string& id, const std::string& remote_id);
  /// Makes the peer's id ours too when no other row uses it, so that the id `send`
  /// prints is the one the peer's inbox shows; otherwise (another peer already gave a
  /// task that id) keeps our id and records the peer's beside it. Returns the task's id.
  Result<std::string> adopt_remote_id(const std::string& id, const std::string& remote_id);
  Status set_error(const std::string& id, const std::string& error);
  Status remove(const std::string& id);
  Result<std::optional<OutboundTask>> get(const std::string& id);
  /// The task whose push callbacks carry `token` (never matches "").
  Result<std::optional<OutboundTask>> find_by_push_token(const std::string& token);
  /// Changes how the task is followed (e.g. to polling when its stream is refused).
  Status set_follow(const std::string& id, FollowMode mode);
  /// Tasks not yet terminal, oldest first (the daemon follows them).
  Result<std::vector<OutboundTask>> list_active();

 private:
  Result<bool> write_task(const a2a::Task& task, std::optional<a2a::TaskState> expected);
  Database& db_;
};

}  // namespace constellation::store

#pragma once
/// Table `tasks_in`: tasks other peers sent us.

#include <optional>
#include <string>
#include <vector>

#include "constellation/a2a/task.h"
#include "constellation/store/database.h"
#include "constellation/util/error.h"

namespace constellation::store {

struct InboundTask {
  a2a::Task task;          ///< id, state, updated_at, history ([request] or [request, answer])
  std::string dialect;     ///< "legacy" (later "v0.3", "v1.0"): replies are rendered in it
  std::string from_name;   ///< peer name when the sender is a known peer, else empty
  std::string from_url;    ///< the sender's claimed URL (X-A2A-Source-Url), may be empty
  a2a::Timestamp received_at{};
};

class InboundTasks {
 public:
  explicit InboundTasks(Database& db) : db_(db) {}

  /// Inserts the task unless its id exists (a re-sent `tasks/send` changes nothing).
  /// Returns true when inserted. Committed to disk when this returns.
  Result<bool> insert_if_absent(const InboundTask& task);
  Result<std::optional<InboundTask>> get(const std::string& id);
  /// Tasks awaiting our answer (submitted, working), oldest first.
  Result<std::vector<InboundTask>> list_open();
  /// Appends the agent's answer and moves the task to completed (or failed).
  /// kUnknownTask when absent; kTaskNotOpen when already finished. Returns the task.
  Result<InboundTask> respond(const std::string& id, const std::string& text, bool failed,
                              a2a::Timestamp now);

 private:
  Database& db_;
};

}  // namespace constellation::store

#pragma once
/// Table `tasks_in`: tasks other peers sent us, in any of the three dialects.

#include <functional>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "constellation/a2a/push.h"
#include "constellation/a2a/task.h"
#include "constellation/security/caller.h"
#include "constellation/store/database.h"
#include "constellation/util/error.h"

namespace constellation::store {

struct InboundTask {
  /// id, context, state, updated_at, history (the request, later turns, the answer),
  /// artifacts and status message (how v0.3/v1.0 carry a result).
  a2a::Task task;
  std::string dialect;     ///< a2a::dialect_name: "legacy", "0.3" or "1.0"
  /// Who sent it, as the network says (source address, what vouches for it).
  security::Caller caller;
  /// The sender's claim, unverified: the URL it says it serves on (X-A2A-Source-Url,
  /// may be empty) and the known peer name at that URL (empty when none).
  std::string from_name;
  std::string from_url;
  a2a::Timestamp received_at{};
  /// The sender's callback: every change of the task is posted there (push_deliveries).
  std::optional<a2a::PushConfig> push{};
};

/// ListTasks filters (A2A v1.0 §ListTasks); empty / nullopt = not filtered.
struct InboundQuery {
  std::string context_id;
  std::optional<a2a::TaskState> state;
  std::optional<a2a::Timestamp> updated_at_or_after;
  /// Continue after this task, as returned in InboundPage::next_after ("" = from the top).
  std::string after;
  int limit = 50;
  /// Only tasks from this source address (security::Caller::address); "" = all.
  std::string caller_address;
};

struct InboundPage {
  std::vector<InboundTask> tasks;  ///< newest status change first
  /// Opaque cursor for the next page, "" when this page is the last.
  std::string next_after;
  int total = 0;  ///< tasks matching the filters, all pages together
};

/// What became of a task offered to InboundTasks::insert_within.
enum class Admission {
  kInserted,
  kExists,  ///< a task with its id is there already; nothing changed
  kFull,    ///< its caller has too many open tasks; nothing written
};

class InboundTasks {
 public:
  explicit InboundTasks(Database& db) : db_(db) {}

  /// Inserts the task unless its id exists (a re-sent `tasks/send` changes nothing).
  /// Returns true when inserted. Committed to disk when this returns.
  Result<bool> insert_if_absent(const InboundTask& task);
  /// insert_if_absent for a task a caller starts, unless that caller (its network
  /// address) already has `max_open` tasks awaiting our answer (submitted, working):
  /// then nothing is written (kFull). Count and insert are one transaction, so callers
  /// racing each other cannot overshoot. Tasks without a caller address (not over TCP)
  /// are not counted.
  Result<Admission> insert_within(const InboundTask& task, std::uint64_t max_open);
  Result<std::optional<InboundTask>> get(const std::string& id);
  /// Tasks awaiting our answer (submitted, working), oldest first.
  Result<std::vector<InboundTask>> list_open();
  /// One page of tasks for ListTasks. kUsage when `after` is not a cursor we made.
  Result<InboundPage> query(const InboundQuery& query);

  /// Reads the task, lets `change` edit it, and writes it back, all in one IMMEDIATE
  /// transaction, so two writers can never both act on the same old state. `change`
  /// returns an Error to refuse (nothing is written); the task's id must stay. When the
  /// task has a push callback, a delivery of its new state is queued in the same
  /// transaction (see PushDeliveries), so whoever changes it, the sender hears of it.
  /// kUnknownTask when the id is absent. Returns the task as stored.
  using Change = std::function<std::optional<Error>(InboundTask&)>;
  Result<InboundTask> modify(const std::string& id, const Change& change);

  /// The local agent's answer: appended to the history (the legacy dialect reads the
  /// last history message), and, as v0.3/v1.0 carry results, kept as the task's
  /// artifact — or, for a failure, as its status message. The task ends completed (or
  /// failed). kUnknownTask when absent; kTaskNotOpen when already finished.
  /// `attachments` (file and data parts) go in the artifact (or the status message), after
  /// the text, which is then left out of it when empty; the history message keeps only
  /// the text, so a task's files are not stored and sent twice.
  Result<InboundTask> respond(const std::string& id, const std::string& text, bool failed,
                              a2a::Timestamp now, const std::vector<a2a::Part>& attachments = {});
  /// The local agent asks the sender something: the question joins the history and
  /// becomes the status message, and the task waits in input-required (out of the
  /// inbox) until the sender's next turn. kUnknownTask / kTaskNotOpen as for respond.
  Result<InboundTask> ask(const std::string& id, const std::string& question, a2a::Timestamp now);

 private:
  Database& db_;
};

}  // namespace constellation::store

// The original's dialect (a2a-wire.md §1), answered byte for byte as the Rust server
// does: tasks/send with a client-chosen id, tasks/get, and tasks/cancel refused.

#include <chrono>

#include "constellation/a2a/legacy.h"
#include "constellation/store/inbound_tasks.h"
#include "dialect_methods.h"

namespace constellation::server::detail {

using nlohmann::json;
namespace code = a2a::rpc_code;

namespace {

RpcOutcome error(const json& id, int c, const std::string& message) {
  return {a2a::encode_error(id, c, message)};
}

RpcOutcome send(TaskService& tasks, store::Database& db, const Call& call) {
  const auto& req = call.request;
  std::string err;
  auto params = a2a::legacy::send_params_from_json(req.params, &err);
  if (!params) return error(req.id, code::kInvalidParams, "Invalid params: " + err);
  if (params->message.role != a2a::Role::kUser) {
    return error(req.id, code::kInvalidParams,
                 "Invalid params: params.message.role: a new task must come from \"user\"");
  }

  store::InboundTask task;
  task.task.id = params->task_id;
  task.task.state = a2a::TaskState::kSubmitted;
  task.task.updated_at = std::chrono::system_clock::now();
  task.task.history.push_back(std::move(params->message));
  task.dialect = a2a::dialect_name(a2a::Dialect::kLegacy);
  task.from_url = call.sender.claimed_url;
  task.from_name = tasks.known_name_for(task.from_url);
  task.caller = call.sender.caller;
  task.received_at = task.task.updated_at;

  auto inserted = tasks.record_new(task);
  if (auto* e = std::get_if<A2aError>(&inserted)) return error(req.id, e->code, e->message);
  // A re-sent id changes nothing; answer with the task as it stands.
  store::InboundTasks table(db);
  auto current = table.get(task.task.id);
  if (!current || !*current) return error(req.id, code::kInternalError, "task vanished after insert");
  RpcOutcome out{a2a::encode_result(req.id, a2a::legacy::task_to_json((*current)->task))};
  if (std::get<bool>(inserted)) out.new_task_id = task.task.id;
  return out;
}

RpcOutcome get(TaskService& tasks, const Call& call) {
  const auto& req = call.request;
  std::string err;
  auto id = a2a::legacy::task_id_params_from_json(req.params, &err);
  if (!id) return error(req.id, code::kInvalidParams, "Invalid params: " + err);
  auto found = tasks.get_own(*id, call.sender.caller);
  if (auto* e = std::get_if<A2aError>(&found)) {
    // The original's wording: "Task not found: <id>", store failures as free text.
    return error(req.id, e->code, e->code == code::kTaskNotFound ? "Task not found: " + *id : e->message);
  }
  return {a2a::encode_result(req.id, a2a::legacy::task_to_json(std::get<store::InboundTask>(found).task))};
}

}  // namespace

RpcOutcome legacy_method(TaskService& tasks, const Call& call) {
  const std::string& method = call.request.method;
  if (method == "tasks/send") return send(tasks, tasks.database(), call);
  if (method == "tasks/get") return get(tasks, call);
  // tasks/cancel: the original answers this without looking at params, and its client
  // never sends it; kept so a legacy peer sees exactly what it would from the original.
  return error(call.request.id, code::kUnsupportedOperation, "Method not yet implemented: " + method);
}

}  // namespace constellation::server::detail

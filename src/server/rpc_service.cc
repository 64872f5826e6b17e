#include "constellation/server/rpc_service.h"

#include <chrono>

#include <nlohmann/json.hpp>

#include "constellation/a2a/jsonrpc.h"
#include "constellation/a2a/legacy.h"
#include "constellation/store/inbound_tasks.h"
#include "constellation/store/peers.h"

namespace constellation::server {

using nlohmann::json;
namespace code = a2a::rpc_code;

namespace {

RpcOutcome reply_error(const json& id, int c, const std::string& message) {
  return {a2a::encode_error(id, c, message), std::nullopt};
}

RpcOutcome reply_result(const json& id, const json& result) {
  return {a2a::encode_result(id, result), std::nullopt};
}

/// The sender's name when its claimed URL is a peer we know; the claim itself is kept
/// beside it. (Verified identity replaces this with the trust work.)
std::string known_name_for(store::Database& db, const std::string& claimed_url) {
  if (claimed_url.empty()) return {};
  auto found = store::PeerTable(db).find_by_url(claimed_url);
  if (!found || !*found) return {};
  return (*found)->name;
}

RpcOutcome legacy_send(store::Database& db, const a2a::RpcRequest& req, const HttpRequest& http) {
  std::string err;
  auto params = a2a::legacy::send_params_from_json(req.params, &err);
  if (!params) return reply_error(req.id, code::kInvalidParams, "Invalid params: " + err);
  if (params->message.role != a2a::Role::kUser) {
    return reply_error(req.id, code::kInvalidParams,
                       "Invalid params: params.message.role: a new task must come from \"user\"");
  }

  store::InboundTask task;
  task.task.id = params->task_id;
  task.task.state = a2a::TaskState::kSubmitted;
  task.task.updated_at = std::chrono::system_clock::now();
  task.task.history.push_back(std::move(params->message));
  task.dialect = "legacy";
  task.from_url = http.header("x-a2a-source-url");
  task.from_name = known_name_for(db, task.from_url);
  task.received_at = task.task.updated_at;

  store::InboundTasks table(db);
  auto inserted = table.insert_if_absent(task);
  if (!inserted) return reply_error(req.id, code::kInternalError, inserted.error().message);
  // A re-sent id changes nothing; answer with the task as it stands.
  auto current = table.get(task.task.id);
  if (!current || !*current) {
    return reply_error(req.id, code::kInternalError, "task vanished after insert");
  }
  RpcOutcome out = reply_result(req.id, a2a::legacy::task_to_json((*current)->task));
  if (*inserted) out.new_task_id = task.task.id;
  return out;
}

RpcOutcome legacy_get(store::Database& db, const a2a::RpcRequest& req) {
  std::string err;
  auto id = a2a::legacy::task_id_params_from_json(req.params, &err);
  if (!id) return reply_error(req.id, code::kInvalidParams, "Invalid params: " + err);
  auto found = store::InboundTasks(db).get(*id);
  if (!found) return reply_error(req.id, code::kInternalError, found.error().message);
  if (!*found) return reply_error(req.id, code::kTaskNotFound, "Task not found: " + *id);
  return reply_result(req.id, a2a::legacy::task_to_json((*found)->task));
}

}  // namespace

RpcOutcome RpcService::handle(std::string_view body, const HttpRequest& request) {
  auto decoded = a2a::decode_request(body);
  if (auto* e = std::get_if<a2a::RpcError>(&decoded)) return reply_error(e->id, e->code, e->message);
  const auto& req = std::get<a2a::RpcRequest>(decoded);
  try {
    if (req.method == "tasks/send") return legacy_send(db_, req, request);
    if (req.method == "tasks/get") return legacy_get(db_, req);
    if (req.method == "tasks/cancel") {
      // As the original: its client never cancels. Real cancel arrives with issue 5.
      return reply_error(req.id, code::kUnsupportedOperation,
                         "Method not yet implemented: tasks/cancel");
    }
    return reply_error(req.id, code::kMethodNotFound, "Method not found: " + req.method);
  } catch (const std::exception& e) {
    return reply_error(req.id, code::kInternalError, std::string("Internal error: ") + e.what());
  }
}

}  // namespace constellation::server

// A2A v0.3 (a2a-wire.md §2): message/send, message/stream, tasks/get, tasks/cancel,
// tasks/resubscribe, tasks/pushNotificationConfig/* (push_config_methods.cc), and the
// error for what this agent does not offer (an extended card).

#include "constellation/a2a/v03.h"
#include "dialect_methods.h"

namespace constellation::server::detail {

using nlohmann::json;
namespace code = a2a::rpc_code;

namespace {

RpcOutcome error(const json& id, A2aError e) { return {plain_error(id, e)}; }

RpcOutcome invalid_params(const json& id, const std::string& err) {
  return error(id, A2aError{code::kInvalidParams, "Invalid params: " + err});
}

std::function<std::string(const store::InboundTask&)> task_renderer(const json& id,
                                                                    std::optional<int> history) {
  return [id, history](const store::InboundTask& t) {
    return a2a::encode_result(id, a2a::v03::task_to_json(standard_view(t.task, history)));
  };
}

/// message/send, or message/stream when `stream`.
RpcOutcome send(TaskService& tasks, const Call& call, bool stream) {
  const json& id = call.request.id;
  std::string err;
  auto params = a2a::v03::send_params_from_json(call.request.params, &err);
  if (!params) return invalid_params(id, err);
  bool created = false;
  auto accepted = tasks.accept_message(params->message, a2a::Dialect::kV03, call.sender,
                                       params->configuration.push, &created);
  if (stream) {
    return stream_reply(id, std::move(accepted), created,
                        stream_plan(a2a::Dialect::kV03, id, params->configuration.history_length,
                                    plain_error),
                        plain_error);
  }
  return send_reply(id, std::move(accepted), created,
                    a2a::v03::effective_blocking(params->configuration),
                    task_renderer(id, params->configuration.history_length), plain_error);
}

RpcOutcome get(TaskService& tasks, const Call& call) {
  const json& id = call.request.id;
  std::string err;
  auto params = a2a::v03::task_query_params_from_json(call.request.params, &err);
  if (!params) return invalid_params(id, err);
  return reply(id, tasks.get_own(params->id, call.sender.caller),
               [&](const store::InboundTask& t) {
                 return a2a::v03::task_to_json(standard_view(t.task, params->history_length));
               },
               plain_error);
}

RpcOutcome cancel(TaskService& tasks, const Call& call) {
  const json& id = call.request.id;
  std::string err;
  auto task_id = a2a::v03::task_id_params_from_json(call.request.params, &err);
  if (!task_id) return invalid_params(id, err);
  auto task_json = [](const a2a::Task& t) { return a2a::v03::task_to_json(t); };
  return cancel_reply(id, *task_id, tasks.cancel(*task_id, call.sender.caller), task_json, plain_error);
}

}  // namespace

RpcOutcome v03_method(TaskService& tasks, const Call& call) {
  const std::string& method = call.request.method;
  if (method == "message/send") return send(tasks, call, false);
  if (method == "message/stream") return send(tasks, call, true);
  if (method == "tasks/get") return get(tasks, call);
  if (method == "tasks/cancel") return cancel(tasks, call);
  if (method == "tasks/resubscribe") {
    std::string err;
    auto task_id = a2a::v03::task_id_params_from_json(call.request.params, &err);
    if (!task_id) return invalid_params(call.request.id, err);
    return subscribe_reply(tasks, call, *task_id, a2a::Dialect::kV03, plain_error);
  }
  if (method.starts_with("tasks/pushNotificationConfig/")) return v03_push_config_method(tasks, call);
  // agent/getAuthenticatedExtendedCard: there is no extended card.
  return error(call.request.id,
               A2aError{code::kUnsupportedOperation,
                        "This agent has no authenticated extended card; its public card is at "
                        "/.well-known/agent-card.json"});
}

}  // namespace constellation::server::detail

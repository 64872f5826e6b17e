// A2A v1.0 (a2a-wire.md §3): SendMessage, SendStreamingMessage, GetTask, ListTasks,
// CancelTask, SubscribeToTask, the push config methods (push_config_methods.cc), and the
// error for what this agent does not offer (an extended card). Errors carry the
// google.rpc.ErrorInfo `data` array.

#include "constellation/a2a/v10.h"
#include "dialect_methods.h"

namespace constellation::server::detail {

using nlohmann::json;
namespace code = a2a::rpc_code;

namespace {

RpcOutcome error(const json& id, A2aError e) { return {v10_error(id, e)}; }

RpcOutcome invalid_params(const json& id, const std::string& err) {
  return error(id, A2aError{code::kInvalidParams, "Invalid params: " + err});
}

/// SendMessage, or SendStreamingMessage when `stream`.
RpcOutcome send(TaskService& tasks, const Call& call, bool stream) {
  const json& id = call.request.id;
  std::string err;
  auto params = a2a::v10::send_message_params_from_json(call.request.params, &err);
  if (!params) return invalid_params(id, err);
  bool created = false;
  auto accepted = tasks.accept_message(params->message, a2a::Dialect::kV10, call.sender,
                                       params->configuration.push, &created);
  const auto history = params->configuration.history_length;
  if (stream) {
    return stream_reply(id, std::move(accepted), created,
                        stream_plan(a2a::Dialect::kV10, id, history, v10_error), v10_error);
  }
  TaskRenderer render = [id, history](const store::InboundTask& t) {
    const a2a::v10::SendMessageResult result{standard_view(t.task, history)};
    return a2a::encode_result(id, a2a::v10::send_message_result_to_json(result));
  };
  return send_reply(id, std::move(accepted), created, !params->configuration.return_immediately,
                    std::move(render), v10_error);
}

RpcOutcome get(TaskService& tasks, const Call& call) {
  const json& id = call.request.id;
  std::string err;
  auto params = a2a::v10::get_task_params_from_json(call.request.params, &err);
  if (!params) return invalid_params(id, err);
  return reply(id, tasks.get_own(params->id, call.sender.caller),
               [&](const store::InboundTask& t) {
                 return a2a::v10::task_to_json(standard_view(t.task, params->history_length));
               },
               v10_error);
}

RpcOutcome list(TaskService& tasks, const Call& call) {
  const json& id = call.request.id;
  std::string err;
  auto params = a2a::v10::list_tasks_params_from_json(call.request.params, &err);
  if (!params) return invalid_params(id, err);
  store::InboundQuery query;
  query.context_id = params->context_id;
  query.state = params->status;
  query.updated_at_or_after = params->status_timestamp_after;
  query.after = params->page_token;
  query.limit = params->page_size.value_or(a2a::v10::kDefaultPageSize);
  return reply(id, tasks.list(query, call.sender.caller),
               [&](const store::InboundPage& page) {
                 a2a::v10::ListTasksResult result;
                 for (const auto& t : page.tasks) {
                   a2a::Task view = standard_view(t.task, params->history_length);
                   if (!params->include_artifacts) view.artifacts.clear();
                   result.tasks.push_back(std::move(view));
                 }
                 result.next_page_token = page.next_after;
                 result.page_size = query.limit;
                 result.total_size = page.total;
                 return a2a::v10::list_tasks_result_to_json(result);
               },
               v10_error);
}

RpcOutcome cancel(TaskService& tasks, const Call& call) {
  const json& id = call.request.id;
  std::string err;
  auto params = a2a::v10::cancel_task_params_from_json(call.request.params, &err);
  if (!params) return invalid_params(id, err);
  auto task_json = [](const a2a::Task& t) { return a2a::v10::task_to_json(t); };
  return cancel_reply(id, params->id, tasks.cancel(params->id, call.sender.caller), task_json, v10_error);
}

}  // namespace

RpcOutcome v10_method(TaskService& tasks, const Call& call) {
  using namespace a2a::v10;
  const std::string& method = call.request.method;
  const json& id = call.request.id;
  if (method == kSendMessage) return send(tasks, call, false);
  if (method == kSendStreamingMessage) return send(tasks, call, true);
  if (method == kGetTask) return get(tasks, call);
  if (method == kListTasks) return list(tasks, call);
  if (method == kCancelTask) return cancel(tasks, call);
  if (method == kSubscribeToTask) {
    std::string err;
    // SubscribeToTaskRequest is {id, tenant}: the same shape as CancelTask's.
    auto params = a2a::v10::cancel_task_params_from_json(call.request.params, &err);
    if (!params) return invalid_params(id, err);
    return subscribe_reply(tasks, call, params->id, a2a::Dialect::kV10, v10_error);
  }
  if (method == kGetExtendedAgentCard) {
    return error(id, A2aError{code::kUnsupportedOperation,
                              "This agent has no extended agent card "
                              "(capabilities.extendedAgentCard is false); its public card is at "
                              "/.well-known/agent-card.json"});
  }
  // The four push notification config methods.
  return v10_push_config_method(tasks, call);
}

}  // namespace constellation::server::detail

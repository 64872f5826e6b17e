#pragma once
/// The methods of each dialect, behind RpcService's envelope checks and routing.
/// Internal to the server layer.

#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "constellation/a2a/jsonrpc.h"
#include "constellation/server/http_message.h"
#include "constellation/server/rpc_service.h"
#include "constellation/server/task_service.h"

namespace constellation::server::detail {

struct Call {
  const a2a::RpcRequest& request;
  const HttpRequest& http;
  Sender sender;
};

RpcOutcome legacy_method(TaskService& tasks, const Call& call);
RpcOutcome v03_method(TaskService& tasks, const Call& call);
RpcOutcome v10_method(TaskService& tasks, const Call& call);

/// The push notification config methods of v0.3 (`tasks/pushNotificationConfig/…`)
/// and v1.0 (`…TaskPushNotificationConfig…`).
RpcOutcome v03_push_config_method(TaskService& tasks, const Call& call);
RpcOutcome v10_push_config_method(TaskService& tasks, const Call& call);

/// Error replies as each dialect writes them: the legacy and v0.3 ones without `data`,
/// v1.0's with the google.rpc.ErrorInfo array.
std::string plain_error(const nlohmann::json& id, const A2aError& error);
std::string v10_error(const nlohmann::json& id, const A2aError& error);

using ErrorRenderer = std::string (*)(const nlohmann::json& id, const A2aError& error);
using TaskRenderer = std::function<std::string(const store::InboundTask&)>;

/// The reply to a send (new task or further turn): the task rendered, the id to report
/// as new or changed, and a hold when the client asked to block and the task is open.
RpcOutcome send_reply(const nlohmann::json& id, A2aResult<store::InboundTask>&& accepted,
                      bool created, bool blocking, TaskRenderer render, ErrorRenderer fail);

/// A streaming send's outcome: the task stored as by send_reply, then `plan` (made by
/// stream_plan) to stream it.
RpcOutcome stream_reply(const nlohmann::json& id, A2aResult<store::InboundTask>&& accepted,
                        bool created, StreamPlan plan, ErrorRenderer fail);

/// The StreamPlan of a stream in `dialect` answering request `id` (task_id left empty).
StreamPlan stream_plan(a2a::Dialect dialect, const nlohmann::json& id,
                       std::optional<int> history_length, ErrorRenderer fail);

/// tasks/resubscribe and SubscribeToTask: -32001 for an unknown task, -32004 for a
/// finished one (nothing will ever be streamed), else a stream of it.
RpcOutcome subscribe_reply(TaskService& tasks, const Call& call, const std::string& task_id,
                           a2a::Dialect dialect, ErrorRenderer fail);

/// The reply to a cancel; a canceled task is reported changed, so held sends wake.
RpcOutcome cancel_reply(const nlohmann::json& id, const std::string& task_id,
                        A2aResult<store::InboundTask>&& canceled,
                        const std::function<nlohmann::json(const a2a::Task&)>& render,
                        ErrorRenderer fail);

/// The result's reply, or the error's.
template <class T, class Render, class Fail>
RpcOutcome reply(const nlohmann::json& id, A2aResult<T>&& result, Render&& render, Fail&& fail) {
  if (auto* e = std::get_if<A2aError>(&result)) return {fail(id, *e)};
  return {a2a::encode_result(id, render(std::get<T>(result)))};
}

}  // namespace constellation::server::detail

// Push notification configs by their own methods, beside the config a send carries:
// v0.3 tasks/pushNotificationConfig/{set,get,list,delete} and v1.0
// {Create,Get,List,Delete}TaskPushNotificationConfig. A task keeps one callback; its id
// is the one the client gave, or the task's id.

#include "constellation/a2a/push.h"
#include "constellation/a2a/v10.h"
#include "dialect_methods.h"

namespace constellation::server::detail {

using nlohmann::json;
namespace code = a2a::rpc_code;

namespace {

/// A string member of params, required and non-empty; *err names the path otherwise.
std::optional<std::string> required_id(const json& params, const char* key, std::string* err) {
  const std::string path = std::string("params.") + key;
  if (!params.is_object()) {
    *err = "params: expected an object";
    return std::nullopt;
  }
  const auto it = params.find(key);
  if (it == params.end()) {
    *err = path + ": missing";
  } else if (!it->is_string()) {
    *err = path + ": expected a string";
  } else if (it->get_ref<const std::string&>().empty()) {
    *err = path + ": must not be empty";
  } else {
    return it->get<std::string>();
  }
  return std::nullopt;
}

std::string optional_id(const json& params, const char* key) {
  if (!params.is_object()) return {};
  const auto it = params.find(key);
  return it != params.end() && it->is_string() ? it->get<std::string>() : std::string();
}

A2aError invalid(const std::string& err) { return {code::kInvalidParams, "Invalid params: " + err}; }

A2aError no_config(const std::string& task_id, const std::string& config_id) {
  return {code::kTaskNotFound,
          "Task " + task_id + " has no push notification config" +
              (config_id.empty() ? std::string() : " '" + config_id + "'"),
          {{"taskId", task_id}}};
}

/// The task's config when it exists (and has `config_id`, when one is named).
A2aResult<a2a::PushConfig> find_config(TaskService& tasks, const security::Caller& caller,
                                       const std::string& task_id, const std::string& config_id) {
  auto found = tasks.get_own(task_id, caller);
  if (auto* e = std::get_if<A2aError>(&found)) return *e;
  const auto& push = std::get<store::InboundTask>(found).push;
  if (!push || (!config_id.empty() && push->id != config_id)) return no_config(task_id, config_id);
  return *push;
}

/// v0.3 TaskPushNotificationConfig: `{taskId, pushNotificationConfig}`.
json v03_view(const std::string& task_id, const a2a::PushConfig& config) {
  return {{"taskId", task_id}, {"pushNotificationConfig", a2a::push_config_to_json(a2a::Dialect::kV03, config)}};
}

/// v1.0 TaskPushNotificationConfig: flat, with the task id.
json v10_view(const std::string& task_id, const a2a::PushConfig& config) {
  json out = a2a::push_config_to_json(a2a::Dialect::kV10, config);
  out["taskId"] = task_id;
  return out;
}

/// A new config is told the task as it stands at once (the store queued a delivery):
/// reporting the task changed gets the daemon to post it now.
RpcOutcome changed(RpcOutcome outcome, const std::string& task_id) {
  // nlohmann orders keys, so an error reply, and only one, starts with its "error".
  if (!outcome.body.starts_with("{\"error\"")) outcome.changed_task_id = task_id;
  return outcome;
}

/// Stores `config` on the task (its id defaulting to the task's) and returns it.
A2aResult<a2a::PushConfig> store_config(TaskService& tasks, const security::Caller& caller,
                                        const std::string& task_id, a2a::PushConfig config) {
  if (config.id.empty()) config.id = task_id;
  auto set = tasks.set_push(task_id, config, caller);
  if (auto* e = std::get_if<A2aError>(&set)) return *e;
  return config;
}

A2aResult<a2a::PushConfig> remove_config(TaskService& tasks, const security::Caller& caller,
                                         const std::string& task_id, const std::string& config_id) {
  auto current = find_config(tasks, caller, task_id, config_id);
  if (std::holds_alternative<A2aError>(current)) return current;
  auto cleared = tasks.set_push(task_id, std::nullopt, caller);
  if (auto* e = std::get_if<A2aError>(&cleared)) return *e;
  return current;
}

}  // namespace

RpcOutcome v03_push_config_method(TaskService& tasks, const Call& call) {
  const json& id = call.request.id;
  const json& params = call.request.params;
  const std::string& method = call.request.method;
  const security::Caller& caller = call.sender.caller;
  std::string err;
  auto render = [](const std::string& task_id) {
    return [task_id](const a2a::PushConfig& c) { return v03_view(task_id, c); };
  };
  if (method == "tasks/pushNotificationConfig/set") {
    auto task_id = required_id(params, "taskId", &err);
    if (!task_id) return {plain_error(id, invalid(err))};
    const auto raw = params.find("pushNotificationConfig");
    if (raw == params.end()) return {plain_error(id, invalid("params.pushNotificationConfig: missing"))};
    auto config = a2a::push_config_from_json(a2a::Dialect::kV03, *raw, "params.pushNotificationConfig", &err);
    if (!config) return {plain_error(id, invalid(err))};
    return changed(reply(id, store_config(tasks, caller, *task_id, std::move(*config)), render(*task_id), plain_error),
                   *task_id);
  }
  auto task_id = required_id(params, "id", &err);
  if (!task_id) return {plain_error(id, invalid(err))};
  const std::string config_id = optional_id(params, "pushNotificationConfigId");
  if (method == "tasks/pushNotificationConfig/get") {
    return reply(id, find_config(tasks, caller, *task_id, config_id), render(*task_id), plain_error);
  }
  if (method == "tasks/pushNotificationConfig/list") {
    auto task = tasks.get_own(*task_id, caller);
    if (auto* e = std::get_if<A2aError>(&task)) return {plain_error(id, *e)};
    json list = json::array();
    if (const auto& push = std::get<store::InboundTask>(task).push) list.push_back(v03_view(*task_id, *push));
    return {a2a::encode_result(id, list)};
  }
  if (method == "tasks/pushNotificationConfig/delete") {
    if (config_id.empty()) {
      return {plain_error(id, invalid("params.pushNotificationConfigId: missing"))};
    }
    auto removed = remove_config(tasks, caller, *task_id, config_id);
    return reply(id, std::move(removed), [](const a2a::PushConfig&) { return json(); }, plain_error);
  }
  return {plain_error(id, A2aError{code::kMethodNotFound, a2a::method_not_found_message(method)})};
}

RpcOutcome v10_push_config_method(TaskService& tasks, const Call& call) {
  using namespace a2a::v10;
  const json& id = call.request.id;
  const json& params = call.request.params;
  const std::string& method = call.request.method;
  const security::Caller& caller = call.sender.caller;
  std::string err;
  auto task_id = required_id(params, "taskId", &err);
  if (!task_id) return {v10_error(id, invalid(err))};
  auto render = [task = *task_id](const a2a::PushConfig& c) { return v10_view(task, c); };
  if (method == kCreateTaskPushNotificationConfig) {
    auto config = a2a::push_config_from_json(a2a::Dialect::kV10, params, "params", &err);
    if (!config) return {v10_error(id, invalid(err))};
    return changed(reply(id, store_config(tasks, caller, *task_id, std::move(*config)), render, v10_error),
                   *task_id);
  }
  if (method == kGetTaskPushNotificationConfig) {
    auto config_id = required_id(params, "id", &err);
    if (!config_id) return {v10_error(id, invalid(err))};
    return reply(id, find_config(tasks, caller, *task_id, *config_id), render, v10_error);
  }
  if (method == kListTaskPushNotificationConfigs) {
    auto task = tasks.get_own(*task_id, caller);
    if (auto* e = std::get_if<A2aError>(&task)) return {v10_error(id, *e)};
    json configs = json::array();
    if (const auto& push = std::get<store::InboundTask>(task).push) configs.push_back(v10_view(*task_id, *push));
    return {a2a::encode_result(id, {{"configs", configs}, {"nextPageToken", ""}})};
  }
  // DeleteTaskPushNotificationConfig
  auto config_id = required_id(params, "id", &err);
  if (!config_id) return {v10_error(id, invalid(err))};
  return reply(id, remove_config(tasks, caller, *task_id, *config_id),
                      [](const a2a::PushConfig&) { return json(); }, v10_error);
}

}  // namespace constellation::server::detail

#include "constellation/server/rpc_service.h"

#include <spdlog/spdlog.h>

#include <cctype>

#include <nlohmann/json.hpp>

#include "constellation/a2a/dialect.h"
#include "constellation/a2a/jsonrpc.h"
#include "constellation/a2a/legacy.h"
#include "constellation/a2a/v10.h"
#include "dialect_methods.h"

namespace constellation::server {

using nlohmann::json;
namespace code = a2a::rpc_code;

namespace {

std::string lowercase_trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  std::string out;
  for (char c : s) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

/// tasks/get and tasks/cancel exist in the legacy dialect and in v0.3 with the same
/// params: the task's own dialect decides how it is answered (§4.2).
a2a::Dialect dialect_of_task_call(TaskService& tasks, const a2a::RpcRequest& req,
                                  const HttpRequest& http) {
  const bool source_header = !http.header("x-a2a-source-url").empty();
  const json& params = req.params;
  const auto id = params.is_object() ? params.find("id") : params.end();
  if (!params.is_object() || id == params.end() || !id->is_string()) {
    return a2a::dialect_for_unknown_task(source_header);
  }
  auto found = tasks.get(id->get<std::string>());
  if (auto* task = std::get_if<store::InboundTask>(&found)) {
    // v1.0 tasks read through v0.3 methods are answered in v0.3: only legacy differs.
    return task->dialect == a2a::dialect_name(a2a::Dialect::kLegacy) ? a2a::Dialect::kLegacy
                                                                     : a2a::Dialect::kV03;
  }
  return a2a::dialect_for_unknown_task(source_header);
}

}  // namespace

bool is_json_content_type(std::string_view value) {
  const std::string media = lowercase_trimmed(value.substr(0, value.find(';')));
  if (media == "application/json") return true;
  return media.starts_with("application/") && media.ends_with("+json") &&
         media.size() > std::string_view("application/+json").size();
}

RpcOutcome RpcService::handle(std::string_view body, const HttpRequest& request,
                              const security::Caller& caller) {
  const std::string& version_header = request.header("a2a-version");
  std::string version_problem;
  const auto version = a2a::v10::negotiate_version(version_header, &version_problem);

  auto decoded = a2a::decode_request(body);
  if (auto* e = std::get_if<a2a::RpcError>(&decoded)) {
    return {a2a::encode_error(e->id, e->code, e->message)};
  }
  const auto& req = std::get<a2a::RpcRequest>(decoded);
  // Errors found before a method runs take the v1.0 shape when the caller speaks v1.0.
  const bool v10_caller = a2a::v10::is_v10_method(req.method) ||
                          version == a2a::v10::ProtocolVersion::kV10 || !version;
  auto early_error = [&](A2aError error) -> RpcOutcome {
    return {v10_caller ? detail::v10_error(req.id, error) : detail::plain_error(req.id, error)};
  };

  const std::string& content_type = request.header("content-type");
  if (!is_json_content_type(content_type)) {
    return early_error(A2aError{
        code::kContentTypeNotSupported,
        "Content type not supported: " +
            (content_type.empty() ? std::string("none given") : "\"" + content_type + "\"") +
            "; send JSON-RPC requests as application/json"});
  }
  if (!version) return early_error(A2aError{a2a::v10::code::kVersionNotSupported, version_problem});

  try {
    spdlog::debug("A2A call {} from {}", req.method,
                  request.remote_address.empty() ? "a local client" : request.remote_address);
    const detail::Call call{req, request, Sender{request.header("x-a2a-source-url"), caller}};
    const auto route = a2a::route_method(req.method);
    switch (route.kind) {
      case a2a::MethodRoute::Kind::kUnknown:
        return early_error(A2aError{code::kMethodNotFound, a2a::method_not_found_message(req.method)});
      case a2a::MethodRoute::Kind::kTaskDialect:
        if (dialect_of_task_call(tasks_, req, request) == a2a::Dialect::kLegacy) {
          return detail::legacy_method(tasks_, call);
        }
        return detail::v03_method(tasks_, call);
      case a2a::MethodRoute::Kind::kDialect:
        break;
    }
    switch (route.dialect) {
      case a2a::Dialect::kLegacy:
        return detail::legacy_method(tasks_, call);
      case a2a::Dialect::kV03:
        return detail::v03_method(tasks_, call);
      case a2a::Dialect::kV10:
        return detail::v10_method(tasks_, call);
    }
    return early_error(A2aError{code::kMethodNotFound, a2a::method_not_found_message(req.method)});
  } catch (const std::exception& e) {
    return early_error(A2aError{code::kInternalError, std::string("Internal error: ") + e.what()});
  }
}

std::optional<std::string> RpcService::settle(const Hold& hold, const std::string& first_body,
                                              bool final) {
  auto found = tasks_.get(hold.task_id);
  auto* task = std::get_if<store::InboundTask>(&found);
  if (task == nullptr) return first_body;  // cannot re-read it: answer with what we had
  if (!final && !is_settled(task->task.state)) return std::nullopt;
  return hold.render(*task);
}

A2aResult<a2a::Task> RpcService::stream_view(const StreamPlan& plan) {
  auto found = tasks_.get(plan.task_id);
  if (auto* e = std::get_if<A2aError>(&found)) return *e;
  return standard_view(std::get<store::InboundTask>(found).task, plan.history_length);
}

}  // namespace constellation::server

namespace constellation::server::detail {

using nlohmann::json;

std::string plain_error(const json& id, const A2aError& error) {
  return a2a::encode_error(id, error.code, error.message);
}

std::string v10_error(const json& id, const A2aError& error) {
  const json data = a2a::v10::error_data(error.code, error.metadata);
  return a2a::encode_error(id, error.code, error.message, data.is_null() ? nullptr : &data);
}

RpcOutcome send_reply(const json& id, A2aResult<store::InboundTask>&& accepted, bool created,
                      bool blocking, TaskRenderer render, ErrorRenderer fail) {
  if (auto* e = std::get_if<A2aError>(&accepted)) return {fail(id, *e)};
  const auto& task = std::get<store::InboundTask>(accepted);
  RpcOutcome out{render(task)};
  (created ? out.new_task_id : out.changed_task_id) = task.task.id;
  if (blocking && !is_settled(task.task.state)) out.hold = Hold{task.task.id, std::move(render)};
  return out;
}

RpcOutcome stream_reply(const json& id, A2aResult<store::InboundTask>&& accepted, bool created,
                        StreamPlan plan, ErrorRenderer fail) {
  if (auto* e = std::get_if<A2aError>(&accepted)) return {fail(id, *e)};
  const auto& task = std::get<store::InboundTask>(accepted);
  RpcOutcome out{""};
  (created ? out.new_task_id : out.changed_task_id) = task.task.id;
  plan.task_id = task.task.id;
  out.stream = std::move(plan);
  return out;
}

StreamPlan stream_plan(a2a::Dialect dialect, const json& id, std::optional<int> history_length,
                       ErrorRenderer fail) {
  StreamPlan plan;
  plan.history_length = history_length;
  plan.render = [dialect, id](const a2a::StreamEvent& event) {
    return a2a::encode_result(id, a2a::stream_event_to_json(dialect, event));
  };
  plan.render_error = [id, fail](const A2aError& error) { return fail(id, error); };
  return plan;
}

RpcOutcome subscribe_reply(TaskService& tasks, const Call& call, const std::string& task_id,
                           a2a::Dialect dialect, ErrorRenderer fail) {
  const json& id = call.request.id;
  auto found = tasks.get_own(task_id, call.sender.caller);
  if (auto* e = std::get_if<A2aError>(&found)) return {fail(id, *e)};
  const auto& task = std::get<store::InboundTask>(found).task;
  if (a2a::is_terminal(task.state)) {
    return {fail(id, A2aError{code::kUnsupportedOperation,
                              "Task " + task_id + " is already " + a2a::state_name(task.state) +
                                  ": there is nothing left to stream; read it with " +
                                  (dialect == a2a::Dialect::kV10 ? "GetTask" : "tasks/get"),
                              {{"taskId", task_id}}})};
  }
  RpcOutcome out{""};
  out.stream = stream_plan(dialect, id, std::nullopt, fail);
  out.stream->task_id = task_id;
  return out;
}

RpcOutcome cancel_reply(const json& id, const std::string& task_id,
                        A2aResult<store::InboundTask>&& canceled,
                        const std::function<json(const a2a::Task&)>& render, ErrorRenderer fail) {
  if (auto* e = std::get_if<A2aError>(&canceled)) return {fail(id, *e)};
  RpcOutcome out{a2a::encode_result(
      id, render(standard_view(std::get<store::InboundTask>(canceled).task, std::nullopt)))};
  out.changed_task_id = task_id;
  return out;
}

}  // namespace constellation::server::detail

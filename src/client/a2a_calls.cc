#include "constellation/client/a2a_calls.h"

#include "constellation/a2a/jsonrpc.h"
#include "constellation/a2a/legacy.h"
#include "constellation/a2a/v03.h"
#include "constellation/a2a/v10.h"

namespace constellation::client {

using a2a::Dialect;
using nlohmann::json;

namespace {

Headers v10_headers() { return {{a2a::v10::kVersionHeader, a2a::v10::kVersion}}; }

/// Who is sending: the original requires nothing, standard agents ignore the header, and
/// a Constellation peer shows the sender's name in its inbox (a2a-wire.md §4.1).
Headers source_headers(const NewTask& task) {
  if (task.source_url.empty()) return {};
  return {{a2a::legacy::kSourceUrlHeader, task.source_url}};
}

/// v0.3 and v1.0 need a message id; a new task's message names no task or context yet.
a2a::Message outgoing(a2a::Message message) {
  if (message.message_id.empty()) message.message_id = a2a::new_uuid();
  message.role = a2a::Role::kUser;
  return message;
}

}  // namespace

RpcCall send_call(const a2a::PeerEndpoint& endpoint, const NewTask& task) {
  switch (endpoint.dialect) {
    case Dialect::kLegacy:
      return {"tasks/send", a2a::legacy::send_params_to_json({task.task_id, task.message}),
              source_headers(task)};
    case Dialect::kV03: {
      a2a::v03::SendParams params;
      params.message = outgoing(task.message);
      params.configuration.blocking = false;
      params.configuration.push = task.push;
      return {"message/send", a2a::v03::send_params_to_json(params), source_headers(task)};
    }
    case Dialect::kV10: {
      a2a::v10::SendMessageParams params;
      params.message = outgoing(task.message);
      params.configuration.return_immediately = true;
      params.configuration.push = task.push;
      params.tenant = endpoint.tenant;
      Headers headers = v10_headers();
      for (auto& h : source_headers(task)) headers.push_back(std::move(h));
      return {a2a::v10::kSendMessage, a2a::v10::send_message_params_to_json(params),
              std::move(headers)};
    }
  }
  return {};
}

RpcCall get_call(const a2a::PeerEndpoint& endpoint, const std::string& task_id) {
  switch (endpoint.dialect) {
    case Dialect::kLegacy:
      return {"tasks/get", a2a::legacy::task_id_params_to_json(task_id), {}};
    case Dialect::kV03:
      return {"tasks/get", a2a::v03::task_query_params_to_json({task_id, std::nullopt}), {}};
    case Dialect::kV10:
      return {a2a::v10::kGetTask,
              a2a::v10::get_task_params_to_json({task_id, std::nullopt, endpoint.tenant}),
              v10_headers()};
  }
  return {};
}

std::optional<RpcCall> cancel_call(const a2a::PeerEndpoint& endpoint, const std::string& task_id) {
  switch (endpoint.dialect) {
    case Dialect::kLegacy:
      // The original answers -32004 without looking (a2a-wire.md §1.6): no point asking.
      return std::nullopt;
    case Dialect::kV03:
      return RpcCall{"tasks/cancel", a2a::v03::task_id_params_to_json(task_id), {}};
    case Dialect::kV10:
      return RpcCall{a2a::v10::kCancelTask,
                     a2a::v10::cancel_task_params_to_json({task_id, endpoint.tenant}),
                     v10_headers()};
  }
  return std::nullopt;
}

std::optional<RpcCall> subscribe_call(const a2a::PeerEndpoint& endpoint, const std::string& task_id) {
  switch (endpoint.dialect) {
    case Dialect::kLegacy:
      return std::nullopt;
    case Dialect::kV03:
      return RpcCall{"tasks/resubscribe", a2a::v03::task_id_params_to_json(task_id), {}};
    case Dialect::kV10:
      // SubscribeToTaskRequest has CancelTaskRequest's shape: {id, tenant}.
      return RpcCall{a2a::v10::kSubscribeToTask,
                     a2a::v10::cancel_task_params_to_json({task_id, endpoint.tenant}),
                     v10_headers()};
  }
  return std::nullopt;
}

std::optional<SendReply> send_reply_from_json(Dialect dialect, const json& result,
                                              std::string* err) {
  switch (dialect) {
    case Dialect::kLegacy:
      if (auto task = a2a::legacy::task_from_json(result, err)) return SendReply(std::move(*task));
      return std::nullopt;
    case Dialect::kV03:
      if (auto reply = a2a::v03::send_result_from_json(result, err)) {
        return std::visit([](auto&& v) { return SendReply(std::move(v)); }, std::move(*reply));
      }
      return std::nullopt;
    case Dialect::kV10:
      if (auto reply = a2a::v10::send_message_result_from_json(result, err)) {
        return std::visit([](auto&& v) { return SendReply(std::move(v)); }, std::move(*reply));
      }
      return std::nullopt;
  }
  return std::nullopt;
}

std::optional<a2a::Task> task_from_json(Dialect dialect, const json& result, std::string* err) {
  switch (dialect) {
    case Dialect::kLegacy:
      return a2a::legacy::task_from_json(result, err);
    case Dialect::kV03:
      return a2a::v03::task_from_json(result, err);
    case Dialect::kV10:
      return a2a::v10::task_from_json(result, err);
  }
  return std::nullopt;
}

std::string rpc_error_hint(Dialect dialect, int code) {
  switch (code) {
    case a2a::rpc_code::kTaskNotFound:
      return "the peer does not know this task (it may have lost its store); send it again";
    case a2a::rpc_code::kTaskNotCancelable:
      return "the task has already ended on the peer; 'constellation wait' shows its answer";
    case a2a::rpc_code::kUnsupportedOperation:
      return "the peer does not offer this for this task; nothing to retry";
    case a2a::rpc_code::kContentTypeNotSupported:
      return "the peer does not accept plain text; it cannot take this task";
    case a2a::rpc_code::kInvalidParams:
      // Also how a peer refuses attachments over its own [files] max_bytes.
      return std::string("the peer refused what we sent, as its message says; if it is about "
                         "files, send fewer or smaller ones (the peer's limit may be lower than "
                         "ours), else the peer may not speak A2A ") +
             a2a::dialect_name(dialect) +
             " as its card says; retry after the next discovery round has re-read its card";
    case a2a::rpc_code::kMethodNotFound:
      return std::string("the peer does not speak A2A ") + a2a::dialect_name(dialect) +
             " as its card says; retry after the next discovery round has re-read its card";
    default:
      break;
  }
  if (dialect == Dialect::kV10 && code == a2a::v10::code::kVersionNotSupported) {
    return "the peer refuses A2A 1.0 although its card offers it; retry after the next "
           "discovery round has re-read its card";
  }
  return "retry later; if it keeps failing, the peer's own log says why";
}

}  // namespace constellation::client

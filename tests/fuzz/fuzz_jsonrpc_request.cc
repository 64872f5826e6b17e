// What the server does with the body of a POST to its JSON-RPC endpoint, up to the point
// where it touches the store: decode the envelope, route the method to its dialect
// (server/rpc_service.cc), decode that method's params as server/*_methods.cc do.
// The input is the raw body; the corpus holds real bodies in all three dialects.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "constellation/a2a/dialect.h"
#include "constellation/a2a/jsonrpc.h"
#include "constellation/a2a/legacy.h"
#include "constellation/a2a/push.h"
#include "constellation/a2a/v03.h"
#include "constellation/a2a/v10.h"
#include "fuzz_check.h"

namespace {

using nlohmann::json;
using namespace constellation;
using fuzz::check_round_trip;

// Each decoder below is paired with the encoder our client uses for the same params, so
// the server's reading and the client's writing are checked against each other.

void legacy_params(const std::string& method, const json& params) {
  namespace legacy = a2a::legacy;
  std::string err;
  if (method == "tasks/send") {
    if (auto p = legacy::send_params_from_json(params, &err)) {
      check_round_trip(*p, legacy::send_params_to_json, legacy::send_params_from_json,
                       "legacy tasks/send params");
    }
  } else if (auto id = legacy::task_id_params_from_json(params, &err)) {
    check_round_trip(*id, legacy::task_id_params_to_json, legacy::task_id_params_from_json,
                     "legacy task id params");
  }
}

void v03_push_config(const json& params) {
  if (!params.is_object()) return;
  const auto raw = params.find("pushNotificationConfig");
  if (raw == params.end()) return;
  std::string err;
  auto config = a2a::push_config_from_json(a2a::Dialect::kV03, *raw, "params.pushNotificationConfig", &err);
  if (!config) return;
  check_round_trip(
      *config, [](const a2a::PushConfig& c) { return a2a::push_config_to_json(a2a::Dialect::kV03, c); },
      [](const json& j, std::string* e) { return a2a::push_config_from_json(a2a::Dialect::kV03, j, "", e); },
      "v0.3 push config");
}

void v03_params(const std::string& method, const json& params) {
  namespace v03 = a2a::v03;
  std::string err;
  if (method == "message/send" || method == "message/stream") {
    if (auto p = v03::send_params_from_json(params, &err)) {
      check_round_trip(*p, v03::send_params_to_json, v03::send_params_from_json, "v0.3 send params");
    }
  } else if (method == "tasks/get") {
    if (auto p = v03::task_query_params_from_json(params, &err)) {
      check_round_trip(*p, v03::task_query_params_to_json, v03::task_query_params_from_json,
                       "v0.3 task query params");
    }
  } else if (method == "tasks/pushNotificationConfig/set") {
    v03_push_config(params);
  } else if (auto id = v03::task_id_params_from_json(params, &err)) {
    check_round_trip(*id, v03::task_id_params_to_json, v03::task_id_params_from_json,
                     "v0.3 task id params");
  }
}

void v10_params(const std::string& method, const json& params) {
  namespace v10 = a2a::v10;
  std::string err;
  if (method == v10::kSendMessage || method == v10::kSendStreamingMessage) {
    if (auto p = v10::send_message_params_from_json(params, &err)) {
      check_round_trip(*p, v10::send_message_params_to_json, v10::send_message_params_from_json,
                       "v1.0 SendMessage params");
    }
  } else if (method == v10::kGetTask) {
    if (auto p = v10::get_task_params_from_json(params, &err)) {
      check_round_trip(*p, v10::get_task_params_to_json, v10::get_task_params_from_json,
                       "v1.0 GetTask params");
    }
  } else if (method == v10::kListTasks) {
    if (auto p = v10::list_tasks_params_from_json(params, &err)) {
      check_round_trip(*p, v10::list_tasks_params_to_json, v10::list_tasks_params_from_json,
                       "v1.0 ListTasks params");
    }
  } else if (method == v10::kCreateTaskPushNotificationConfig) {
    if (auto c = a2a::push_config_from_json(a2a::Dialect::kV10, params, "params", &err)) {
      check_round_trip(
          *c, [](const a2a::PushConfig& x) { return a2a::push_config_to_json(a2a::Dialect::kV10, x); },
          [](const json& j, std::string* e) { return a2a::push_config_from_json(a2a::Dialect::kV10, j, "", e); },
          "v1.0 push config");
    }
  } else if (auto p = v10::cancel_task_params_from_json(params, &err)) {
    check_round_trip(*p, v10::cancel_task_params_to_json, v10::cancel_task_params_from_json,
                     "v1.0 CancelTask params");
  }
}

// An error reply must be one our own client reads back with the same code and id.
void check_error_reply(const a2a::RpcError& error) {
  const std::string reply = a2a::encode_error(error.id, error.code, error.message);
  std::string err;
  const auto back = a2a::decode_response(reply, &err);
  if (!back || !back->error || back->error->code != error.code || back->id != error.id) {
    fuzz::fail("error reply does not read back", reply + "\n" + err);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  auto decoded = a2a::decode_request(body);
  if (const auto* error = std::get_if<a2a::RpcError>(&decoded)) {
    check_error_reply(*error);
    return 0;
  }
  const auto& request = std::get<a2a::RpcRequest>(decoded);

  // The client's encoding of the same request must decode to the same request.
  const std::string again = a2a::encode_request(request.id, request.method, request.params);
  const auto redecoded = a2a::decode_request(again);
  const auto* same = std::get_if<a2a::RpcRequest>(&redecoded);
  if (same == nullptr || same->id != request.id || same->method != request.method ||
      same->params != request.params) {
    fuzz::fail("encode_request/decode_request disagree", again);
  }

  const auto route = a2a::route_method(request.method);
  if (route.kind == a2a::MethodRoute::Kind::kUnknown) {
    check_error_reply({a2a::rpc_code::kMethodNotFound, "Method not found: " + request.method, request.id});
    return 0;
  }
  // tasks/get and tasks/cancel go to the dialect of the stored task: try both.
  if (route.kind == a2a::MethodRoute::Kind::kTaskDialect) {
    legacy_params(request.method, request.params);
    v03_params(request.method, request.params);
    return 0;
  }
  switch (route.dialect) {
    case a2a::Dialect::kLegacy: legacy_params(request.method, request.params); break;
    case a2a::Dialect::kV03: v03_params(request.method, request.params); break;
    case a2a::Dialect::kV10: v10_params(request.method, request.params); break;
  }
  return 0;
}

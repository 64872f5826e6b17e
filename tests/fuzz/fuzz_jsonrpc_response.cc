// What the daemon does with what a peer sends back: a JSON-RPC reply body (client/), the
// `data` of an SSE event on a stream it follows, or a push delivery's body
// (daemon/push_receiver.cc, a bare result). Each decoded result is read as the client
// reads it in every dialect: a task, a send result, a stream event, a ListTasks page.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "constellation/a2a/jsonrpc.h"
#include "constellation/a2a/legacy.h"
#include "constellation/a2a/stream_events.h"
#include "constellation/a2a/v03.h"
#include "constellation/a2a/v10.h"
#include "fuzz_check.h"

namespace {

using nlohmann::json;
using namespace constellation;
using a2a::Dialect;
using fuzz::check_round_trip;

json v03_send_result_to_json(const a2a::v03::SendResult& result) {
  if (const auto* task = std::get_if<a2a::Task>(&result)) return a2a::v03::task_to_json(*task);
  return a2a::v03::message_to_json(std::get<a2a::Message>(result));
}

void stream_event(Dialect dialect, const json& result) {
  std::string err;
  const auto event = a2a::stream_event_from_json(dialect, result, &err);
  if (!event) return;
  // What the follower and the push receiver do next: apply it to their copy of the task.
  a2a::Task task;
  task.id = event->task.id;
  a2a::apply_stream_event(&task, *event);
  a2a::apply_stream_event(&task, *event);

  const json first = a2a::stream_event_to_json(dialect, *event);
  const auto again = a2a::stream_event_from_json(dialect, first, &err);
  if (!again) fuzz::fail(std::string("stream event: our own encoding is refused: ") + err, fuzz::dump(first));
  const json second = a2a::stream_event_to_json(dialect, *again);
  if (first != second) {
    fuzz::fail("stream event: encoding is not stable", fuzz::dump(first) + "\n" + fuzz::dump(second));
  }
}

void result(const json& r) {
  std::string err;
  if (auto task = a2a::legacy::task_from_json(r, &err)) {
    check_round_trip(*task, a2a::legacy::task_to_json, a2a::legacy::task_from_json, "legacy task");
  }
  if (auto task = a2a::v03::task_from_json(r, &err)) {
    check_round_trip(*task, a2a::v03::task_to_json, a2a::v03::task_from_json, "v0.3 task");
  }
  if (auto task = a2a::v10::task_from_json(r, &err)) {
    check_round_trip(*task, a2a::v10::task_to_json, a2a::v10::task_from_json, "v1.0 task");
  }
  if (auto reply = a2a::v03::send_result_from_json(r, &err)) {
    check_round_trip(*reply, v03_send_result_to_json, a2a::v03::send_result_from_json,
                     "v0.3 send result");
  }
  if (auto reply = a2a::v10::send_message_result_from_json(r, &err)) {
    check_round_trip(*reply, a2a::v10::send_message_result_to_json,
                     a2a::v10::send_message_result_from_json, "v1.0 send result");
  }
  if (auto page = a2a::v10::list_tasks_result_from_json(r, &err)) {
    check_round_trip(*page, a2a::v10::list_tasks_result_to_json,
                     a2a::v10::list_tasks_result_from_json, "v1.0 ListTasks result");
  }
  stream_event(Dialect::kV03, r);
  stream_event(Dialect::kV10, r);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  std::string err;
  if (const auto reply = a2a::decode_response(body, &err); reply && reply->result) {
    result(*reply->result);
  }
  // A push delivery is a bare result, not a JSON-RPC envelope.
  if (const auto parsed = a2a::parse_json(body, &err)) result(*parsed);
  return 0;
}

#include "constellation/a2a/legacy.h"

#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <string>
#include <thread>
#include <variant>
#include <vector>

#include "constellation/a2a/jsonrpc.h"

namespace constellation::a2a::legacy {
namespace {

using nlohmann::json;

// a2a-wire.md §1.4, request and reply.
constexpr const char* kSendRequest =
    R"({"jsonrpc":"2.0","id":"0b9f6a8e-0d1c-4f47-9a55-2b9f0f6f1e11","method":"tasks/send",
 "params":{"id":"t-3c1d2f7e-8a7b-4c1e-9f0a-5d6e7f8a9b0c",
           "message":{"role":"user","parts":[{"type":"text","text":"research Cedric the shrimp"}]}}})";
constexpr const char* kSendReply = R"({"jsonrpc":"2.0","id":"0b9f6a8e-0d1c-4f47-9a55-2b9f0f6f1e11",
 "result":{"id":"t-3c1d2f7e-8a7b-4c1e-9f0a-5d6e7f8a9b0c",
           "status":{"state":"submitted","timestamp":"2026-04-29T18:00:00.412873118Z"},
           "history":[{"role":"user","parts":[{"type":"text","text":"research Cedric the shrimp"}]}]}})";

// a2a-wire.md §1.5, request and reply.
constexpr const char* kGetRequest =
    R"({"jsonrpc":"2.0","id":"1","method":"tasks/get","params":{"id":"task-abc"}})";
constexpr const char* kGetReply = R"({"jsonrpc":"2.0","id":"1","result":{"id":"task-abc",
  "status":{"state":"completed","timestamp":"2026-04-29T18:00:00Z"},
  "history":[{"role":"user","parts":[{"type":"text","text":"research Cedric"}]},
             {"role":"agent","parts":[{"type":"text","text":"Cedric is a shrimp."}]}]}})";

RpcRequest request_of(std::string_view body) {
  auto decoded = decode_request(body);
  EXPECT_TRUE(std::holds_alternative<RpcRequest>(decoded));
  if (!std::holds_alternative<RpcRequest>(decoded)) return {};
  return std::get<RpcRequest>(std::move(decoded));
}

json result_of(std::string_view body) {
  std::string err;
  const auto response = decode_response(body, &err);
  EXPECT_TRUE(response && response->result) << err;
  if (!response || !response->result) return nullptr;
  return *response->result;
}

Timestamp ts(std::string_view text) {
  const auto t = parse_timestamp(text, nullptr);
  EXPECT_TRUE(t.has_value()) << text;
  return t.value_or(Timestamp{});
}

// --- §1.4 tasks/send -------------------------------------------------------------------

TEST(LegacySend, DecodesTheExampleParams) {
  const RpcRequest request = request_of(kSendRequest);
  std::string err;
  const auto params = send_params_from_json(request.params, &err);
  ASSERT_TRUE(params.has_value()) << err;
  EXPECT_EQ(params->task_id, "t-3c1d2f7e-8a7b-4c1e-9f0a-5d6e7f8a9b0c");
  EXPECT_EQ(params->message, text_message(Role::kUser, "research Cedric the shrimp"));
}

TEST(LegacySend, EncodesTheExampleRequest) {
  SendParams params{"t-3c1d2f7e-8a7b-4c1e-9f0a-5d6e7f8a9b0c",
                    text_message(Role::kUser, "research Cedric the shrimp")};
  const std::string body = encode_request(json("0b9f6a8e-0d1c-4f47-9a55-2b9f0f6f1e11"),
                                          "tasks/send", send_params_to_json(params));
  EXPECT_EQ(json::parse(body), json::parse(kSendRequest));
  EXPECT_TRUE(body.starts_with(R"({"jsonrpc":"2.0","id":"0b9f6a8e-)")) << body;
}

TEST(LegacySend, DecodesTheExampleReply) {
  std::string err;
  const auto task = task_from_json(result_of(kSendReply), &err);
  ASSERT_TRUE(task.has_value()) << err;
  EXPECT_EQ(task->id, "t-3c1d2f7e-8a7b-4c1e-9f0a-5d6e7f8a9b0c");
  EXPECT_EQ(task->state, TaskState::kSubmitted);
  EXPECT_EQ(task->updated_at, ts("2026-04-29T18:00:00.412873Z"));
  EXPECT_TRUE(task->context_id.empty());
  ASSERT_EQ(task->history.size(), 1u);
  EXPECT_EQ(task->history[0], text_message(Role::kUser, "research Cedric the shrimp"));
}

TEST(LegacySend, EncodesTheExampleReplyWithMillisecondTimestamp) {
  Task task;
  task.id = "t-3c1d2f7e-8a7b-4c1e-9f0a-5d6e7f8a9b0c";
  task.state = TaskState::kSubmitted;
  task.updated_at = ts("2026-04-29T18:00:00.412873118Z");
  task.history = {text_message(Role::kUser, "research Cedric the shrimp")};

  json expected = json::parse(kSendReply);
  expected["result"]["status"]["timestamp"] = "2026-04-29T18:00:00.412Z";
  const std::string body =
      encode_result(json("0b9f6a8e-0d1c-4f47-9a55-2b9f0f6f1e11"), task_to_json(task));
  EXPECT_EQ(json::parse(body), expected);
}

// --- §1.5 tasks/get --------------------------------------------------------------------

TEST(LegacyGet, ParamsRoundTrip) {
  const RpcRequest request = request_of(kGetRequest);
  std::string err;
  EXPECT_EQ(task_id_params_from_json(request.params, &err), "task-abc") << err;
  EXPECT_EQ(encode_request(json("1"), "tasks/get", task_id_params_to_json("task-abc")),
            kGetRequest);
}

TEST(LegacyGet, ReplyRoundTrips) {
  std::string err;
  const json result = result_of(kGetReply);
  const auto task = task_from_json(result, &err);
  ASSERT_TRUE(task.has_value()) << err;
  EXPECT_EQ(task->id, "task-abc");
  EXPECT_EQ(task->state, TaskState::kCompleted);
  EXPECT_EQ(task->updated_at, ts("2026-04-29T18:00:00Z"));
  ASSERT_EQ(task->history.size(), 2u);
  EXPECT_EQ(task->history[0], text_message(Role::kUser, "research Cedric"));
  EXPECT_EQ(task->history[1], text_message(Role::kAgent, "Cedric is a shrimp."));

  // Only the timestamp's spelling changes: we always write milliseconds.
  json expected = result;
  expected["status"]["timestamp"] = "2026-04-29T18:00:00.000Z";
  EXPECT_EQ(task_to_json(*task), expected);
  EXPECT_EQ(task_from_json(task_to_json(*task), &err)->history, task->history);
}

// --- objects ---------------------------------------------------------------------------

TEST(LegacyMessage, ToJsonWritesNothingElse) {
  Message m = text_message(Role::kAgent, "hi");
  m.message_id = "m-1";  // the dialect has no message ids
  m.parts.push_back(Part{"!"});
  EXPECT_EQ(
      message_to_json(m),
      json::parse(
          R"({"role":"agent","parts":[{"type":"text","text":"hi"},{"type":"text","text":"!"}]})"));
}

// The dialect is text only: a file or data part can only be described (a last resort:
// send and respond refuse attachments for legacy peers before anything is stored).
TEST(LegacyMessage, NonTextPartsAreFoldedIntoText) {
  Message m = text_message(Role::kAgent, "see");
  m.parts.push_back(file_part("a.pdf", "application/pdf", "12345"));
  m.parts.push_back(uri_part("https://h/x.png", "x.png", "image/png"));
  m.parts.push_back(data_part(R"({"n":1})"));
  EXPECT_EQ(message_to_json(m), json::parse(R"({"role":"agent","parts":[
      {"type":"text","text":"see"},
      {"type":"text","text":"[file: a.pdf, 5 bytes, not sent]"},
      {"type":"text","text":"[file: x.png at https://h/x.png]"},
      {"type":"text","text":"[data: {\"n\":1}]"}]})"));
}

TEST(LegacyMessage, ExtraKeysAreIgnored) {
  std::string err;
  const auto m = message_from_json(
      json::parse(R"({"role":"user","kind":"message","messageId":"x","contextId":"c",
                      "parts":[{"type":"text","text":"a","metadata":{}}]})"),
      &err);
  ASSERT_TRUE(m.has_value()) << err;
  EXPECT_EQ(*m, text_message(Role::kUser, "a"));
  EXPECT_TRUE(m->message_id.empty());
}

TEST(LegacyMessage, EmptyPartsAreAllowed) {
  std::string err;
  const auto m = message_from_json(json::parse(R"({"role":"agent","parts":[]})"), &err);
  ASSERT_TRUE(m.has_value()) << err;
  EXPECT_TRUE(m->parts.empty());
}

std::string message_error(std::string_view text) {
  std::string err;
  EXPECT_FALSE(message_from_json(json::parse(text), &err).has_value()) << text;
  return err;
}

TEST(LegacyMessage, Errors) {
  EXPECT_EQ(message_error(R"({"parts":[]})"), "role: missing");
  EXPECT_EQ(message_error(R"({"role":1,"parts":[]})"), "role: expected a string, got 1");
  EXPECT_EQ(message_error(R"({"role":"system","parts":[]})"),
            R"(role: expected "user" or "agent", got "system")");
  EXPECT_EQ(message_error(R"({"role":"ROLE_USER","parts":[]})"),
            R"(role: expected "user" or "agent", got "ROLE_USER")");
  EXPECT_EQ(message_error(R"({"role":"user"})"), "parts: missing");
  EXPECT_EQ(message_error(R"({"role":"user","parts":{}})"),
            "parts: expected an array, got an object");
  EXPECT_EQ(message_error(R"({"role":"user","parts":["hi"]})"),
            R"(parts[0]: expected an object, got "hi")");
  EXPECT_EQ(
      message_error(
          R"({"role":"user","parts":[{"type":"text","text":"a"},{"kind":"text","text":"b"}]})"),
      "parts[1].type: missing");
  EXPECT_EQ(message_error(R"({"role":"user","parts":[{"type":"file","file":{}}]})"),
            R"(parts[0].type: expected "text", got "file")");
  EXPECT_EQ(message_error(R"({"role":"user","parts":[{"type":null}]})"),
            R"(parts[0].type: expected "text", got null)");
  EXPECT_EQ(message_error(R"({"role":"user","parts":[{"type":"text"}]})"),
            "parts[0].text: missing");
  EXPECT_EQ(message_error(R"({"role":"user","parts":[{"type":"text","text":["a"]}]})"),
            "parts[0].text: expected a string, got an array");
  EXPECT_EQ(message_error("[]"), "expected an object, got an array");
}

TEST(LegacyTask, EncodeMapsStatesTheOriginalCannotDecode) {
  Task task;
  task.id = "t";
  task.state = TaskState::kRejected;
  EXPECT_EQ(task_to_json(task)["status"]["state"], "failed");
  task.state = TaskState::kAuthRequired;
  EXPECT_EQ(task_to_json(task)["status"]["state"], "input-required");
  task.state = TaskState::kCanceled;
  EXPECT_EQ(task_to_json(task)["status"]["state"], "canceled");
  EXPECT_EQ(task_to_json(task)["status"]["timestamp"], "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(task_to_json(task)["history"], json::array());
  EXPECT_FALSE(task_to_json(task).contains("contextId"));
}

TEST(LegacyTask, EverySevenLegacyStateDecodes) {
  for (const char* name :
       {"submitted", "working", "input-required", "completed", "canceled", "failed", "unknown"}) {
    json j = {{"id", "t"}, {"status", {{"state", name}, {"timestamp", "2026-04-29T18:00:00Z"}}}};
    std::string err;
    const auto task = task_from_json(j, &err);
    ASSERT_TRUE(task.has_value()) << name << ": " << err;
    EXPECT_STREQ(state_name(task->state), name);
  }
}

TEST(LegacyTask, HistoryDefaultsToEmpty) {
  std::string err;
  auto task = task_from_json(
      json::parse(R"({"id":"t","status":{"state":"working","timestamp":"2026-04-29T18:00:00Z"}})"),
      &err);
  ASSERT_TRUE(task.has_value()) << err;
  EXPECT_TRUE(task->history.empty());
  task = task_from_json(
      json::parse(
          R"({"id":"t","history":null,"status":{"state":"working","timestamp":"2026-04-29T18:00:00+02:00"}})"),
      &err);
  ASSERT_TRUE(task.has_value()) << err;
  EXPECT_EQ(task->updated_at, ts("2026-04-29T16:00:00Z"));
}

std::string task_error(std::string_view text) {
  std::string err;
  EXPECT_FALSE(task_from_json(json::parse(text), &err).has_value()) << text;
  return err;
}

TEST(LegacyTask, Errors) {
  EXPECT_EQ(task_error(R"({"status":{"state":"working","timestamp":"2026-04-29T18:00:00Z"}})"),
            "id: missing");
  EXPECT_EQ(
      task_error(R"({"id":3,"status":{"state":"working","timestamp":"2026-04-29T18:00:00Z"}})"),
      "id: expected a string, got 3");
  EXPECT_EQ(task_error(R"({"id":"t"})"), "status: missing");
  EXPECT_EQ(task_error(R"({"id":"t","status":"working"})"),
            R"(status: expected an object, got "working")");
  EXPECT_EQ(task_error(R"({"id":"t","status":{"timestamp":"2026-04-29T18:00:00Z"}})"),
            "status.state: missing");
  EXPECT_EQ(
      task_error(R"({"id":"t","status":{"state":"rejected","timestamp":"2026-04-29T18:00:00Z"}})"),
      "status.state: expected one of submitted, working, input-required, completed, "
      R"(canceled, failed, unknown; got "rejected")");
  EXPECT_EQ(
      task_error(
          R"({"id":"t","status":{"state":"auth-required","timestamp":"2026-04-29T18:00:00Z"}})"),
      "status.state: expected one of submitted, working, input-required, completed, "
      R"(canceled, failed, unknown; got "auth-required")");
  EXPECT_EQ(
      task_error(
          R"({"id":"t","status":{"state":"TASK_STATE_WORKING","timestamp":"2026-04-29T18:00:00Z"}})"),
      "status.state: expected one of submitted, working, input-required, completed, "
      R"(canceled, failed, unknown; got "TASK_STATE_WORKING")");
  EXPECT_EQ(task_error(R"({"id":"t","status":{"state":"working"}})"), "status.timestamp: missing");
  EXPECT_EQ(task_error(R"({"id":"t","status":{"state":"working","timestamp":1714413600}})"),
            "status.timestamp: expected a string, got 1714413600");
  EXPECT_EQ(
      task_error(R"({"id":"t","status":{"state":"working","timestamp":"2026-04-29T18:00:00"}})"),
      R"(status.timestamp: not an RFC 3339 timestamp ("2026-04-29T18:00:00"): missing zone (Z or +HH:MM))");
  EXPECT_EQ(
      task_error(
          R"({"id":"t","status":{"state":"working","timestamp":"2026-04-29T18:00:00Z"},"history":{}})"),
      "history: expected an array, got an object");
  EXPECT_EQ(task_error(R"({"id":"t","status":{"state":"working","timestamp":"2026-04-29T18:00:00Z"},
                          "history":[{"role":"user","parts":[]},{"role":"agent","parts":[{"kind":"text","text":"x"}]}]})"),
            "history[1].parts[0].type: missing");
  EXPECT_EQ(task_error("null"), "expected an object, got null");
}

// --- params ----------------------------------------------------------------------------

std::string send_error(std::string_view params_text) {
  std::string err;
  EXPECT_FALSE(send_params_from_json(json::parse(params_text), &err).has_value()) << params_text;
  return err;
}

TEST(LegacySendParams, Errors) {
  EXPECT_EQ(send_error("null"), "params: expected an object, got null");
  EXPECT_EQ(send_error(R"(["t-1"])"), "params: expected an object, got an array");
  EXPECT_EQ(send_error(R"({"message":{"role":"user","parts":[]}})"), "params.id: missing");
  EXPECT_EQ(send_error(R"({"id":1,"message":{"role":"user","parts":[]}})"),
            "params.id: expected a string, got 1");
  EXPECT_EQ(send_error(R"({"id":"","message":{"role":"user","parts":[]}})"),
            "params.id: must not be empty");
  EXPECT_EQ(send_error(R"({"id":"t-1"})"), "params.message: missing");
  EXPECT_EQ(send_error(R"({"id":"t-1","message":"hi"})"),
            R"(params.message: expected an object, got "hi")");
  EXPECT_EQ(
      send_error(
          R"({"id":"t-1","message":{"role":"user","parts":[{"type":"file","file":{"uri":"x"}}]}})"),
      R"(params.message.parts[0].type: expected "text", got "file")");
  EXPECT_EQ(send_error(R"({"id":"t-1","message":{"role":"bot","parts":[]}})"),
            R"(params.message.role: expected "user" or "agent", got "bot")");
}

TEST(LegacySendParams, IgnoresUnusedV01Params) {
  std::string err;
  const auto p = send_params_from_json(
      json::parse(R"({"id":"t-1","sessionId":"s","historyLength":3,"metadata":{},
                      "message":{"role":"user","parts":[{"type":"text","text":"x"}]}})"),
      &err);
  ASSERT_TRUE(p.has_value()) << err;
  EXPECT_EQ(p->task_id, "t-1");
  EXPECT_EQ(message_text(p->message), "x");
}

TEST(LegacyTaskIdParams, Errors) {
  std::string err;
  EXPECT_FALSE(task_id_params_from_json(json(nullptr), &err).has_value());
  EXPECT_EQ(err, "params: expected an object, got null");
  EXPECT_FALSE(task_id_params_from_json(json::object(), &err).has_value());
  EXPECT_EQ(err, "params.id: missing");
  EXPECT_FALSE(task_id_params_from_json(json{{"id", json::array()}}, &err).has_value());
  EXPECT_EQ(err, "params.id: expected a string, got an array");
  EXPECT_EQ(task_id_params_to_json("t-9"), json::parse(R"({"id":"t-9"})"));
}

TEST(LegacyDecoders, AcceptNullErrorPointer) {
  EXPECT_FALSE(message_from_json(json(1), nullptr).has_value());
  EXPECT_FALSE(task_from_json(json(1), nullptr).has_value());
  EXPECT_FALSE(send_params_from_json(json(1), nullptr).has_value());
  EXPECT_FALSE(task_id_params_from_json(json(1), nullptr).has_value());
}

// --- ids -------------------------------------------------------------------------------

TEST(NewTaskId, IsTPrefixedUuid4) {
  const std::regex shape("t-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  for (int i = 0; i < 100; ++i) {
    const std::string id = new_task_id();
    EXPECT_TRUE(std::regex_match(id, shape)) << id;
  }
}

TEST(NewTaskId, UniqueAcrossThreads) {
  constexpr int kThreads = 4;
  constexpr int kPerThread = 2000;
  std::vector<std::vector<std::string>> ids(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&ids, t] {
      for (int i = 0; i < kPerThread; ++i) ids[t].push_back(new_task_id());
    });
  }
  for (auto& thread : threads) thread.join();
  std::set<std::string> all;
  for (const auto& v : ids) all.insert(v.begin(), v.end());
  EXPECT_EQ(all.size(), static_cast<std::size_t>(kThreads * kPerThread));
}

}  // namespace
}  // namespace constellation::a2a::legacy

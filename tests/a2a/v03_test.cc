#include "constellation/a2a/v03.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <variant>
#include <vector>

namespace constellation::a2a::v03 {
namespace {

using nlohmann::json;

std::filesystem::path fixture_dir() {
  return std::filesystem::path(CONSTELLATION_TEST_DATA) / "a2a-js-wire";
}

json load(const std::filesystem::path& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << path;
  return json::parse(in, nullptr, /*allow_exceptions=*/false);
}

// The v0.3 exchanges of the JS SDK capture (README.md there): every v03-* file plus the
// hand-made message/send sent with a v1.0 header.
std::vector<std::filesystem::path> v03_fixtures() {
  std::vector<std::filesystem::path> out;
  for (const auto& entry : std::filesystem::directory_iterator(fixture_dir())) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("v03-", 0) == 0 || name == "raw-message_send-v1header.01.message_send.json") {
      out.push_back(entry.path());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

// We do not model `metadata` (the SDK writes `{}` everywhere), so it is the one member
// a round trip is allowed to lose.
json without_metadata(json j) {
  if (j.is_object()) {
    j.erase("metadata");
    for (auto it = j.begin(); it != j.end(); ++it) it.value() = without_metadata(it.value());
  } else if (j.is_array()) {
    for (auto& value : j) value = without_metadata(value);
  }
  return j;
}

Timestamp ts(std::string_view text) {
  const auto t = parse_timestamp(text, nullptr);
  EXPECT_TRUE(t.has_value()) << text;
  return t.value_or(Timestamp{});
}

// Decodes and expects failure; returns the error text.
template <class F>
std::string error_of(F decode, const json& j) {
  std::string err;
  const auto decoded = decode(j, &err);
  EXPECT_FALSE(decoded.has_value()) << j.dump();
  return err;
}

std::string message_error(const json& j) { return error_of(message_from_json, j); }
std::string task_error(const json& j) { return error_of(task_from_json, j); }
std::string send_error(const json& j) { return error_of(send_params_from_json, j); }

json text_message_json() {
  return json::parse(R"({"kind":"message","messageId":"m-1","role":"user",
                         "parts":[{"kind":"text","text":"hi"}]})");
}

json minimal_task_json() {
  return json::parse(R"({"kind":"task","id":"t-1","contextId":"c-1",
                         "status":{"state":"working","timestamp":"2026-11-25T12:59:05.366Z"}})");
}

Task full_task() {
  Task task;
  task.id = "t-1";
  task.context_id = "c-1";
  task.state = TaskState::kCompleted;
  task.updated_at = ts("2026-11-25T12:59:05.366Z");
  Message question = text_message(Role::kUser, "tell me a joke");
  question.message_id = "m-1";
  question.context_id = "c-1";
  question.task_id = "t-1";
  Message answer = text_message(Role::kAgent, "Why did...");
  answer.message_id = "m-2";
  answer.context_id = "c-1";
  answer.task_id = "t-1";
  task.history = {question, answer};
  task.status_message = answer;
  task.artifacts.push_back(Artifact{"a-1", "joke", {Part{"Why did..."}, Part{" the end"}}});
  task.artifacts.push_back(Artifact{"a-2", "", {}});
  return task;
}

void expect_same_task(const Task& a, const Task& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.context_id, b.context_id);
  EXPECT_EQ(a.state, b.state);
  EXPECT_EQ(a.updated_at, b.updated_at);
  EXPECT_EQ(a.history, b.history);
  EXPECT_EQ(a.artifacts, b.artifacts);
  EXPECT_EQ(a.status_message, b.status_message);
}

// --- the JS SDK's traffic --------------------------------------------------------------

TEST(V03Fixtures, TheCaptureIsThere) {
  // 8 v03-* exchanges (one is a card fetch) plus the raw message/send.
  EXPECT_EQ(v03_fixtures().size(), 10u);
}

// Every v0.3 request the SDK sent decodes, and re-encodes to the same JSON (metadata
// aside, which we do not carry).
TEST(V03Fixtures, RequestParamsRoundTrip) {
  int checked = 0;
  for (const auto& path : v03_fixtures()) {
    SCOPED_TRACE(path.filename().string());
    const json exchange = load(path);
    const json body = exchange["request"].value("body", json());
    if (!body.is_object()) continue;  // the card fetch has no body
    const std::string method = body["method"];
    const json& params = body["params"];
    std::string err;
    if (method == "message/send" || method == "message/stream") {
      const auto decoded = send_params_from_json(params, &err);
      ASSERT_TRUE(decoded) << err;
      if (params.contains("configuration")) {
        EXPECT_EQ(send_params_to_json(*decoded), without_metadata(params));
      } else {
        // Ours always carries a configuration; the message itself must be the same.
        EXPECT_FALSE(decoded->configuration.blocking.has_value());
        EXPECT_EQ(message_to_json(decoded->message), params["message"]);
      }
    } else if (method == "tasks/get") {
      const auto decoded = task_query_params_from_json(params, &err);
      ASSERT_TRUE(decoded) << err;
      EXPECT_EQ(task_query_params_to_json(*decoded), params);
    } else if (method == "tasks/cancel" || method == "tasks/resubscribe") {
      const auto decoded = task_id_params_from_json(params, &err);
      ASSERT_TRUE(decoded) << err;
      EXPECT_EQ(task_id_params_to_json(*decoded), params);
    } else {
      ADD_FAILURE() << "unexpected method " << method;
      continue;
    }
    ++checked;
  }
  EXPECT_EQ(checked, 9);
}

// Every task and message the SDK answered with decodes and re-encodes to the same JSON;
// in streams, the Task events and the artifacts of artifact-update events too.
TEST(V03Fixtures, ResultsRoundTrip) {
  int tasks = 0;
  int artifacts = 0;
  for (const auto& path : v03_fixtures()) {
    SCOPED_TRACE(path.filename().string());
    const json exchange = load(path);
    const json body = exchange["response"].value("body", json());
    std::vector<json> results;
    if (body.is_object() && body.contains("result")) results.push_back(body["result"]);
    if (body.is_array()) {
      for (const json& event : body) results.push_back(event["data"]["result"]);
    }
    for (const json& result : results) {
      std::string err;
      const std::string kind = result.value("kind", "");
      if (kind == "task") {
        const auto reply = send_result_from_json(result, &err);
        ASSERT_TRUE(reply) << err;
        ASSERT_TRUE(std::holds_alternative<Task>(*reply));
        EXPECT_EQ(task_to_json(std::get<Task>(*reply)), without_metadata(result));
        ++tasks;
      } else if (kind == "artifact-update") {
        const auto artifact = artifact_from_json(result["artifact"], &err);
        ASSERT_TRUE(artifact) << err;
        EXPECT_EQ(artifact_to_json(*artifact), result["artifact"]);
        ++artifacts;
      }
    }
  }
  EXPECT_EQ(tasks, 6);  // send, sendNonBlocking, getTask, cancelRunning, 2 stream starts
  EXPECT_EQ(artifacts, 1);
}

TEST(V03Fixtures, GetTaskReplyHasTheModelWeExpect) {
  const json exchange = load(fixture_dir() / "v03-getTask.01.tasks_get.json");
  std::string err;
  const auto task = task_from_json(exchange["response"]["body"]["result"], &err);
  ASSERT_TRUE(task) << err;
  EXPECT_EQ(task->id, "2f4ce10b-5aad-4fd8-9f8e-8447d9531233");
  EXPECT_EQ(task->context_id, "b409953a-cbc5-4052-bd1e-0fff390708d2");
  EXPECT_EQ(task->state, TaskState::kCompleted);
  EXPECT_EQ(format_timestamp(task->updated_at), "2026-11-25T12:59:05.366Z");
  ASSERT_EQ(task->history.size(), 2u);
  EXPECT_EQ(task->history[0].role, Role::kUser);
  EXPECT_EQ(task->history[1].role, Role::kAgent);
  EXPECT_EQ(task->history[1].task_id, task->id);
  ASSERT_TRUE(task->status_message);
  EXPECT_EQ(message_text(*task->status_message), "hello from v03");
  ASSERT_EQ(task->artifacts.size(), 1u);
  EXPECT_EQ(task->artifacts[0].name, "echo");
  EXPECT_EQ(task->artifacts[0].parts, std::vector<Part>{Part{"hello from v03"}});

  const json& request = exchange["request"]["body"]["params"];
  const auto query = task_query_params_from_json(request, &err);
  ASSERT_TRUE(query) << err;
  EXPECT_EQ(query->history_length, 10);
}

TEST(V03Fixtures, NonBlockingSendConfiguration) {
  const json exchange = load(fixture_dir() / "v03-sendNonBlocking.01.message_send.json");
  std::string err;
  const auto params = send_params_from_json(exchange["request"]["body"]["params"], &err);
  ASSERT_TRUE(params) << err;
  EXPECT_EQ(params->configuration.blocking, false);
  EXPECT_FALSE(effective_blocking(params->configuration));
  EXPECT_EQ(params->configuration.accepted_output_modes, std::vector<std::string>{"text/plain"});
  EXPECT_EQ(params->message.message_id,
            "test-resubscribe-message-id-0046958e-7e7a-49bb-af0a-35fdd6cd981d");
  EXPECT_EQ(message_text(params->message), "cancel me (v03)");
}

// The SDK's error replies use the codes we name.
TEST(V03Fixtures, ErrorCodesMatchTheSdk) {
  const json missing = load(fixture_dir() / "v03-getTaskMissing.01.tasks_get.json");
  EXPECT_EQ(missing["response"]["body"]["error"]["code"], error_code::kTaskNotFound);
  const json done = load(fixture_dir() / "v03-cancelCompleted.01.tasks_cancel.json");
  EXPECT_EQ(done["response"]["body"]["error"]["code"], error_code::kTaskNotCancelable);
}

// --- messages --------------------------------------------------------------------------

TEST(V03Message, WritesOnlyWhatItHas) {
  Message m = text_message(Role::kAgent, "hi");
  m.message_id = "m-1";
  EXPECT_EQ(message_to_json(m), json::parse(R"({"kind":"message","messageId":"m-1",
      "role":"agent","parts":[{"kind":"text","text":"hi"}]})"));
  m.context_id = "c-1";
  m.task_id = "t-1";
  EXPECT_EQ(message_to_json(m), json::parse(R"({"kind":"message","messageId":"m-1",
      "role":"agent","parts":[{"kind":"text","text":"hi"}],"contextId":"c-1","taskId":"t-1"})"));
}

TEST(V03Message, RoundTrip) {
  Message m;
  m.role = Role::kUser;
  m.parts = {Part{"a"}, Part{""}, Part{"ü"}};
  m.message_id = "m-9";
  m.context_id = "c-9";
  m.task_id = "t-9";
  std::string err;
  const auto back = message_from_json(message_to_json(m), &err);
  ASSERT_TRUE(back) << err;
  EXPECT_EQ(*back, m);
}

// Unknown members are ignored; `kind` may be left out on the message and its parts;
// null optional members count as absent.
TEST(V03Message, ReadsTolerantly) {
  const json j = json::parse(R"({"messageId":"m-1","role":"user",
      "parts":[{"text":"hi","metadata":{"x":1}}],"contextId":null,"taskId":"t-1",
      "metadata":{"a":"b"},"extensions":["urn:x"],"referenceTaskIds":["t-0"],"future":42})");
  std::string err;
  const auto m = message_from_json(j, &err);
  ASSERT_TRUE(m) << err;
  EXPECT_EQ(m->message_id, "m-1");
  EXPECT_EQ(m->parts, std::vector<Part>{Part{"hi"}});
  EXPECT_EQ(m->context_id, "");
  EXPECT_EQ(m->task_id, "t-1");
}

TEST(V03Message, MalformedNamesThePath) {
  json j = text_message_json();
  j.erase("messageId");
  EXPECT_EQ(message_error(j), "messageId: missing");

  j = text_message_json();
  j["messageId"] = 5;
  EXPECT_EQ(message_error(j), "messageId: expected a string, got 5");

  j = text_message_json();
  j.erase("role");
  EXPECT_EQ(message_error(j), "role: missing");

  j = text_message_json();
  j["role"] = "system";
  EXPECT_EQ(message_error(j), "role: expected \"user\" or \"agent\", got \"system\"");

  j = text_message_json();
  j["role"] = "ROLE_USER";  // v1.0's spelling is not v0.3's
  EXPECT_EQ(message_error(j), "role: expected \"user\" or \"agent\", got \"ROLE_USER\"");

  j = text_message_json();
  j.erase("parts");
  EXPECT_EQ(message_error(j), "parts: missing");

  j = text_message_json();
  j["parts"] = "hi";
  EXPECT_EQ(message_error(j), "parts: expected an array, got \"hi\"");

  j = text_message_json();
  j["parts"][0].erase("text");
  EXPECT_EQ(message_error(j), "parts[0].text: missing");

  j = text_message_json();
  j["parts"][0]["text"] = nullptr;
  EXPECT_EQ(message_error(j), "parts[0].text: expected a string, got null");

  j = text_message_json();
  j["parts"][0] = "hi";
  EXPECT_EQ(message_error(j), "parts[0]: expected an object, got \"hi\"");

  j = text_message_json();
  j["parts"][0]["kind"] = "image";
  EXPECT_EQ(message_error(j),
            "parts[0].kind: expected \"text\", \"file\" or \"data\", got \"image\"");

  j = text_message_json();
  j["parts"][0]["kind"] = 1;
  EXPECT_EQ(message_error(j), "parts[0].kind: expected a string, got 1");

  j = text_message_json();
  j["kind"] = "task";
  EXPECT_EQ(message_error(j), "kind: expected \"message\", got \"task\"");

  j = text_message_json();
  j["contextId"] = 7;
  EXPECT_EQ(message_error(j), "contextId: expected a string, got 7");

  EXPECT_EQ(message_error(json::array()), "expected an object, got an array");
  EXPECT_EQ(message_error(json()), "expected an object, got null");
}

// §2.4's file and data parts, both ways: bytes are base64 on the wire and raw in the
// model; a link stays a link.
TEST(V03Message, FileAndDataPartsRoundTrip) {
  json j = text_message_json();
  j["parts"].push_back(json::parse(
      R"({"kind":"file","file":{"name":"in.png","mimeType":"image/png","bytes":"AAH//g=="}})"));
  j["parts"].push_back(
      json::parse(R"({"kind":"file","file":{"uri":"https://host/x.png","mimeType":"image/png"}})"));
  j["parts"].push_back(json::parse(R"({"kind":"data","data":{"ticket":"REQ1"}})"));
  std::string err;
  const auto m = message_from_json(j, &err);
  ASSERT_TRUE(m) << err;
  ASSERT_EQ(m->parts.size(), 4u);
  EXPECT_EQ(m->parts[1], file_part("in.png", "image/png", std::string("\0\x01\xff\xfe", 4)));
  EXPECT_EQ(m->parts[2], uri_part("https://host/x.png", "", "image/png"));
  EXPECT_EQ(m->parts[3], data_part(R"({"ticket":"REQ1"})"));
  EXPECT_EQ(message_to_json(*m), j);
}

// v0.3 data is an object; anything else travels as {"value": x} marked data_part_compat
// (the JS SDK's rule) and comes back unwrapped.
TEST(V03Message, NonObjectDataUsesTheSdkCompatWrapper) {
  Message m{Role::kUser, {data_part("[1,2]"), data_part("\"s\""), data_part(R"({"value":1})")}, "m"};
  const json j = message_to_json(m);
  EXPECT_EQ(j["parts"][0], json::parse(R"({"kind":"data","data":{"value":[1,2]},
                                          "metadata":{"data_part_compat":true}})"));
  EXPECT_EQ(j["parts"][1]["data"], json::parse(R"({"value":"s"})"));
  // A real object with a "value" member is not wrapped, hence not unwrapped either.
  EXPECT_EQ(j["parts"][2], json::parse(R"({"kind":"data","data":{"value":1}})"));
  std::string err;
  const auto back = message_from_json(j, &err);
  ASSERT_TRUE(back) << err;
  EXPECT_EQ(*back, m);
}

TEST(V03Message, MalformedFilePartsNameThePath) {
  const auto with_part = [](const char* part) {
    json j = text_message_json();
    j["parts"].push_back(json::parse(part));
    return j;
  };
  EXPECT_EQ(message_error(with_part(R"({"kind":"file"})")), "parts[1].file: missing");
  EXPECT_EQ(message_error(with_part(R"({"kind":"file","file":{"name":"a"}})")),
            "parts[1].file: expected \"bytes\" or \"uri\"");
  EXPECT_EQ(message_error(with_part(R"({"kind":"file","file":{"bytes":"AA==","uri":"x"}})")),
            "parts[1].file: has both \"bytes\" and \"uri\"; a file carries exactly one");
  EXPECT_EQ(message_error(with_part(R"({"kind":"file","file":{"bytes":"A*=="}})")),
            "parts[1].file.bytes: not valid base64: unexpected character at offset 1");
  EXPECT_EQ(message_error(with_part(R"({"kind":"file","file":{"bytes":3}})")),
            "parts[1].file.bytes: expected a string, got 3");
  EXPECT_EQ(message_error(with_part(R"({"kind":"file","file":{"uri":"x","name":7}})")),
            "parts[1].file.name: expected a string, got 7");
  EXPECT_EQ(message_error(with_part(R"({"kind":"data"})")), "parts[1].data: missing");
}

// --- tasks -----------------------------------------------------------------------------

TEST(V03Task, EncodesTheSpecShape) {
  Task task;
  task.id = "t-1";
  task.context_id = "c-1";
  task.state = TaskState::kInputRequired;
  task.updated_at = ts("2025-07-30T10:00:00Z");
  EXPECT_EQ(task_to_json(task), json::parse(R"({"kind":"task","id":"t-1","contextId":"c-1",
      "status":{"state":"input-required","timestamp":"2025-07-30T10:00:00.000Z"}})"));
}

TEST(V03Task, FullRoundTrip) {
  const Task task = full_task();
  const json j = task_to_json(task);
  EXPECT_EQ(j["artifacts"][0], json::parse(R"({"artifactId":"a-1","name":"joke",
      "parts":[{"kind":"text","text":"Why did..."},{"kind":"text","text":" the end"}]})"));
  EXPECT_EQ(j["artifacts"][1], json::parse(R"({"artifactId":"a-2","parts":[]})"));
  EXPECT_EQ(j["status"]["message"]["messageId"], "m-2");
  std::string err;
  const auto back = task_from_json(j, &err);
  ASSERT_TRUE(back) << err;
  expect_same_task(*back, task);
}

TEST(V03Task, EveryStateRoundTrips) {
  for (const char* name : {"submitted", "working", "input-required", "completed", "canceled",
                           "failed", "rejected", "auth-required", "unknown"}) {
    SCOPED_TRACE(name);
    json j = minimal_task_json();
    j["status"]["state"] = name;
    std::string err;
    const auto task = task_from_json(j, &err);
    ASSERT_TRUE(task) << err;
    EXPECT_EQ(task_to_json(*task)["status"]["state"], name);
  }
}

// A task without a timestamp reads as the epoch and is written back without one.
TEST(V03Task, TimestampIsOptional) {
  json j = minimal_task_json();
  j["status"].erase("timestamp");
  std::string err;
  const auto task = task_from_json(j, &err);
  ASSERT_TRUE(task) << err;
  EXPECT_EQ(task->updated_at, Timestamp{});
  EXPECT_EQ(task_to_json(*task), j);
}

// §2.3: "...Z", "+00:00" with microseconds, and no zone at all (taken as UTC).
TEST(V03Task, TimestampsOfEveryKnownWriter) {
  for (const auto& [text, expected] : std::vector<std::pair<std::string, std::string>>{
           {"2025-04-02T16:59:25.331Z", "2025-04-02T16:59:25.331Z"},
           {"2025-04-02T16:59:25.331844+00:00", "2025-04-02T16:59:25.331Z"},
           {"2025-04-02T18:59:25+02:00", "2025-04-02T16:59:25.000Z"},
           {"2025-04-02T16:59:25.331844", "2025-04-02T16:59:25.331Z"},
       }) {
    SCOPED_TRACE(text);
    json j = minimal_task_json();
    j["status"]["timestamp"] = text;
    std::string err;
    const auto task = task_from_json(j, &err);
    ASSERT_TRUE(task) << err;
    EXPECT_EQ(format_timestamp(task->updated_at), expected);
  }
}

TEST(V03Task, ReadsTolerantly) {
  json j = minimal_task_json();
  j.erase("kind");
  j.erase("contextId");
  j["metadata"] = {{"x", 1}};
  j["history"] = nullptr;
  j["artifacts"] = json::array();
  j["status"]["message"] = nullptr;
  j["status"]["extra"] = true;
  std::string err;
  const auto task = task_from_json(j, &err);
  ASSERT_TRUE(task) << err;
  EXPECT_EQ(task->id, "t-1");
  EXPECT_EQ(task->context_id, "");
  EXPECT_EQ(task->state, TaskState::kWorking);
  EXPECT_TRUE(task->history.empty());
  EXPECT_FALSE(task->status_message);
}

// A peer's reply keeps its file and data parts beside the text.
TEST(V03Task, ReplyKeepsFileAndDataParts) {
  json j = minimal_task_json();
  j["artifacts"] = json::parse(R"([{"artifactId":"a-1","parts":[
      {"kind":"file","file":{"bytes":"iVBORw0K","mimeType":"image/png"}},
      {"kind":"text","text":"see the picture"},
      {"kind":"data","data":{"ticket":"REQ1"}}]}])");
  std::string err;
  const auto task = task_from_json(j, &err);
  ASSERT_TRUE(task) << err;
  ASSERT_EQ(task->artifacts.size(), 1u);
  ASSERT_EQ(task->artifacts[0].parts.size(), 3u);
  EXPECT_EQ(task->artifacts[0].parts[0].kind, PartKind::kFile);
  EXPECT_EQ(task->artifacts[0].parts[0].media_type, "image/png");
  EXPECT_EQ(task->artifacts[0].parts[0].bytes, "\x89PNG\r\n");
  EXPECT_EQ(task->artifacts[0].parts[1], Part{"see the picture"});
  EXPECT_EQ(task->artifacts[0].parts[2], data_part(R"({"ticket":"REQ1"})"));

  j["artifacts"][0]["parts"][0]["kind"] = "video";
  EXPECT_EQ(task_error(j),
            "artifacts[0].parts[0].kind: expected \"text\", \"file\" or \"data\", got \"video\"");
}

TEST(V03Task, MalformedNamesThePath) {
  json j = minimal_task_json();
  j["status"]["state"] = "done";
  EXPECT_EQ(task_error(j),
            "status.state: expected one of submitted, working, input-required, completed, "
            "canceled, failed, rejected, auth-required, unknown; got \"done\"");

  j = minimal_task_json();
  j["status"]["state"] = "TASK_STATE_WORKING";
  EXPECT_EQ(task_error(j).rfind("status.state: expected one of", 0), 0u);

  j = minimal_task_json();
  j["status"].erase("state");
  EXPECT_EQ(task_error(j), "status.state: missing");

  j = minimal_task_json();
  j.erase("status");
  EXPECT_EQ(task_error(j), "status: missing");

  j = minimal_task_json();
  j["status"] = "working";
  EXPECT_EQ(task_error(j), "status: expected an object, got \"working\"");

  j = minimal_task_json();
  j.erase("id");
  EXPECT_EQ(task_error(j), "id: missing");

  j = minimal_task_json();
  j["kind"] = "message";
  EXPECT_EQ(task_error(j), "kind: expected \"task\", got \"message\"");

  j = minimal_task_json();
  j["status"]["timestamp"] = "yesterday";
  EXPECT_EQ(task_error(j).rfind("status.timestamp: ", 0), 0u);

  j = minimal_task_json();
  j["status"]["timestamp"] = 17;
  EXPECT_EQ(task_error(j), "status.timestamp: expected a string, got 17");

  j = minimal_task_json();
  j["status"]["message"] = text_message_json();
  j["status"]["message"]["role"] = "bot";
  EXPECT_EQ(task_error(j), "status.message.role: expected \"user\" or \"agent\", got \"bot\"");

  j = minimal_task_json();
  j["history"] = json::array({text_message_json(), text_message_json()});
  j["history"][1].erase("messageId");
  EXPECT_EQ(task_error(j), "history[1].messageId: missing");

  j = minimal_task_json();
  j["history"] = {{"a", 1}};
  EXPECT_EQ(task_error(j), "history: expected an array, got an object");

  j = minimal_task_json();
  j["artifacts"] = json::parse(R"([{"parts":[]}])");
  EXPECT_EQ(task_error(j), "artifacts[0].artifactId: missing");

  j = minimal_task_json();
  j["artifacts"] = json::parse(R"([{"artifactId":"a","name":3,"parts":[]}])");
  EXPECT_EQ(task_error(j), "artifacts[0].name: expected a string, got 3");

  j = minimal_task_json();
  j["artifacts"] = json::parse(R"([{"artifactId":"a"}])");
  EXPECT_EQ(task_error(j), "artifacts[0].parts: missing");
}

// --- message/send params and reply -----------------------------------------------------

TEST(V03Send, AlwaysWritesBlocking) {
  SendParams params;
  params.message = text_message(Role::kUser, "tell me a joke");
  params.message.message_id = "9229e770-767c-417b-a0b0-f0741243c589";
  EXPECT_EQ(send_params_to_json(params), json::parse(R"({
      "message":{"kind":"message","messageId":"9229e770-767c-417b-a0b0-f0741243c589",
                 "role":"user","parts":[{"kind":"text","text":"tell me a joke"}]},
      "configuration":{"blocking":true,"acceptedOutputModes":[]}})"));

  params.configuration.blocking = false;
  params.configuration.history_length = 3;
  params.configuration.accepted_output_modes = {"text/plain"};
  const json j = send_params_to_json(params);
  EXPECT_EQ(j["configuration"], json::parse(R"({"blocking":false,"historyLength":3,
      "acceptedOutputModes":["text/plain"]})"));
  std::string err;
  const auto back = send_params_from_json(j, &err);
  ASSERT_TRUE(back) << err;
  EXPECT_EQ(back->message, params.message);
  EXPECT_EQ(back->configuration.blocking, false);
  EXPECT_EQ(back->configuration.history_length, 3);
  EXPECT_EQ(back->configuration.accepted_output_modes, params.configuration.accepted_output_modes);
}

TEST(V03Send, AbsentBlockingIsLeftToTheServer) {
  std::string err;
  const auto params = send_params_from_json(
      json{{"message", text_message_json()}, {"configuration", json::object()}}, &err);
  ASSERT_TRUE(params) << err;
  EXPECT_FALSE(params->configuration.blocking.has_value());
  EXPECT_EQ(effective_blocking(params->configuration), kDefaultBlocking);
  EXPECT_TRUE(kDefaultBlocking);
}

TEST(V03Send, IgnoresMetadataAndPushConfig) {
  const json j = {{"message", text_message_json()},
                  {"metadata", {{"k", "v"}}},
                  {"configuration",
                   {{"blocking", true},
                    {"pushNotificationConfig", {{"url", "http://x/hook"}}},
                    {"historyLength", nullptr}}}};
  std::string err;
  const auto params = send_params_from_json(j, &err);
  ASSERT_TRUE(params) << err;
  EXPECT_FALSE(params->configuration.history_length.has_value());
}

TEST(V03Send, MalformedNamesThePath) {
  EXPECT_EQ(send_error(json::array()), "params: expected an object, got an array");
  EXPECT_EQ(send_error(json::object()), "params.message: missing");

  json j = {{"message", text_message_json()}};
  j["message"]["role"] = "robot";
  EXPECT_EQ(send_error(j), "params.message.role: expected \"user\" or \"agent\", got \"robot\"");

  j = {{"message", text_message_json()}};
  j["message"]["parts"][0] = json::parse(R"({"kind":"file","file":{"bytes":"AA!A"}})");
  EXPECT_EQ(send_error(j),
            "params.message.parts[0].file.bytes: not valid base64: unexpected character at offset 2");

  j = {{"message", text_message_json()}, {"configuration", "blocking"}};
  EXPECT_EQ(send_error(j), "params.configuration: expected an object, got \"blocking\"");

  j = {{"message", text_message_json()}, {"configuration", {{"blocking", "yes"}}}};
  EXPECT_EQ(send_error(j), "params.configuration.blocking: expected a boolean, got \"yes\"");

  j = {{"message", text_message_json()}, {"configuration", {{"historyLength", -1}}}};
  EXPECT_EQ(send_error(j), "params.configuration.historyLength: must not be negative, got -1");

  j = {{"message", text_message_json()}, {"configuration", {{"historyLength", 2.5}}}};
  EXPECT_EQ(send_error(j), "params.configuration.historyLength: expected an integer, got 2.5");

  j = {{"message", text_message_json()}, {"configuration", {{"historyLength", 4294967296ull}}}};
  EXPECT_EQ(send_error(j), "params.configuration.historyLength: too large: 4294967296");

  j = {{"message", text_message_json()},
       {"configuration", {{"acceptedOutputModes", {"text/plain", 3}}}}};
  EXPECT_EQ(send_error(j), "params.configuration.acceptedOutputModes[1]: expected a string, got 3");

  // Metadata is not kept, but must still be what the spec says: an object.
  j = {{"message", text_message_json()}};
  j["message"]["metadata"] = 7;
  EXPECT_EQ(send_error(j), "params.message.metadata: expected an object, got 7");
  j = {{"message", text_message_json()}, {"metadata", json::array()}};
  EXPECT_EQ(send_error(j), "params.metadata: expected an object, got an array");
}

TEST(V03Reply, TaskOrMessage) {
  std::string err;
  const auto task = send_result_from_json(minimal_task_json(), &err);
  ASSERT_TRUE(task) << err;
  ASSERT_TRUE(std::holds_alternative<Task>(*task));
  EXPECT_EQ(std::get<Task>(*task).id, "t-1");

  // §2.4: "A direct reply instead of a task".
  const auto message = send_result_from_json(json::parse(R"({"kind":"message",
      "messageId":"m-7","role":"agent","contextId":"c-1",
      "parts":[{"kind":"text","text":"42"},{"kind":"data","data":{"n":42}}]})"),
                                             &err);
  ASSERT_TRUE(message) << err;
  ASSERT_TRUE(std::holds_alternative<Message>(*message));
  EXPECT_EQ(std::get<Message>(*message).parts,
            (std::vector<Part>{Part{"42"}, data_part(R"({"n":42})")}));
  EXPECT_EQ(std::get<Message>(*message).context_id, "c-1");
}

// Without `kind`, a `status` member makes it a task.
TEST(V03Reply, WithoutKind) {
  json t = minimal_task_json();
  t.erase("kind");
  json m = text_message_json();
  m.erase("kind");
  std::string err;
  const auto task = send_result_from_json(t, &err);
  ASSERT_TRUE(task) << err;
  EXPECT_TRUE(std::holds_alternative<Task>(*task));
  const auto message = send_result_from_json(m, &err);
  ASSERT_TRUE(message) << err;
  EXPECT_TRUE(std::holds_alternative<Message>(*message));
}

TEST(V03Reply, MalformedNamesThePath) {
  std::string err;
  EXPECT_FALSE(send_result_from_json(json(nullptr), &err));
  EXPECT_EQ(err, "result: expected an object, got null");

  json j = minimal_task_json();
  j["kind"] = "status-update";
  EXPECT_FALSE(send_result_from_json(j, &err));
  EXPECT_EQ(err, "result.kind: expected \"task\" or \"message\", got \"status-update\"");

  j = minimal_task_json();
  j["status"]["state"] = 3;
  EXPECT_FALSE(send_result_from_json(j, &err));
  EXPECT_EQ(err, "result.status.state: expected a string, got 3");

  j = text_message_json();
  j.erase("parts");
  EXPECT_FALSE(send_result_from_json(j, &err));
  EXPECT_EQ(err, "result.parts: missing");
}

// --- tasks/get and tasks/cancel params -------------------------------------------------

TEST(V03TaskParams, Query) {
  EXPECT_EQ(task_query_params_to_json({"t-1", std::nullopt}), json::parse(R"({"id":"t-1"})"));
  EXPECT_EQ(task_query_params_to_json({"t-1", 0}),
            json::parse(R"({"id":"t-1","historyLength":0})"));

  std::string err;
  const auto q = task_query_params_from_json(
      json::parse(R"({"id":"t-1","historyLength":2,"metadata":{}})"), &err);
  ASSERT_TRUE(q) << err;
  EXPECT_EQ(q->id, "t-1");
  EXPECT_EQ(q->history_length, 2);

  EXPECT_FALSE(task_query_params_from_json(json::parse(R"({"id":""})"), &err));
  EXPECT_EQ(err, "params.id: must not be empty");
  EXPECT_FALSE(task_query_params_from_json(json::parse(R"({"historyLength":1})"), &err));
  EXPECT_EQ(err, "params.id: missing");
  EXPECT_FALSE(task_query_params_from_json(json::parse(R"({"id":"t","historyLength":-5})"), &err));
  EXPECT_EQ(err, "params.historyLength: must not be negative, got -5");
  EXPECT_FALSE(task_query_params_from_json(json::parse(R"({"id":"t","historyLength":"3"})"), &err));
  EXPECT_EQ(err, "params.historyLength: expected an integer, got \"3\"");
}

TEST(V03TaskParams, Cancel) {
  EXPECT_EQ(task_id_params_to_json("t-1"), json::parse(R"({"id":"t-1"})"));
  std::string err;
  const auto id = task_id_params_from_json(json::parse(R"({"id":"t-1","metadata":{}})"), &err);
  ASSERT_TRUE(id) << err;
  EXPECT_EQ(*id, "t-1");
  EXPECT_FALSE(task_id_params_from_json(json::parse(R"({"id":7})"), &err));
  EXPECT_EQ(err, "params.id: expected a string, got 7");
  EXPECT_FALSE(task_id_params_from_json(json(nullptr), &err));
  EXPECT_EQ(err, "params: expected an object, got null");
}

// --- historyLength ---------------------------------------------------------------------

TEST(V03History, TrimKeepsTheNewest) {
  std::vector<Message> all;
  for (const char* text : {"1", "2", "3"}) all.push_back(text_message(Role::kUser, text));

  auto h = all;
  trim_history(&h, std::nullopt);
  EXPECT_EQ(h, all);

  h = all;
  trim_history(&h, 5);
  EXPECT_EQ(h, all);

  h = all;
  trim_history(&h, 2);
  ASSERT_EQ(h.size(), 2u);
  EXPECT_EQ(message_text(h[0]), "2");
  EXPECT_EQ(message_text(h[1]), "3");

  h = all;
  trim_history(&h, 0);
  EXPECT_TRUE(h.empty());
}

// --- errors ----------------------------------------------------------------------------

TEST(V03Errors, CodesAndStandardMessages) {
  EXPECT_EQ(error_code::kTaskNotFound, -32001);
  EXPECT_EQ(error_code::kTaskNotCancelable, -32002);
  EXPECT_EQ(error_code::kPushNotificationNotSupported, -32003);
  EXPECT_EQ(error_code::kUnsupportedOperation, -32004);
  EXPECT_EQ(error_code::kContentTypeNotSupported, -32005);
  EXPECT_EQ(error_code::kInvalidAgentResponse, -32006);
  EXPECT_EQ(error_code::kAuthenticatedExtendedCardNotConfigured, -32007);

  EXPECT_STREQ(error_message(-32700), "Invalid JSON payload");
  EXPECT_STREQ(error_message(-32600), "Request payload validation error");
  EXPECT_STREQ(error_message(-32601), "Method not found");
  EXPECT_STREQ(error_message(-32602), "Invalid parameters");
  EXPECT_STREQ(error_message(-32603), "Internal error");
  EXPECT_STREQ(error_message(-32001), "Task not found");
  EXPECT_STREQ(error_message(-32002), "Task cannot be canceled");
  EXPECT_STREQ(error_message(-32003), "Push Notification is not supported");
  EXPECT_STREQ(error_message(-32004), "This operation is not supported");
  EXPECT_STREQ(error_message(-32005), "Incompatible content types");
  EXPECT_STREQ(error_message(-32006), "Invalid agent response");
  EXPECT_STREQ(error_message(-32007), "Authenticated Extended Card not configured");
  EXPECT_STREQ(error_message(-32009), "Unknown error");  // v1.0 only
}

}  // namespace
}  // namespace constellation::a2a::v03

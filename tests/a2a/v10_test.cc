#include "constellation/a2a/v10.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace constellation::a2a::v10 {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

const fs::path kFixtures = fs::path(CONSTELLATION_TEST_DATA) / "a2a-js-wire";

// One recorded exchange of the JS SDK (tests/data/a2a-js-wire/README.md).
struct Exchange {
  std::string name;
  json request;
  json response;
};

std::vector<Exchange> load_exchanges(std::string_view prefix) {
  std::vector<Exchange> out;
  for (const auto& entry : fs::directory_iterator(kFixtures)) {
    const std::string name = entry.path().filename().string();
    if (!name.starts_with(prefix) || !name.ends_with(".json")) continue;
    std::ifstream in(entry.path());
    std::stringstream text;
    text << in.rdbuf();
    const json j = json::parse(text.str());
    out.push_back({name, j.at("request"), j.at("response")});
  }
  std::sort(out.begin(), out.end(),
            [](const Exchange& a, const Exchange& b) { return a.name < b.name; });
  EXPECT_FALSE(out.empty()) << "no " << prefix << "* fixtures in " << kFixtures;
  return out;
}

// The A2A-Version request header ("" when absent); header names are case-insensitive.
std::string version_header(const Exchange& e) {
  for (const auto& [name, value] : e.request.at("headers").items()) {
    std::string lower = name;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (lower == "a2a-version") return value.get<std::string>();
  }
  return "";
}

// Drops what we do not model (metadata, mediaType) and ProtoJSON defaults (false, "",
// {}, []), so a fixture and our encoding compare by meaning. Numbers stay: historyLength
// 0 means something.
json normalized(const json& j) {
  if (j.is_array()) {
    json out = json::array();
    for (const json& item : j) out.push_back(normalized(item));
    return out;
  }
  if (!j.is_object()) return j;
  json out = json::object();
  for (const auto& [key, value] : j.items()) {
    if (key == "metadata" || key == "mediaType") continue;
    json v = normalized(value);
    const bool is_default = v == false || v == "" || (v.is_structured() && v.empty());
    if (!is_default) out[key] = std::move(v);
  }
  return out;
}

Timestamp ts(std::string_view text) {
  const auto t = parse_timestamp(text, nullptr);
  EXPECT_TRUE(t.has_value()) << text;
  return t.value_or(Timestamp{});
}

Message agent_message(std::string id, std::string text) {
  Message m = text_message(Role::kAgent, std::move(text));
  m.message_id = std::move(id);
  return m;
}

// A task with every field we model set.
Task full_task() {
  Task task;
  task.id = "t-9";
  task.context_id = "c-1";
  task.state = TaskState::kCompleted;
  task.updated_at = ts("2026-05-01T10:00:00.000Z");
  Message question = text_message(Role::kUser, "hello");
  question.message_id = "m-1";
  question.context_id = "c-1";
  question.task_id = "t-9";
  task.history = {question, agent_message("m-2", "hi there")};
  task.artifacts = {Artifact{"a-1", "echo", {Part{"hi "}, Part{"there"}}}};
  task.status_message = agent_message("m-2", "hi there");
  return task;
}

std::string error_of(const std::function<bool(std::string*)>& decode) {
  std::string err;
  EXPECT_FALSE(decode(&err)) << "decoded although malformed";
  return err;
}

// ---- fixtures: requests ---------------------------------------------------------------

// Every v1 request the JS client sent decodes, and our encoding of the decoded value
// means the same as what it sent.
TEST(V10Fixtures, EveryRequestDecodesAndReencodes) {
  std::set<std::string> methods;
  for (const Exchange& e : load_exchanges("v1-")) {
    SCOPED_TRACE(e.name);
    if (!e.request.contains("body")) continue;  // the card GET
    const json& body = e.request.at("body");
    const std::string method = body.at("method");
    const json& params = body.at("params");
    methods.insert(method);
    std::string err;
    json encoded;
    if (method == kSendMessage || method == kSendStreamingMessage) {
      const auto p = send_message_params_from_json(params, &err);
      ASSERT_TRUE(p) << err;
      encoded = send_message_params_to_json(*p);
    } else if (method == kGetTask) {
      const auto p = get_task_params_from_json(params, &err);
      ASSERT_TRUE(p) << err;
      encoded = get_task_params_to_json(*p);
    } else if (method == kCancelTask || method == kSubscribeToTask) {
      // SubscribeToTaskRequest has CancelTaskRequest's shape: {id, tenant?}.
      const auto p = cancel_task_params_from_json(params, &err);
      ASSERT_TRUE(p) << err;
      encoded = cancel_task_params_to_json(*p);
    } else if (method == kListTasks) {
      const auto p = list_tasks_params_from_json(params, &err);
      ASSERT_TRUE(p) << err;
      encoded = list_tasks_params_to_json(*p);
    } else {
      ADD_FAILURE() << "unexpected method " << method;
      continue;
    }
    EXPECT_EQ(normalized(encoded), normalized(params));
    EXPECT_TRUE(is_v10_method(method));
  }
  EXPECT_EQ(methods, (std::set<std::string>{"CancelTask", "GetTask", "ListTasks", "SendMessage",
                                            "SendStreamingMessage", "SubscribeToTask"}));
}

TEST(V10Fixtures, SendMessageParamsCarryTheConfiguration) {
  for (const Exchange& e : load_exchanges("v1-sendNonBlocking")) {
    std::string err;
    const auto p = send_message_params_from_json(e.request["body"]["params"], &err);
    ASSERT_TRUE(p) << err;
    EXPECT_TRUE(p->configuration.return_immediately);
    EXPECT_EQ(p->configuration.accepted_output_modes, std::vector<std::string>{"text/plain"});
    EXPECT_FALSE(p->configuration.history_length);
    EXPECT_EQ(p->message.message_id,
              "test-resubscribe-message-id-bf5378bf-32bd-43c5-900d-ec2fba570676");
    EXPECT_EQ(p->message.role, Role::kUser);
    EXPECT_EQ(message_text(p->message), "cancel me (v1)");
  }
}

TEST(V10Fixtures, ListTasksParams) {
  for (const Exchange& e : load_exchanges("v1-listTasks")) {
    std::string err;
    const auto p = list_tasks_params_from_json(e.request["body"]["params"], &err);
    ASSERT_TRUE(p) << err;
    EXPECT_EQ(p->page_size, 2);
    EXPECT_EQ(p->history_length, 0);
    EXPECT_FALSE(p->include_artifacts);
    EXPECT_FALSE(p->status);
  }
}

// ---- fixtures: results ----------------------------------------------------------------

// Every v1 result decodes; re-encoded, it means the same (minus metadata and mediaType).
TEST(V10Fixtures, EveryResultDecodesAndReencodes) {
  int decoded = 0;
  for (const Exchange& e : load_exchanges("v1-")) {
    SCOPED_TRACE(e.name);
    if (!e.request.contains("body")) continue;
    const std::string method = e.request["body"].at("method");
    const json& body = e.response.at("body");
    if (body.is_object() && body.contains("error")) continue;
    std::string err;
    if (method == kSendMessage) {
      const auto r = send_message_result_from_json(body.at("result"), &err);
      ASSERT_TRUE(r) << err;
      EXPECT_EQ(normalized(send_message_result_to_json(*r)), normalized(body["result"]));
    } else if (method == kGetTask || method == kCancelTask) {
      const auto t = task_from_json(body.at("result"), &err);
      ASSERT_TRUE(t) << err;
      EXPECT_EQ(normalized(task_to_json(*t)), normalized(body["result"]));
    } else if (method == kListTasks) {
      const auto r = list_tasks_result_from_json(body.at("result"), &err);
      ASSERT_TRUE(r) << err;
      EXPECT_EQ(normalized(list_tasks_result_to_json(*r)), normalized(body["result"]));
    } else {
      // SSE: an array of events; only the Task events are modelled so far.
      ASSERT_TRUE(body.is_array());
      for (const json& event : body) {
        const json& result = event.at("data").at("result");
        if (!result.contains("task")) continue;
        const auto r = send_message_result_from_json(result, &err);
        ASSERT_TRUE(r) << err;
        EXPECT_EQ(normalized(send_message_result_to_json(*r)), normalized(result));
      }
    }
    ++decoded;
  }
  EXPECT_EQ(decoded, 7);
}

TEST(V10Fixtures, BlockingSendAnswersTheCompletedTask) {
  for (const Exchange& e : load_exchanges("v1-send.")) {
    std::string err;
    const auto r = send_message_result_from_json(e.response["body"]["result"], &err);
    ASSERT_TRUE(r) << err;
    const Task* task = std::get_if<Task>(&*r);
    ASSERT_NE(task, nullptr);
    EXPECT_EQ(task->id, "b409c93b-7a8c-4fd6-bd05-b5f20b90fa4b");
    EXPECT_EQ(task->context_id, "aabd05b2-8cab-4a07-b133-b0d6d997596c");
    EXPECT_EQ(task->state, TaskState::kCompleted);
    EXPECT_EQ(format_timestamp(task->updated_at), "2026-11-25T12:59:01.963Z");
    ASSERT_TRUE(task->status_message);
    EXPECT_EQ(task->status_message->role, Role::kAgent);
    EXPECT_EQ(message_text(*task->status_message), "hello from v1");
    ASSERT_EQ(task->history.size(), 2u);
    EXPECT_EQ(task->history[0].task_id, task->id);
    ASSERT_EQ(task->artifacts.size(), 1u);
    EXPECT_EQ(task->artifacts[0],
              (Artifact{"463f9e1e-ffab-40f1-b819-a5fe3138acc8", "echo", {Part{"hello from v1"}}}));
  }
}

TEST(V10Fixtures, ListTasksResult) {
  for (const Exchange& e : load_exchanges("v1-listTasks")) {
    std::string err;
    const auto r = list_tasks_result_from_json(e.response["body"]["result"], &err);
    ASSERT_TRUE(r) << err;
    ASSERT_EQ(r->tasks.size(), 2u);
    EXPECT_EQ(r->tasks[0].state, TaskState::kCanceled);
    EXPECT_TRUE(r->tasks[0].history.empty());
    EXPECT_EQ(r->page_size, 2);
    EXPECT_EQ(r->total_size, 115);
    EXPECT_EQ(
        r->next_page_token,
        "MjAyNi0xMS0yNVQxMjo1OTowMS45NjNafGI0MDljOTNiLTdhOGMtNGZkNi1iZDA1LWI1ZjIwYjkwZmE0Yg==");
  }
}

// ---- fixtures: errors -----------------------------------------------------------------

// For every error the JS server sent, our `data` for the same code is identical —
// including no data at all for -32700 and -32601.
TEST(V10Fixtures, ErrorDataMatchesTheSdk) {
  int with_data = 0;
  int without_data = 0;
  for (const std::string prefix : {"v1-", "raw-"}) {
    for (const Exchange& e : load_exchanges(prefix)) {
      SCOPED_TRACE(e.name);
      const json& body = e.response.at("body");
      if (!body.is_object() || !body.contains("error")) continue;
      const json& error = body["error"];
      const json data = error_data(error.at("code").get<int>());
      if (error.contains("data")) {
        EXPECT_EQ(data, error["data"]);
        ++with_data;
      } else {
        EXPECT_TRUE(data.is_null()) << data;
        ++without_data;
      }
    }
  }
  EXPECT_EQ(with_data, 9);
  EXPECT_EQ(without_data, 4);
}

TEST(V10Errors, DataWithMetadataAsTheSpecShows) {
  // a2a-wire.md §3.7
  const json expected = json::parse(
      R"([{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"TASK_NOT_FOUND",
           "domain":"a2a-protocol.org","metadata":{"taskId":"t-404"}}])");
  EXPECT_EQ(error_data(code::kTaskNotFound, {{"taskId", "t-404"}}), expected);
}

TEST(V10Errors, Reasons) {
  EXPECT_STREQ(error_reason(-32001), "TASK_NOT_FOUND");
  EXPECT_STREQ(error_reason(-32002), "TASK_NOT_CANCELABLE");
  EXPECT_STREQ(error_reason(-32003), "PUSH_NOTIFICATION_NOT_SUPPORTED");
  EXPECT_STREQ(error_reason(-32004), "UNSUPPORTED_OPERATION");
  EXPECT_STREQ(error_reason(-32005), "CONTENT_TYPE_NOT_SUPPORTED");
  EXPECT_STREQ(error_reason(-32006), "INVALID_AGENT_RESPONSE");
  EXPECT_STREQ(error_reason(-32007), "EXTENDED_AGENT_CARD_NOT_CONFIGURED");
  EXPECT_STREQ(error_reason(-32008), "EXTENSION_SUPPORT_REQUIRED");
  EXPECT_STREQ(error_reason(-32009), "VERSION_NOT_SUPPORTED");
  EXPECT_STREQ(error_reason(-32602), "INVALID_PARAMS");
  EXPECT_EQ(error_reason(-32603), nullptr);
  EXPECT_EQ(error_reason(-32600), nullptr);
  EXPECT_EQ(error_reason(0), nullptr);
}

// ---- version negotiation --------------------------------------------------------------

TEST(V10Version, FixtureHeaders) {
  for (const Exchange& e : load_exchanges("raw-")) {
    SCOPED_TRACE(e.name);
    const std::string header = version_header(e);
    std::string err;
    const auto version = negotiate_version(header, &err);
    const json& body = e.response.at("body");
    const bool refused =
        body.is_object() && body.contains("error") && body["error"]["code"] == -32009;
    if (refused) {
      EXPECT_FALSE(version);
      // Word for word what the JS SDK answers.
      EXPECT_EQ(err, body["error"]["message"]);
    } else if (header.empty()) {
      EXPECT_EQ(version, ProtocolVersion::kV03);
    } else {
      EXPECT_EQ(version, ProtocolVersion::kV10);
    }
  }
}

TEST(V10Version, Cases) {
  const auto ok = [](std::string_view header) { return negotiate_version(header, nullptr); };
  EXPECT_EQ(ok(""), ProtocolVersion::kV03);
  EXPECT_EQ(ok("  "), ProtocolVersion::kV03);
  EXPECT_EQ(ok("0.3"), ProtocolVersion::kV03);
  EXPECT_EQ(ok("0.3.0"), ProtocolVersion::kV03);
  EXPECT_EQ(ok("1.0"), ProtocolVersion::kV10);
  EXPECT_EQ(ok(" 1.0 "), ProtocolVersion::kV10);
  EXPECT_EQ(ok("1.0.2"), ProtocolVersion::kV10);
  for (const char* bad :
       {"2.0", "1", "1.1", "1.00", "1.0.", "1.0.x", "0.2", "0.30", "v1.0", "abc"}) {
    EXPECT_FALSE(ok(bad)) << bad;
  }
}

TEST(V10Version, UnprintableHeaderIsSanitized) {
  std::string err;
  EXPECT_FALSE(negotiate_version("9\x01\xff", &err));
  EXPECT_EQ(err,
            "The requested A2A protocol version '9?"
            "?' is not supported. Supported versions: 1.0, "
            "0.3");
  EXPECT_FALSE(negotiate_version(std::string(100, '7'), &err));
  EXPECT_EQ(err, "The requested A2A protocol version '" + std::string(40, '7') +
                     "...' is not supported. Supported versions: 1.0, 0.3");
}

TEST(V10Version, Methods) {
  EXPECT_TRUE(is_v10_method("SendMessage"));
  EXPECT_TRUE(is_v10_method("GetExtendedAgentCard"));
  EXPECT_FALSE(is_v10_method("message/send"));
  EXPECT_FALSE(is_v10_method("tasks/get"));
  EXPECT_FALSE(is_v10_method("sendMessage"));
}

// ---- encoding -------------------------------------------------------------------------

TEST(V10Encode, TaskWithEverything) {
  const json expected = json::parse(R"({"id":"t-9","contextId":"c-1",
    "status":{"state":"TASK_STATE_COMPLETED","timestamp":"2026-05-01T10:00:00.000Z",
              "message":{"messageId":"m-2","role":"ROLE_AGENT","parts":[{"text":"hi there"}]}},
    "history":[{"messageId":"m-1","contextId":"c-1","taskId":"t-9","role":"ROLE_USER",
                "parts":[{"text":"hello"}]},
               {"messageId":"m-2","role":"ROLE_AGENT","parts":[{"text":"hi there"}]}],
    "artifacts":[{"artifactId":"a-1","name":"echo","parts":[{"text":"hi "},{"text":"there"}]}]})");
  EXPECT_EQ(task_to_json(full_task()), expected);
}

// Fields we do not have are not written: no empty contextId, history, artifacts,
// status message or timestamp.
TEST(V10Encode, MinimalTask) {
  Task task;
  task.id = "t-1";
  task.state = TaskState::kWorking;
  EXPECT_EQ(task_to_json(task),
            json::parse(R"({"id":"t-1","status":{"state":"TASK_STATE_WORKING"}})"));
  task.state = TaskState::kUnknown;
  EXPECT_EQ(task_to_json(task)["status"]["state"], "TASK_STATE_UNSPECIFIED");
}

TEST(V10Encode, SendMessageRequestAsTheSpecShows) {
  // a2a-wire.md §3.5
  SendMessageParams params;
  params.message = text_message(Role::kUser, "hello");
  params.message.message_id = "m-1";
  params.configuration.accepted_output_modes = {"text/plain"};
  params.configuration.history_length = 0;
  EXPECT_EQ(send_message_params_to_json(params), json::parse(R"(
    {"message":{"messageId":"m-1","role":"ROLE_USER","parts":[{"text":"hello"}]},
     "configuration":{"acceptedOutputModes":["text/plain"],"historyLength":0}})"));

  params.configuration = {};
  params.configuration.return_immediately = true;
  params.tenant = "acme";
  EXPECT_EQ(send_message_params_to_json(params), json::parse(R"(
    {"message":{"messageId":"m-1","role":"ROLE_USER","parts":[{"text":"hello"}]},
     "configuration":{"returnImmediately":true},"tenant":"acme"})"));

  params.configuration = {};
  EXPECT_FALSE(send_message_params_to_json(params).contains("configuration"));
}

TEST(V10Encode, ListTasksAsTheSpecShows) {
  // a2a-wire.md §3.5
  ListTasksParams params;
  params.context_id = "c-1";
  params.status = TaskState::kWorking;
  params.page_size = 50;
  EXPECT_EQ(list_tasks_params_to_json(params),
            json::parse(R"({"contextId":"c-1","status":"TASK_STATE_WORKING","pageSize":50})"));

  Task task;
  task.id = "t-9";
  task.context_id = "c-1";
  task.state = TaskState::kWorking;
  task.updated_at = ts("2026-05-01T10:00:00.000Z");
  EXPECT_EQ(list_tasks_result_to_json(ListTasksResult{{task}, "", 50, 1}), json::parse(R"(
    {"tasks":[{"id":"t-9","contextId":"c-1",
      "status":{"state":"TASK_STATE_WORKING","timestamp":"2026-05-01T10:00:00.000Z"}}],
     "nextPageToken":"","pageSize":50,"totalSize":1})"));
  // The defaults are written here, and only here.
  EXPECT_EQ(list_tasks_result_to_json({}),
            json::parse(R"({"tasks":[],"nextPageToken":"","pageSize":0,"totalSize":0})"));
}

TEST(V10Encode, GetAndCancelParams) {
  EXPECT_EQ(get_task_params_to_json({"t-1", 3, ""}),
            json::parse(R"({"id":"t-1","historyLength":3})"));
  EXPECT_EQ(get_task_params_to_json({"t-1", std::nullopt, "acme"}),
            json::parse(R"({"id":"t-1","tenant":"acme"})"));
  EXPECT_EQ(cancel_task_params_to_json({"t-1", ""}), json::parse(R"({"id":"t-1"})"));
}

TEST(V10Encode, SendMessageResultIsWrapped) {
  EXPECT_TRUE(send_message_result_to_json(full_task()).contains("task"));
  const json m = send_message_result_to_json(agent_message("m-3", "done"));
  EXPECT_EQ(m, json::parse(R"({"message":{"messageId":"m-3","role":"ROLE_AGENT",
                                          "parts":[{"text":"done"}]}})"));
}

TEST(V10Encode, NewMessageIdsAreUuids) {
  const std::string a = new_message_id();
  EXPECT_EQ(a.size(), 36u);
  EXPECT_NE(a, new_message_id());
}

// ---- round trips ----------------------------------------------------------------------

TEST(V10RoundTrip, TaskWithArtifactsAndStatusMessage) {
  const Task task = full_task();
  std::string err;
  const auto back = task_from_json(task_to_json(task), &err);
  ASSERT_TRUE(back) << err;
  EXPECT_EQ(back->id, task.id);
  EXPECT_EQ(back->context_id, task.context_id);
  EXPECT_EQ(back->state, task.state);
  EXPECT_EQ(back->updated_at, task.updated_at);
  EXPECT_EQ(back->history, task.history);
  EXPECT_EQ(back->artifacts, task.artifacts);
  EXPECT_EQ(back->status_message, task.status_message);
}

TEST(V10RoundTrip, EveryState) {
  for (TaskState s : {TaskState::kSubmitted, TaskState::kWorking, TaskState::kInputRequired,
                      TaskState::kCompleted, TaskState::kCanceled, TaskState::kFailed,
                      TaskState::kRejected, TaskState::kAuthRequired, TaskState::kUnknown}) {
    Task task;
    task.id = "t";
    task.state = s;
    const auto back = task_from_json(task_to_json(task), nullptr);
    ASSERT_TRUE(back) << state_name(s);
    EXPECT_EQ(back->state, s) << state_name(s);
    EXPECT_EQ(back->updated_at, Timestamp{});
  }
}

TEST(V10RoundTrip, Params) {
  SendMessageParams send;
  send.message = text_message(Role::kUser, "again");
  send.message.message_id = "m-7";
  send.message.task_id = "t-9";
  send.message.context_id = "c-1";
  send.configuration.accepted_output_modes = {"text/plain", "text/markdown"};
  send.configuration.history_length = 5;
  send.configuration.return_immediately = true;
  send.tenant = "acme";
  const auto send_back = send_message_params_from_json(send_message_params_to_json(send), nullptr);
  ASSERT_TRUE(send_back);
  EXPECT_EQ(send_back->message, send.message);
  EXPECT_EQ(send_back->configuration, send.configuration);
  EXPECT_EQ(send_back->tenant, "acme");

  ListTasksParams list;
  list.context_id = "c-1";
  list.status = TaskState::kInputRequired;
  list.page_size = 100;
  list.page_token = "tok";
  list.history_length = 0;
  list.status_timestamp_after = ts("2026-05-01T10:00:00.250Z");
  list.include_artifacts = true;
  list.tenant = "acme";
  EXPECT_EQ(list_tasks_params_from_json(list_tasks_params_to_json(list), nullptr), list);

  const GetTaskParams get{"t-1", 0, "acme"};
  EXPECT_EQ(get_task_params_from_json(get_task_params_to_json(get), nullptr), get);
  const CancelTaskParams cancel{"t-1", "acme"};
  EXPECT_EQ(cancel_task_params_from_json(cancel_task_params_to_json(cancel), nullptr), cancel);

  const SendMessageResult message = agent_message("m-3", "done");
  const auto result_back =
      send_message_result_from_json(send_message_result_to_json(message), nullptr);
  ASSERT_TRUE(result_back);
  EXPECT_EQ(std::get<Message>(*result_back), std::get<Message>(message));
}

// ---- lenient reading (§3.2) -----------------------------------------------------------

TEST(V10Lenient, UnknownFieldsAreIgnored) {
  const auto m = message_from_json(json::parse(R"({"messageId":"m","role":"ROLE_USER",
      "parts":[{"text":"x","mediaType":"text/plain","metadata":{"a":1},"filename":"f"}],
      "metadata":{"k":"v"},"extensions":["urn:x"],"referenceTaskIds":["t-0"],"future":42})"),
                                   nullptr);
  ASSERT_TRUE(m);
  EXPECT_EQ(message_text(*m), "x");

  std::string err;
  const auto p = send_message_params_from_json(json::parse(R"({
      "message":{"messageId":"m","role":"ROLE_USER","parts":[{"text":"x"}]},
      "configuration":{"blocking":true,"somethingNew":{}},"metadata":{},"extra":[1]})"),
                                               &err);
  ASSERT_TRUE(p) << err;
  EXPECT_EQ(p->configuration, SendConfiguration{});
}

TEST(V10Lenient, SnakeCaseNamesEnumNumbersAndNulls) {
  std::string err;
  const auto t = task_from_json(json::parse(R"({"id":"t","context_id":"c","contextId":null,
      "status":{"state":6,"message":null,"timestamp":"2026-05-01T10:00:00Z"},
      "history":[{"message_id":"m","task_id":"t","role":2,"parts":[{"text":"q"}]}],
      "artifacts":[{"artifact_id":"a","parts":[{"text":"r"}]}]})"),
                                &err);
  ASSERT_TRUE(t) << err;
  EXPECT_EQ(t->context_id, "c");
  EXPECT_EQ(t->state, TaskState::kInputRequired);
  EXPECT_FALSE(t->status_message);
  ASSERT_EQ(t->history.size(), 1u);
  EXPECT_EQ(t->history[0].message_id, "m");
  EXPECT_EQ(t->history[0].task_id, "t");
  EXPECT_EQ(t->history[0].role, Role::kAgent);
  EXPECT_EQ(t->artifacts.at(0).artifact_id, "a");

  const auto l = list_tasks_params_from_json(
      json::parse(R"({"page_size":"20","history_length":1.0,"status":"TASK_STATE_UNSPECIFIED",
                      "status_timestamp_after":"2026-05-01T10:00:00Z","include_artifacts":true})"),
      &err);
  ASSERT_TRUE(l) << err;
  EXPECT_EQ(l->page_size, 20);
  EXPECT_EQ(l->history_length, 1);
  EXPECT_FALSE(l->status);  // UNSPECIFIED = no filter
  EXPECT_EQ(l->status_timestamp_after, ts("2026-05-01T10:00:00Z"));
  EXPECT_TRUE(l->include_artifacts);
}

TEST(V10Lenient, AbsentDefaults) {
  std::string err;
  // ProtoJSON leaves the zero enum out; absent history/artifacts/timestamp are defaults.
  const auto t = task_from_json(json::parse(R"({"id":"t","status":{}})"), &err);
  ASSERT_TRUE(t) << err;
  EXPECT_EQ(t->state, TaskState::kUnknown);
  EXPECT_EQ(t->updated_at, Timestamp{});
  EXPECT_TRUE(t->history.empty());
  EXPECT_TRUE(t->artifacts.empty());

  const auto l = list_tasks_params_from_json(nullptr, &err);
  ASSERT_TRUE(l) << err;
  EXPECT_EQ(*l, ListTasksParams{});
  const auto r = list_tasks_result_from_json(json::object(), &err);
  ASSERT_TRUE(r) << err;
  EXPECT_TRUE(r->tasks.empty());
  EXPECT_EQ(r->page_size, 0);

  const auto p = send_message_params_from_json(
      json::parse(R"({"message":{"messageId":"m","role":"ROLE_USER","parts":[{"text":""}]},
                      "configuration":null})"),
      &err);
  ASSERT_TRUE(p) << err;
  EXPECT_EQ(p->message.parts, std::vector<Part>{Part{""}});
}

TEST(V10Push, PushConfigRoundTrips) {
  std::string err;
  const auto p = send_message_params_from_json(json::parse(R"({
      "message":{"messageId":"m","role":"ROLE_USER","parts":[{"text":"x"}]},
      "configuration":{"taskPushNotificationConfig":{"url":"http://10.0.0.2:7777/push",
        "token":"tok-1","id":"c1","authentication":{"scheme":"Bearer","credentials":"s3"}}}})"),
                                               &err);
  ASSERT_TRUE(p) << err;
  ASSERT_TRUE(p->configuration.push);
  EXPECT_EQ(*p->configuration.push,
            (PushConfig{"http://10.0.0.2:7777/push", "tok-1", "c1", "Bearer", "s3"}));
  EXPECT_EQ(authorization_value(*p->configuration.push), "Bearer s3");
  const json back = send_message_params_to_json(*p);
  EXPECT_EQ(back["configuration"]["taskPushNotificationConfig"],
            json::parse(R"({"url":"http://10.0.0.2:7777/push","token":"tok-1","id":"c1",
                            "authentication":{"scheme":"Bearer","credentials":"s3"}})"));
}

TEST(V10Push, UndeliverableCallbacksAreRefused) {
  const auto refusal = [](const char* config) {
    std::string err;
    const auto p = send_message_params_from_json(
        json::parse(std::string(R"({"message":{"messageId":"m","role":"ROLE_USER","parts":[{"text":"x"}]},
                    "configuration":{"taskPushNotificationConfig":)") + config + "}}"),
        &err);
    EXPECT_FALSE(p) << config;
    return err;
  };
  EXPECT_EQ(refusal(R"({"url":"https://h/hook"})"),
            "params.configuration.taskPushNotificationConfig.url: must be an http:// URL (this "
            "agent delivers over plain HTTP only), got \"https://h/hook\"");
  EXPECT_EQ(refusal(R"({"token":"t"})"), "params.configuration.taskPushNotificationConfig.url: missing");
  EXPECT_EQ(refusal(R"({"url":"http:///x"})"),
            "params.configuration.taskPushNotificationConfig.url: has no host, got \"http:///x\"");
  EXPECT_EQ(refusal(R"({"url":"http://h/","token":7})"),
            "params.configuration.taskPushNotificationConfig.token: expected a string, got 7");
  EXPECT_EQ(refusal(R"("http://h/")"),
            "params.configuration.taskPushNotificationConfig: expected an object, got \"http://h/\"");
}

// ---- malformed input: the whole error text --------------------------------------------

TEST(V10Malformed, SendMessageParams) {
  const auto send_error = [](const char* text) {
    return error_of([&](std::string* err) {
      return send_message_params_from_json(json::parse(text), err).has_value();
    });
  };
  // The fixture raw-invalidParams: the JS SDK says "message.messageId is required."
  EXPECT_EQ(send_error(R"({"message":{"role":"ROLE_USER"}})"), "params.message.messageId: missing");
  EXPECT_EQ(send_error(R"([1])"), "params: expected an object, got an array");
  EXPECT_EQ(send_error(R"({})"), "params.message: missing");
  EXPECT_EQ(send_error(R"({"message":"hi"})"), "params.message: expected an object, got \"hi\"");
  EXPECT_EQ(send_error(R"({"message":{"messageId":"","role":"ROLE_USER","parts":[]}})"),
            "params.message.messageId: must not be empty");
  EXPECT_EQ(send_error(R"({"message":{"messageId":"m","role":"user","parts":[{"text":"x"}]}})"),
            "params.message.role: expected \"ROLE_USER\" or \"ROLE_AGENT\", got \"user\"");
  EXPECT_EQ(send_error(R"({"message":{"messageId":"m","role":0,"parts":[{"text":"x"}]}})"),
            "params.message.role: expected \"ROLE_USER\" or \"ROLE_AGENT\", got 0");
  EXPECT_EQ(send_error(R"({"message":{"messageId":"m","role":"ROLE_USER"}})"),
            "params.message.parts: missing");
  EXPECT_EQ(send_error(R"({"message":{"messageId":"m","role":"ROLE_USER","parts":[]}})"),
            "params.message.parts: must not be empty");
  EXPECT_EQ(send_error(R"({"message":{"messageId":"m","role":"ROLE_USER","parts":[{"text":1}]}})"),
            "params.message.parts[0].text: expected a string, got 1");
  EXPECT_EQ(send_error(R"({"message":{"messageId":"m","role":"ROLE_USER","parts":[{}]}})"),
            "params.message.parts[0]: expected one of text, raw, url, data");
  EXPECT_EQ(send_error(R"({"message":{"messageId":"m","role":"ROLE_USER",
                           "parts":[{"text":"a"},{"text":"b","url":"https://h/x"}]}})"),
            "params.message.parts[1]: has both \"text\" and \"url\"; a part carries exactly one");
  EXPECT_EQ(send_error(R"({"message":{"messageId":"m","role":"ROLE_USER","parts":[{"text":"x"}]},
                           "configuration":{"historyLength":-1}})"),
            "params.configuration.historyLength: must be between 0 and 2147483647, got -1");
  EXPECT_EQ(send_error(R"({"message":{"messageId":"m","role":"ROLE_USER","parts":[{"text":"x"}]},
                           "configuration":{"returnImmediately":"yes"}})"),
            "params.configuration.returnImmediately: expected true or false, got \"yes\"");
  EXPECT_EQ(send_error(R"({"message":{"messageId":"m","role":"ROLE_USER","parts":[{"text":"x"}]},
                           "configuration":{"acceptedOutputModes":["text/plain",3]}})"),
            "params.configuration.acceptedOutputModes[1]: expected a string, got 3");
  // Members we do not keep are still checked: a wrong type is a wrong request.
  EXPECT_EQ(send_error(R"({"message":{"messageId":"m","role":"ROLE_USER","parts":[{"text":"x","mediaType":7}]}})"),
            "params.message.parts[0].mediaType: expected a string, got 7");
  EXPECT_EQ(send_error(R"({"message":{"messageId":"m","role":"ROLE_USER","parts":[{"text":"x"}],"metadata":[]}})"),
            "params.message.metadata: expected an object, got an array");
  EXPECT_EQ(send_error(R"({"message":{"messageId":"m","role":"ROLE_USER","parts":[{"text":"x"}]},"metadata":"m"})"),
            "params.metadata: expected an object, got \"m\"");
  // null is absent, as ProtoJSON reads it.
  std::string err;
  EXPECT_TRUE(send_message_params_from_json(
      json::parse(R"({"message":{"messageId":"m","role":"ROLE_USER","parts":[{"text":"x"}],"metadata":null},"metadata":null})"),
      &err))
      << err;
}

// §3.4's parts, both ways: `raw` is base64 on the wire and bytes in the model, `url` a
// link, `data` any JSON value.
TEST(V10Parts, FileAndDataPartsRoundTrip) {
  const json message = json::parse(R"({"messageId":"m","role":"ROLE_USER","parts":[
      {"text":"a"},
      {"raw":"AAH//g==","filename":"in.bin","mediaType":"application/octet-stream"},
      {"url":"https://host/out.png","filename":"out.png","mediaType":"image/png"},
      {"data":{"ticket":"REQ1"},"mediaType":"application/json"},
      {"data":[1,"two"]}]})");
  std::string err;
  const auto m = message_from_json(message, &err);
  ASSERT_TRUE(m) << err;
  ASSERT_EQ(m->parts.size(), 5u);
  EXPECT_EQ(m->parts[1],
            file_part("in.bin", "application/octet-stream", std::string("\0\x01\xff\xfe", 4)));
  EXPECT_EQ(m->parts[2], uri_part("https://host/out.png", "out.png", "image/png"));
  Part data = data_part(R"({"ticket":"REQ1"})");
  data.media_type = "application/json";
  EXPECT_EQ(m->parts[3], data);
  EXPECT_EQ(m->parts[4], data_part(R"([1,"two"])"));
  EXPECT_EQ(message_to_json(*m), message);

  // ProtoJSON readers take URL-safe and unpadded base64 too (§3.2).
  const auto url_safe = message_from_json(
      json::parse(R"({"messageId":"m","role":"ROLE_USER","parts":[{"raw":"AAH__g"}]})"), &err);
  ASSERT_TRUE(url_safe) << err;
  EXPECT_EQ(url_safe->parts[0].bytes, std::string("\0\x01\xff\xfe", 4));
}

TEST(V10Parts, MalformedFilePartsNameThePath) {
  const auto part_error = [](const char* part) {
    json message = json::parse(R"({"messageId":"m","role":"ROLE_USER","parts":[{"text":"a"}]})");
    message["parts"].push_back(json::parse(part));
    std::string err;
    EXPECT_FALSE(message_from_json(message, &err));
    return err;
  };
  EXPECT_EQ(part_error(R"({"raw":"A*"})"),
            "parts[1].raw: not valid base64: unexpected character at offset 1");
  EXPECT_EQ(part_error(R"({"raw":"AAAA","url":"x"})"),
            "parts[1]: has both \"raw\" and \"url\"; a part carries exactly one");
  EXPECT_EQ(part_error(R"({"url":""})"), "parts[1].url: must not be empty");
  EXPECT_EQ(part_error(R"({"url":"x","filename":3})"), "parts[1].filename: expected a string, got 3");
}

TEST(V10PeerOutput, FileAndDataPartsReachTheModel) {
  // A peer's answer with an image beside the text: both reach `wait`.
  const json task = json::parse(R"({"id":"t","status":{"state":"TASK_STATE_COMPLETED",
      "message":{"messageId":"s","role":"ROLE_AGENT","parts":[{"data":{"x":1}},{"text":"done"}]}},
      "artifacts":[{"artifactId":"a","parts":[{"raw":"iVBORw0KGgo=","mediaType":"image/png"},
                                             {"text":"the answer"},{"url":"https://h/x.png"}]}]})");
  std::string err;
  const auto decoded = task_from_json(task, &err);
  ASSERT_TRUE(decoded) << err;
  ASSERT_EQ(decoded->artifacts.size(), 1u);
  EXPECT_EQ(decoded->artifacts[0].parts,
            (std::vector<Part>{file_part("", "image/png", "\x89PNG\r\n\x1a\n"), Part{"the answer"},
                               uri_part("https://h/x.png", "", "")}));
  ASSERT_TRUE(decoded->status_message);
  EXPECT_EQ(decoded->status_message->parts,
            (std::vector<Part>{data_part(R"({"x":1})"), Part{"done"}}));

  const auto result = send_message_result_from_json(json{{"task", task}}, &err);
  ASSERT_TRUE(result) << err;
  EXPECT_EQ(std::get<Task>(*result).artifacts[0].parts.size(), 3u);
  const auto listed = list_tasks_result_from_json(json{{"tasks", json::array({task})}}, &err);
  ASSERT_TRUE(listed) << err;
  EXPECT_EQ(listed->tasks[0].artifacts[0].parts.size(), 3u);
  json bad = task;
  bad["artifacts"][0]["parts"].push_back(json::object());
  EXPECT_FALSE(task_from_json(bad, &err));
  EXPECT_EQ(err, "artifacts[0].parts[3]: expected one of text, raw, url, data");
}

TEST(V10Malformed, Task) {
  const auto task_error = [](const char* text) {
    return error_of(
        [&](std::string* err) { return task_from_json(json::parse(text), err).has_value(); });
  };
  EXPECT_EQ(task_error(R"("t")"), "expected an object, got \"t\"");
  EXPECT_EQ(task_error(R"({"status":{}})"), "id: missing");
  EXPECT_EQ(task_error(R"({"id":"t"})"), "status: missing");
  EXPECT_EQ(task_error(R"({"id":"t","status":{"state":"completed"}})"),
            "status.state: expected a TASK_STATE_… name, got \"completed\"");
  EXPECT_EQ(task_error(R"({"id":"t","status":{"state":9}})"),
            "status.state: expected a TASK_STATE_… name, got 9");
  EXPECT_EQ(task_error(R"({"id":"t","status":{"timestamp":"2026-05-01 10:00"}})").substr(0, 18),
            "status.timestamp: ");
  EXPECT_EQ(task_error(R"({"id":"t","status":{"message":{"role":"ROLE_AGENT"}}})"),
            "status.message.messageId: missing");
  EXPECT_EQ(task_error(R"({"id":"t","status":{},"history":{}})"),
            "history: expected an array, got an object");
  EXPECT_EQ(task_error(R"({"id":"t","status":{},"artifacts":[{"artifactId":"a","parts":[]}]})"),
            "artifacts[0].parts: must not be empty");
  EXPECT_EQ(task_error(R"({"id":"t","status":{},"artifacts":[{"parts":[{"text":"x"}]}]})"),
            "artifacts[0].artifactId: missing");
}

TEST(V10Malformed, ResultsAndOtherParams) {
  std::string err;
  EXPECT_FALSE(send_message_result_from_json(json::parse(R"({"id":"t","status":{}})"), &err));
  EXPECT_EQ(err, "expected exactly one of \"task\" and \"message\"");
  EXPECT_FALSE(send_message_result_from_json(
      json::parse(R"({"task":{"id":"t","status":{}},"message":{}})"), &err));
  EXPECT_EQ(err, "expected exactly one of \"task\" and \"message\"");
  EXPECT_FALSE(send_message_result_from_json(json::parse(R"({"task":{"status":{}}})"), &err));
  EXPECT_EQ(err, "task.id: missing");
  EXPECT_FALSE(
      send_message_result_from_json(json::parse(R"({"message":{"messageId":"m"}})"), &err));
  EXPECT_EQ(err, "message.role: missing");

  EXPECT_FALSE(get_task_params_from_json(json::parse(R"({"id":7})"), &err));
  EXPECT_EQ(err, "params.id: expected a string, got 7");
  EXPECT_FALSE(get_task_params_from_json(json::parse(R"({"id":"t","historyLength":"x"})"), &err));
  EXPECT_EQ(err, "params.historyLength: expected an integer, got \"x\"");
  EXPECT_FALSE(get_task_params_from_json(json::parse(R"({"id":"t","historyLength":1.5})"), &err));
  EXPECT_EQ(err, "params.historyLength: expected an integer, got 1.5");
  EXPECT_FALSE(cancel_task_params_from_json(json::parse(R"({"id":""})"), &err));
  EXPECT_EQ(err, "params.id: must not be empty");
  EXPECT_FALSE(cancel_task_params_from_json(nullptr, &err));
  EXPECT_EQ(err, "params: expected an object, got null");

  EXPECT_FALSE(list_tasks_params_from_json(json::parse(R"({"pageSize":0})"), &err));
  EXPECT_EQ(err, "params.pageSize: must be between 1 and 100, got 0");
  EXPECT_FALSE(list_tasks_params_from_json(json::parse(R"({"pageSize":101})"), &err));
  EXPECT_EQ(err, "params.pageSize: must be between 1 and 100, got 101");
  EXPECT_FALSE(list_tasks_params_from_json(json::parse(R"({"status":"WORKING"})"), &err));
  EXPECT_EQ(err, "params.status: expected a TASK_STATE_… name, got \"WORKING\"");
  EXPECT_FALSE(list_tasks_params_from_json(json::parse(R"({"statusTimestampAfter":12})"), &err));
  EXPECT_EQ(err, "params.statusTimestampAfter: expected a string, got 12");
  EXPECT_FALSE(list_tasks_result_from_json(json::parse(R"({"tasks":[{"id":"t"}]})"), &err));
  EXPECT_EQ(err, "tasks[0].status: missing");
  EXPECT_FALSE(list_tasks_result_from_json(json::parse(R"({"totalSize":-1})"), &err));
  EXPECT_EQ(err, "totalSize: must be between 0 and 2147483647, got -1");
}

TEST(V10Malformed, LongAndInvalidUtf8ValuesAreQuotedSafely) {
  std::string err;
  json message = json::parse(R"({"messageId":"m","parts":[{"text":"x"}]})");
  message["role"] = std::string(60, 'R');
  EXPECT_FALSE(message_from_json(message, &err));
  EXPECT_EQ(err, "role: expected \"ROLE_USER\" or \"ROLE_AGENT\", got \"" + std::string(40, 'R') +
                     "\"...");
  message["role"] = std::string("\xff\xfe");
  EXPECT_FALSE(message_from_json(message, &err));
  EXPECT_EQ(err,
            "role: expected \"ROLE_USER\" or \"ROLE_AGENT\", got \"\xEF\xBF\xBD\xEF\xBF\xBD\"");
}

}  // namespace
}  // namespace constellation::a2a::v10

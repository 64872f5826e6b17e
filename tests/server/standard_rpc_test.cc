// RpcService answering A2A v1.0 and v0.3 (a2a-wire.md §2, §3, §4.2) over a real store.

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "constellation/server/rpc_service.h"
#include "constellation/store/inbound_tasks.h"
#include "constellation/store/push_deliveries.h"
#include "store/store_fixture.h"

namespace constellation::server {
namespace {

using nlohmann::json;
using Headers = std::map<std::string, std::string>;

const Headers kV10{{"a2a-version", "1.0"}};

json v10_message(const std::string& text, const json& extra = json::object()) {
  json m = {{"messageId", "m-" + text}, {"role", "ROLE_USER"}, {"parts", {{{"text", text}}}}};
  m.update(extra);
  return m;
}

json v03_message(const std::string& text, const json& extra = json::object()) {
  json m = {{"kind", "message"},
            {"messageId", "m-" + text},
            {"role", "user"},
            {"parts", {{{"kind", "text"}, {"text", text}}}}};
  m.update(extra);
  return m;
}

class StandardRpcTest : public store::test_support::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    db_ = open_store();
    ASSERT_TRUE(db_);
    service_ = std::make_unique<RpcService>(*db_);
  }

  /// Where the next requests come from.
  std::string remote_address_ = "127.0.0.9";

  RpcOutcome handle(const json& request, Headers headers = kV10,
                    const std::string& content_type = "application/json") {
    HttpRequest http;
    http.method = "POST";
    http.target = "/";
    http.headers = std::move(headers);
    if (!content_type.empty()) http.headers.emplace("content-type", content_type);
    http.body = request.dump();
    http.remote_address = remote_address_;  // the callbacks below live there
    return service_->handle(http.body, http);
  }

  json call(const std::string& method, const json& params, Headers headers = kV10) {
    const json request = {{"jsonrpc", "2.0"}, {"id", 7}, {"method", method}, {"params", params}};
    return json::parse(handle(request, std::move(headers)).body);
  }

  /// SendMessage that does not wait; returns the task.
  json start_v10(const std::string& text, const json& message_extra = json::object()) {
    const json reply = call("SendMessage", {{"message", v10_message(text, message_extra)},
                                            {"configuration", {{"returnImmediately", true}}}});
    EXPECT_TRUE(reply.contains("result")) << reply.dump();
    return reply["result"]["task"];
  }

  void respond(const std::string& id, const std::string& text,
               std::chrono::milliseconds later = std::chrono::milliseconds(0)) {
    auto done = store::InboundTasks(*db_).respond(id, text, false,
                                                  std::chrono::system_clock::now() + later);
    ASSERT_TRUE(done) << done.error().message;
  }

  static void expect_error(const json& reply, int code, const std::string& reason = "") {
    ASSERT_TRUE(reply.contains("error")) << reply.dump();
    EXPECT_EQ(reply["error"]["code"], code) << reply.dump();
    EXPECT_EQ(reply["id"], 7) << reply.dump();
    if (reason.empty()) {
      EXPECT_FALSE(reply["error"].contains("data")) << reply.dump();
    } else {
      ASSERT_TRUE(reply["error"].contains("data")) << reply.dump();
      const json& info = reply["error"]["data"][0];
      EXPECT_EQ(info["@type"], "type.googleapis.com/google.rpc.ErrorInfo");
      EXPECT_EQ(info["reason"], reason);
      EXPECT_EQ(info["domain"], "a2a-protocol.org");
    }
  }

  std::unique_ptr<store::Database> db_;
  std::unique_ptr<RpcService> service_;
};

// --- v1.0 ---------------------------------------------------------------------------------

TEST_F(StandardRpcTest, V10SendAssignsIdsAndStoresTheTaskInItsDialect) {
  const RpcOutcome out = handle({{"jsonrpc", "2.0"},
                                 {"id", "s"},
                                 {"method", "SendMessage"},
                                 {"params", {{"message", v10_message("hello")},
                                             {"configuration", {{"returnImmediately", true}}}}}});
  const json reply = json::parse(out.body);
  const json& task = reply["result"]["task"];
  EXPECT_EQ(task["status"]["state"], "TASK_STATE_SUBMITTED");
  EXPECT_EQ(task["id"].get<std::string>().size(), 38u) << "a server-assigned t-<uuid>";
  EXPECT_EQ(task["id"].get<std::string>().rfind("t-", 0), 0u);
  EXPECT_EQ(task["contextId"].get<std::string>().size(), 36u);
  EXPECT_FALSE(task.contains("kind")) << "v1.0 has no kind";
  EXPECT_EQ(task["history"][0]["messageId"], "m-hello");
  EXPECT_EQ(task["history"][0]["role"], "ROLE_USER");
  EXPECT_EQ(task["history"][0]["taskId"], task["id"]);
  EXPECT_EQ(out.new_task_id, task["id"].get<std::string>());
  EXPECT_FALSE(out.hold) << "returnImmediately";

  auto stored = store::InboundTasks(*db_).get(task["id"]);
  ASSERT_TRUE(stored && *stored);
  EXPECT_EQ((*stored)->dialect, "1.0");
  EXPECT_EQ((*stored)->task.context_id, task["contextId"]);
  EXPECT_EQ(store::InboundTasks(*db_).list_open()->size(), 1u) << "in the inbox";
}

TEST_F(StandardRpcTest, V10SendKeepsTheContextTheClientNames) {
  const json task = start_v10("hi", {{"contextId", "ctx-mine"}});
  EXPECT_EQ(task["contextId"], "ctx-mine");
}

TEST_F(StandardRpcTest, V10BlockingSendIsHeldAndSettlesOnRespond) {
  const RpcOutcome out = handle({{"jsonrpc", "2.0"},
                                 {"id", 1},
                                 {"method", "SendMessage"},
                                 {"params", {{"message", v10_message("wait for me")}}}});
  ASSERT_TRUE(out.hold) << "returnImmediately defaults to false";
  const std::string id = out.hold->task_id;
  EXPECT_EQ(service_->settle(*out.hold, out.body, false), std::nullopt) << "still open";
  const auto at_limit = service_->settle(*out.hold, out.body, true);
  ASSERT_TRUE(at_limit);
  EXPECT_EQ(json::parse(*at_limit)["result"]["task"]["status"]["state"], "TASK_STATE_SUBMITTED");

  respond(id, "here you are");
  const auto settled = service_->settle(*out.hold, out.body, false);
  ASSERT_TRUE(settled);
  const json task = json::parse(*settled)["result"]["task"];
  EXPECT_EQ(task["status"]["state"], "TASK_STATE_COMPLETED");
  EXPECT_EQ(task["artifacts"][0]["parts"][0]["text"], "here you are");
  EXPECT_EQ(task["id"], id);
}

TEST_F(StandardRpcTest, V10GetHonoursHistoryLengthAndUnknownIdsAreTaskNotFound) {
  const json task = start_v10("question");
  respond(task["id"], "answer");
  json got = call("GetTask", {{"id", task["id"]}})["result"];
  EXPECT_EQ(got["status"]["state"], "TASK_STATE_COMPLETED");
  ASSERT_EQ(got["history"].size(), 2u);
  EXPECT_EQ(got["history"][1]["role"], "ROLE_AGENT");
  got = call("GetTask", {{"id", task["id"]}, {"historyLength", 1}})["result"];
  EXPECT_EQ(got["history"].size(), 1u);
  EXPECT_EQ(got["history"][0]["role"], "ROLE_AGENT") << "the newest";
  got = call("GetTask", {{"id", task["id"]}, {"historyLength", 0}})["result"];
  EXPECT_FALSE(got.contains("history"));

  const json missing = call("GetTask", {{"id", "t-404"}});
  expect_error(missing, -32001, "TASK_NOT_FOUND");
  EXPECT_EQ(missing["error"]["data"][0]["metadata"]["taskId"], "t-404");
}

TEST_F(StandardRpcTest, V10CancelEndsAnOpenTaskOnlyOnce) {
  const json task = start_v10("long job");
  const RpcOutcome out = handle({{"jsonrpc", "2.0"},
                                 {"id", 7},
                                 {"method", "CancelTask"},
                                 {"params", {{"id", task["id"]}}}});
  EXPECT_EQ(json::parse(out.body)["result"]["status"]["state"], "TASK_STATE_CANCELED");
  EXPECT_EQ(out.changed_task_id, task["id"].get<std::string>()) << "held sends must wake";
  EXPECT_TRUE(store::InboundTasks(*db_).list_open()->empty()) << "gone from the inbox";

  expect_error(call("CancelTask", {{"id", task["id"]}}), -32002, "TASK_NOT_CANCELABLE");
  expect_error(call("CancelTask", {{"id", "nope"}}), -32001, "TASK_NOT_FOUND");
  auto late = store::InboundTasks(*db_).respond(task["id"], "too late", false,
                                                std::chrono::system_clock::now());
  ASSERT_FALSE(late);
  EXPECT_NE(late.error().message.find("already canceled"), std::string::npos);
}

TEST_F(StandardRpcTest, V10FurtherTurnsJoinTheTaskOrAreRefused) {
  const json task = start_v10("first");
  const json turn = call("SendMessage",
                         {{"message", v10_message("second", {{"taskId", task["id"]},
                                                             {"contextId", task["contextId"]}})},
                          {"configuration", {{"returnImmediately", true}}}});
  ASSERT_TRUE(turn.contains("result")) << turn.dump();
  EXPECT_EQ(turn["result"]["task"]["id"], task["id"]);
  EXPECT_EQ(turn["result"]["task"]["history"].size(), 2u);

  expect_error(call("SendMessage", {{"message", v10_message("x", {{"taskId", task["id"]},
                                                                  {"contextId", "other"}})}}),
               -32602, "INVALID_PARAMS");
  expect_error(call("SendMessage", {{"message", v10_message("x", {{"taskId", "t-unknown"}})}}),
               -32001, "TASK_NOT_FOUND");
  respond(task["id"], "done");
  expect_error(call("SendMessage", {{"message", v10_message("x", {{"taskId", task["id"]}})}}),
               -32004, "UNSUPPORTED_OPERATION");
}

TEST_F(StandardRpcTest, V10ListTasksNewestFirstWithFiltersAndCursorPaging) {
  const json a = start_v10("a", {{"contextId", "ctx-1"}});
  const json b = start_v10("b");
  const json c = start_v10("c", {{"contextId", "ctx-1"}});
  // b changes last, and in a later millisecond than c was made: it is now the newest.
  respond(b["id"], "b done", std::chrono::seconds(1));

  json page = call("ListTasks", {{"pageSize", 2}})["result"];
  ASSERT_EQ(page["tasks"].size(), 2u) << page.dump();
  EXPECT_EQ(page["tasks"][0]["id"], b["id"]);
  EXPECT_EQ(page["tasks"][1]["id"], c["id"]);
  EXPECT_EQ(page["totalSize"], 3);
  EXPECT_EQ(page["pageSize"], 2);
  EXPECT_FALSE(page["tasks"][0].contains("artifacts")) << "includeArtifacts defaults to false";
  ASSERT_NE(page["nextPageToken"], "");
  page = call("ListTasks", {{"pageSize", 2}, {"pageToken", page["nextPageToken"]}})["result"];
  ASSERT_EQ(page["tasks"].size(), 1u);
  EXPECT_EQ(page["tasks"][0]["id"], a["id"]);
  EXPECT_EQ(page["nextPageToken"], "") << "the last page";

  page = call("ListTasks", {{"contextId", "ctx-1"}})["result"];
  ASSERT_EQ(page["tasks"].size(), 2u);
  EXPECT_EQ(page["tasks"][0]["id"], c["id"]);
  page = call("ListTasks", {{"status", "TASK_STATE_COMPLETED"}, {"includeArtifacts", true}})["result"];
  ASSERT_EQ(page["tasks"].size(), 1u);
  EXPECT_EQ(page["tasks"][0]["artifacts"][0]["parts"][0]["text"], "b done");
  page = call("ListTasks", {{"historyLength", 0}})["result"];
  EXPECT_FALSE(page["tasks"][0].contains("history"));

  expect_error(call("ListTasks", {{"pageToken", "garbage"}}), -32602, "INVALID_PARAMS");
  expect_error(call("ListTasks", {{"pageSize", 0}}), -32602, "INVALID_PARAMS");
}

TEST_F(StandardRpcTest, V10RefusesWhatTheAgentDoesNotOffer) {
  expect_error(call("GetExtendedAgentCard", json::object()), -32004, "UNSUPPORTED_OPERATION");
  // A callback we could never deliver to is refused up front, and nothing is stored.
  expect_error(call("SendMessage", {{"message", v10_message("p")},
                                    {"configuration",
                                     {{"taskPushNotificationConfig", {{"url", "https://h/"}}}}}}),
               -32602, "INVALID_PARAMS");
  EXPECT_TRUE(store::InboundTasks(*db_).list_open()->empty()) << "nothing stored";
}

TEST_F(StandardRpcTest, V10SendKeepsThePushConfigAndChangesQueueDeliveries) {
  const json reply = call("SendMessage", {{"message", v10_message("hi")},
                                          {"configuration",
                                           {{"returnImmediately", true},
                                            {"taskPushNotificationConfig",
                                             {{"url", "http://127.0.0.9:7/push"}, {"token", "tok"}}}}}});
  const std::string id = reply["result"]["task"]["id"];
  auto stored = store::InboundTasks(*db_).get(id);
  ASSERT_TRUE(stored && *stored && (*stored)->push);
  EXPECT_EQ((*stored)->push->url, "http://127.0.0.9:7/push");
  EXPECT_EQ((*stored)->push->token, "tok");
  store::PushDeliveries queue(*db_);
  EXPECT_TRUE(queue.list()->empty()) << "a new task is not news to its sender";
  respond(id, "done");
  auto pending = queue.get(id);
  ASSERT_TRUE(pending && *pending) << "the answer waits for delivery";
  EXPECT_EQ((*pending)->attempts, 0);
  // A failed delivery counts; a newer change resets the count and wins.
  const long long v1 = (*pending)->version;
  ASSERT_TRUE(queue.failed(id, v1, std::chrono::system_clock::now(), "down"));
  EXPECT_EQ((*queue.get(id))->attempts, 1);
  ASSERT_TRUE(store::InboundTasks(*db_).modify(id, [](store::InboundTask&) { return std::nullopt; }));
  EXPECT_EQ((*queue.get(id))->attempts, 0);
  EXPECT_FALSE(*queue.complete(id, v1)) << "an old version must not clear a newer change";
  EXPECT_TRUE(*queue.complete(id, (*queue.get(id))->version));
  EXPECT_TRUE(queue.list()->empty());
}

TEST_F(StandardRpcTest, V10PushConfigMethods) {
  const std::string id = start_v10("a")["id"];
  json made = call("CreateTaskPushNotificationConfig",
                   {{"taskId", id}, {"url", "http://127.0.0.9:7/hook"}, {"token", "t1"},
                    {"authentication", {{"scheme", "Bearer"}, {"credentials", "s3"}}}});
  ASSERT_TRUE(made.contains("result")) << made.dump();
  EXPECT_EQ(made["result"]["taskId"], id);
  EXPECT_EQ(made["result"]["id"], id) << "the config id defaults to the task's";
  EXPECT_EQ(made["result"]["authentication"]["scheme"], "Bearer");
  EXPECT_EQ(call("GetTaskPushNotificationConfig", {{"taskId", id}, {"id", id}})["result"]["url"],
            "http://127.0.0.9:7/hook");
  json list = call("ListTaskPushNotificationConfigs", {{"taskId", id}})["result"];
  ASSERT_EQ(list["configs"].size(), 1u);
  EXPECT_EQ(list["configs"][0]["token"], "t1");
  expect_error(call("GetTaskPushNotificationConfig", {{"taskId", id}, {"id", "other"}}), -32001,
               "TASK_NOT_FOUND");
  EXPECT_TRUE(call("DeleteTaskPushNotificationConfig", {{"taskId", id}, {"id", id}})["result"].is_null());
  EXPECT_TRUE(call("ListTaskPushNotificationConfigs", {{"taskId", id}})["result"]["configs"].empty());
  expect_error(call("CreateTaskPushNotificationConfig", {{"taskId", "t-nope"}, {"url", "http://h/"}}),
               -32001, "TASK_NOT_FOUND");
  expect_error(call("CreateTaskPushNotificationConfig", {{"taskId", id}, {"url", "ftp://h/"}}), -32602,
               "INVALID_PARAMS");
  expect_error(call("GetTaskPushNotificationConfig", {{"taskId", id}}), -32602, "INVALID_PARAMS");
}

TEST_F(StandardRpcTest, OnlyTheTasksSenderGoesOnWithItAndCallbacksPointBackAtTheCaller) {
  const std::string id = start_v10("mine")["id"];
  // A callback on another host than the caller's is refused, at send and at set.
  const json elsewhere = call("SendMessage", {{"message", v10_message("p")},
                                              {"configuration",
                                               {{"taskPushNotificationConfig",
                                                 {{"url", "http://169.254.169.254/latest"}}}}}});
  expect_error(elsewhere, -32602, "INVALID_PARAMS");
  EXPECT_NE(elsewhere["error"]["message"].get<std::string>().find(
                "does not point back at the caller (127.0.0.9)"),
            std::string::npos);
  expect_error(call("CreateTaskPushNotificationConfig", {{"taskId", id}, {"url", "http://10.0.0.1:7/h"}}),
               -32602, "INVALID_PARAMS");
  ASSERT_TRUE(call("CreateTaskPushNotificationConfig", {{"taskId", id}, {"url", "http://127.0.0.9:7/h"},
                                                        {"token", "secret"}})
                  .contains("result"));

  // Someone else: the task does not exist for them, its callback and token stay hidden.
  remote_address_ = "127.0.0.10";
  expect_error(call("GetTaskPushNotificationConfig", {{"taskId", id}, {"id", id}}), -32001,
               "TASK_NOT_FOUND");
  expect_error(call("ListTaskPushNotificationConfigs", {{"taskId", id}}), -32001, "TASK_NOT_FOUND");
  expect_error(call("CreateTaskPushNotificationConfig", {{"taskId", id}, {"url", "http://127.0.0.10:7/h"}}),
               -32001, "TASK_NOT_FOUND");
  json turn = v10_message("more");
  turn["taskId"] = id;
  expect_error(call("SendMessage", {{"message", turn}}), -32001, "TASK_NOT_FOUND");
  expect_error(call("CancelTask", {{"id", id}}), -32001, "TASK_NOT_FOUND");
  expect_error(call("GetTask", {{"id", id}}), -32001, "TASK_NOT_FOUND");
  expect_error(call("SubscribeToTask", {{"id", id}}), -32001, "TASK_NOT_FOUND");
  EXPECT_EQ(call("ListTasks", json::object())["result"]["tasks"], json::array());
  auto stored = store::InboundTasks(*db_).get(id);
  ASSERT_TRUE(stored && *stored);
  EXPECT_EQ((*stored)->task.history.size(), 1u);
  EXPECT_EQ((*stored)->push->url, "http://127.0.0.9:7/h");
  EXPECT_EQ((*stored)->caller.address, "127.0.0.9");

  remote_address_ = "127.0.0.9";
  EXPECT_EQ(call("ListTasks", json::object())["result"]["tasks"].size(), 1u);
  EXPECT_TRUE(call("CancelTask", {{"id", id}}).contains("result"));
}

TEST_F(StandardRpcTest, VersionHeaderIsNegotiated) {
  const json params = {{"id", "t-x"}};
  expect_error(call("GetTask", params, {{"a2a-version", "2.0"}}), -32009, "VERSION_NOT_SUPPORTED");
  expect_error(call("tasks/get", params, {{"a2a-version", "0.2"}}), -32009, "VERSION_NOT_SUPPORTED");
  // Accepted: 1.0 with a patch number, 0.3, and none (0.3); the method picks the handler.
  expect_error(call("GetTask", params, {{"a2a-version", "1.0.2"}}), -32001, "TASK_NOT_FOUND");
  expect_error(call("GetTask", params, {}), -32001, "TASK_NOT_FOUND");
  expect_error(call("tasks/get", params, {{"a2a-version", "0.3"}}), -32001);
}

TEST_F(StandardRpcTest, ContentTypeMustBeJson) {
  const json request = {{"jsonrpc", "2.0"}, {"id", 7}, {"method", "GetTask"}, {"params", {{"id", "t"}}}};
  expect_error(json::parse(handle(request, kV10, "text/plain").body), -32005,
               "CONTENT_TYPE_NOT_SUPPORTED");
  expect_error(json::parse(handle(request, kV10, "").body), -32005, "CONTENT_TYPE_NOT_SUPPORTED");
  expect_error(json::parse(handle(request, {}, "application/x-www-form-urlencoded").body), -32005,
               "CONTENT_TYPE_NOT_SUPPORTED");
  for (const char* ok : {"application/json; charset=utf-8", "Application/JSON", "application/a2a+json"}) {
    expect_error(json::parse(handle(request, kV10, ok).body), -32001, "TASK_NOT_FOUND");
  }
  EXPECT_TRUE(is_json_content_type(" application/json ;charset=UTF-8"));
  EXPECT_FALSE(is_json_content_type("application/+json"));
  EXPECT_FALSE(is_json_content_type("text/json"));
}

// --- v0.3 ---------------------------------------------------------------------------------

TEST_F(StandardRpcTest, V03SendGetCancel) {
  const RpcOutcome sent = handle({{"jsonrpc", "2.0"},
                                  {"id", 7},
                                  {"method", "message/send"},
                                  {"params", {{"message", v03_message("hello")},
                                              {"configuration", {{"blocking", false}}}}}},
                                 {});
  EXPECT_FALSE(sent.hold);
  const json task = json::parse(sent.body)["result"];
  EXPECT_EQ(task["kind"], "task");
  EXPECT_EQ(task["status"]["state"], "submitted");
  EXPECT_FALSE(task["contextId"].get<std::string>().empty());
  EXPECT_EQ(task["history"][0]["parts"][0]["kind"], "text");
  auto stored = store::InboundTasks(*db_).get(task["id"]);
  ASSERT_TRUE(stored && *stored);
  EXPECT_EQ((*stored)->dialect, "0.3");

  respond(task["id"], "hi back");
  const json got = call("tasks/get", {{"id", task["id"]}}, {})["result"];
  EXPECT_EQ(got["status"]["state"], "completed");
  EXPECT_EQ(got["artifacts"][0]["parts"][0]["text"], "hi back");
  expect_error(call("tasks/cancel", {{"id", task["id"]}}, {}), -32002);

  const json open = json::parse(handle({{"jsonrpc", "2.0"},
                                        {"id", 7},
                                        {"method", "message/send"},
                                        {"params", {{"message", v03_message("later")},
                                                    {"configuration", {{"blocking", false}}}}}},
                                       {})
                                    .body)["result"];
  EXPECT_EQ(call("tasks/cancel", {{"id", open["id"]}}, {})["result"]["status"]["state"], "canceled");
}

TEST_F(StandardRpcTest, V03SendWithoutBlockingFlagIsHeld) {
  const RpcOutcome out = handle({{"jsonrpc", "2.0"},
                                 {"id", 7},
                                 {"method", "message/send"},
                                 {"params", {{"message", v03_message("block by default")}}}},
                                {});
  EXPECT_TRUE(out.hold);
}

// ---- streaming: what RpcService decides before a stream starts; task_stream_test.cc
// runs the streams themselves.

TEST_F(StandardRpcTest, SendStreamingMessageStoresTheTaskAndPlansItsStream) {
  const json request = {{"jsonrpc", "2.0"},
                        {"id", 7},
                        {"method", "SendStreamingMessage"},
                        {"params", {{"message", v10_message("live")}}}};
  RpcOutcome out = handle(request);
  ASSERT_TRUE(out.stream) << out.body;
  ASSERT_TRUE(out.new_task_id);
  EXPECT_EQ(out.stream->task_id, *out.new_task_id);
  // Committed before anything is streamed: the store has it now.
  auto stored = store::InboundTasks(*db_).get(*out.new_task_id);
  ASSERT_TRUE(stored && *stored);
  auto view = service_->stream_view(*out.stream);
  ASSERT_TRUE(std::holds_alternative<a2a::Task>(view));
  a2a::StreamEvent first{a2a::StreamEvent::Kind::kTask, std::get<a2a::Task>(view)};
  const json event = json::parse(out.stream->render(first));
  EXPECT_EQ(event["id"], 7);
  EXPECT_EQ(event["result"]["task"]["id"], *out.new_task_id);
  EXPECT_EQ(event["result"]["task"]["status"]["state"], "TASK_STATE_SUBMITTED");
  const json error = json::parse(out.stream->render_error(A2aError{-32603, "boom"}));
  EXPECT_EQ(error["error"]["code"], -32603);
  EXPECT_EQ(error["id"], 7);
}

TEST_F(StandardRpcTest, StreamingSendErrorsArePlainReplies) {
  RpcOutcome bad = handle({{"jsonrpc", "2.0"},
                           {"id", 7},
                           {"method", "SendStreamingMessage"},
                           {"params", {{"message", {{"role", "ROLE_USER"}}}}}});
  EXPECT_FALSE(bad.stream);
  expect_error(json::parse(bad.body), -32602, "INVALID_PARAMS");
  RpcOutcome unknown = handle({{"jsonrpc", "2.0"},
                               {"id", 7},
                               {"method", "message/stream"},
                               {"params", {{"message", v03_message("x", {{"taskId", "nope"}})}}}},
                              {});
  EXPECT_FALSE(unknown.stream);
  expect_error(json::parse(unknown.body), -32001);
}

TEST_F(StandardRpcTest, SubscribeNeedsAnOpenTask) {
  expect_error(call("SubscribeToTask", {{"id", "t-nope"}}), -32001, "TASK_NOT_FOUND");
  expect_error(call("tasks/resubscribe", {{"id", "t-nope"}}, {}), -32001);
  const json done = start_v10("finished");
  respond(done["id"], "answer");
  expect_error(call("SubscribeToTask", {{"id", done["id"]}}), -32004, "UNSUPPORTED_OPERATION");
  expect_error(call("tasks/resubscribe", {{"id", done["id"]}}, {}), -32004);

  const json open = start_v10("open");
  for (const auto& [method, headers] :
       std::vector<std::pair<std::string, Headers>>{{"SubscribeToTask", kV10}, {"tasks/resubscribe", {}}}) {
    SCOPED_TRACE(method);
    RpcOutcome out = handle({{"jsonrpc", "2.0"},
                             {"id", 7},
                             {"method", method},
                             {"params", {{"id", open["id"]}}}},
                            headers);
    ASSERT_TRUE(out.stream) << out.body;
    EXPECT_EQ(out.stream->task_id, open["id"]);
    EXPECT_FALSE(out.new_task_id);
    auto view = service_->stream_view(*out.stream);
    a2a::StreamEvent first{a2a::StreamEvent::Kind::kTask, std::get<a2a::Task>(view)};
    const json event = json::parse(out.stream->render(first));
    if (method == "tasks/resubscribe") {
      EXPECT_EQ(event["result"]["kind"], "task") << event;
    } else {
      EXPECT_EQ(event["result"]["task"]["id"], open["id"]) << event;
    }
  }
}

TEST_F(StandardRpcTest, TasksGetAnswersInTheTasksOwnDialect) {
  // A v1.0 task read with the v0.3 method: a v0.3 task (with kind), even when the
  // caller announces itself like the Rust client.
  const json task = start_v10("cross");
  const json got = call("tasks/get", {{"id", task["id"]}},
                        {{"x-a2a-source-url", "http://127.0.0.4:7777/"}})["result"];
  EXPECT_EQ(got["kind"], "task");
  EXPECT_EQ(got["status"]["state"], "submitted");
}

TEST_F(StandardRpcTest, V03RefusesWhatTheAgentDoesNotOffer) {
  expect_error(call("agent/getAuthenticatedExtendedCard", json::object(), {}), -32004);
  expect_error(call("message/send", {{"message", v03_message("p")},
                                     {"configuration", {{"pushNotificationConfig", {{"token", "x"}}}}}},
                    {}),
               -32602);
  expect_error(call("message/send", {{"message", {{"role", "user"}, {"parts", json::array()}}}}, {}),
               -32602);
}

TEST_F(StandardRpcTest, V03PushConfigInSendAndByItsMethods) {
  const json sent = call("message/send", {{"message", v03_message("q")},
                                          {"configuration",
                                           {{"blocking", false},
                                            {"pushNotificationConfig",
                                             {{"url", "http://127.0.0.9:7/push"}, {"token", "tk"},
                                              {"authentication", {{"schemes", {"Bearer"}}, {"credentials", "c"}}}}}}}},
                         {});
  const std::string id = sent["result"]["id"];
  json got = call("tasks/pushNotificationConfig/get", {{"id", id}}, {});
  ASSERT_TRUE(got.contains("result")) << got.dump();
  EXPECT_EQ(got["result"]["taskId"], id);
  EXPECT_EQ(got["result"]["pushNotificationConfig"]["token"], "tk");
  EXPECT_EQ(got["result"]["pushNotificationConfig"]["authentication"]["schemes"][0], "Bearer");
  json set = call("tasks/pushNotificationConfig/set",
                  {{"taskId", id}, {"pushNotificationConfig", {{"url", "http://127.0.0.9:8/h"}, {"id", "c2"}}}}, {});
  EXPECT_EQ(set["result"]["pushNotificationConfig"]["id"], "c2");
  json list = call("tasks/pushNotificationConfig/list", {{"id", id}}, {});
  ASSERT_EQ(list["result"].size(), 1u);
  EXPECT_EQ(list["result"][0]["pushNotificationConfig"]["url"], "http://127.0.0.9:8/h");
  expect_error(call("tasks/pushNotificationConfig/delete", {{"id", id}}, {}), -32602);
  EXPECT_TRUE(call("tasks/pushNotificationConfig/delete", {{"id", id}, {"pushNotificationConfigId", "c2"}}, {})
                  ["result"].is_null());
  EXPECT_TRUE(call("tasks/pushNotificationConfig/list", {{"id", id}}, {})["result"].empty());
  expect_error(call("tasks/pushNotificationConfig/get", {{"id", "t-nope"}}, {}), -32001);
}

}  // namespace
}  // namespace constellation::server

namespace constellation::server {
namespace {

// [files] max_bytes on the receiving side: a message whose files weigh more is refused
// with -32602 saying the limit, in both dialects; one at the limit is stored, its bytes
// kept, and a standard reply shows the file again; the answer's file reaches GetTask.
TEST_F(StandardRpcTest, FilesAreStoredUpToTheLimitAndRefusedAbove) {
  service_ = std::make_unique<RpcService>(*db_, 4);
  const json v10_params = {
      {"message", {{"messageId", "m-1"}, {"role", "ROLE_USER"},
                   {"parts", {{{"raw", "AAECAwQ="}, {"filename", "five.bin"}}}}}},
      {"configuration", {{"returnImmediately", true}}}};
  const json refused = call("SendMessage", v10_params);
  expect_error(refused, -32602, "INVALID_PARAMS");
  EXPECT_EQ(refused["error"]["message"],
            "Invalid params: params.message.parts: the files weigh 5 bytes together, over this "
            "agent's limit of 4 bytes per message; send smaller files, or fewer per message");
  const json v03_refused = call("message/send", {{"message", {{"kind", "message"}, {"messageId", "m-2"}, {"role", "user"},
      {"parts", {{{"kind", "file"}, {"file", {{"bytes", "AAECAwQ="}}}}}}}}}, Headers{});
  expect_error(v03_refused, -32602);

  json at_limit = v10_params;
  at_limit["message"]["parts"][0]["raw"] = "AAECAw==";
  at_limit["message"]["parts"].push_back({{"data", {{"n", 1}}}});
  const json reply = call("SendMessage", at_limit);
  ASSERT_TRUE(reply.contains("result")) << reply.dump();
  const std::string id = reply["result"]["task"]["id"];
  auto stored = store::InboundTasks(*db_).get(id);
  ASSERT_TRUE(stored && *stored);
  EXPECT_EQ((*stored)->task.history[0].parts[0].bytes, std::string("\0\x01\x02\x03", 4));

  auto done = store::InboundTasks(*db_).respond(id, "", false, std::chrono::system_clock::now(),
                                                {a2a::file_part("out.txt", "text/plain", "ok")});
  ASSERT_TRUE(done) << done.error().message;
  const json got = call("GetTask", {{"id", id}});
  ASSERT_TRUE(got.contains("result")) << got.dump();
  EXPECT_EQ(got["result"]["history"][0]["parts"],
            json::parse(R"([{"raw":"AAECAw==","filename":"five.bin"},{"data":{"n":1}}])"));
  EXPECT_EQ(got["result"]["artifacts"][0]["parts"],
            json::parse(R"([{"raw":"b2s=","filename":"out.txt","mediaType":"text/plain"}])"));
  // The history keeps only the answer's text (empty here), not a second copy of the file.
  EXPECT_EQ(got["result"]["history"][1]["parts"], json::parse(R"([{"text":""}])"));
}

}  // namespace
}  // namespace constellation::server

// The client's JSON-RPC calls per dialect (client/a2a_calls.h). Here rather than in a
// tests/client folder of their own because the client links with the runtime library,
// as the node tests do.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "constellation/a2a/jsonrpc.h"
#include "constellation/client/a2a_calls.h"

namespace constellation::client {
namespace {

using a2a::Dialect;
using a2a::PeerEndpoint;
using nlohmann::json;

const PeerEndpoint kLegacy{Dialect::kLegacy, "http://10.0.0.5:7777/", ""};
const PeerEndpoint kV03{Dialect::kV03, "http://10.0.0.5:7777/", ""};
const PeerEndpoint kV10{Dialect::kV10, "http://10.0.0.5:7777/", ""};
const PeerEndpoint kV10Tenant{Dialect::kV10, "http://10.0.0.5:7777/", "acme"};

NewTask new_task() {
  a2a::Message m = a2a::text_message(a2a::Role::kUser, "hello");
  m.message_id = "m-1";
  return NewTask{m, "t-1", "http://10.0.0.2:7777/"};
}

TEST(SendCall, LegacyIsTasksSendWithOurIdAndSourceUrl) {
  a2a::Message m = a2a::text_message(a2a::Role::kUser, "hello");
  const RpcCall call = send_call(kLegacy, NewTask{m, "t-1", "http://10.0.0.2:7777/"});
  EXPECT_EQ(call.method, "tasks/send");
  // a2a-wire.md §1.4: nothing but role and parts on the message.
  EXPECT_EQ(call.params, json::parse(R"({"id":"t-1","message":{"role":"user",
      "parts":[{"type":"text","text":"hello"}]}})"));
  EXPECT_EQ(call.headers, (Headers{{"X-A2A-Source-Url", "http://10.0.0.2:7777/"}}));
}

TEST(SendCall, V03IsMessageSendNeverBlocking) {
  const RpcCall call = send_call(kV03, new_task());
  EXPECT_EQ(call.method, "message/send");
  EXPECT_EQ(call.params, json::parse(R"({"message":{"kind":"message","messageId":"m-1",
      "role":"user","parts":[{"kind":"text","text":"hello"}]},
      "configuration":{"blocking":false,"acceptedOutputModes":[]}})"));
  // No A2A-Version: absent means 0.3.
  EXPECT_EQ(call.headers, (Headers{{"X-A2A-Source-Url", "http://10.0.0.2:7777/"}}));
}

TEST(SendCall, V10IsSendMessageReturningImmediately) {
  RpcCall call = send_call(kV10, new_task());
  EXPECT_EQ(call.method, "SendMessage");
  EXPECT_EQ(call.params, json::parse(R"({"message":{"messageId":"m-1","role":"ROLE_USER",
      "parts":[{"text":"hello"}]},"configuration":{"returnImmediately":true}})"));
  EXPECT_EQ(call.headers,
            (Headers{{"A2A-Version", "1.0"}, {"X-A2A-Source-Url", "http://10.0.0.2:7777/"}}));
  call = send_call(kV10Tenant, new_task());
  EXPECT_EQ(call.params["tenant"], "acme");
}

TEST(SendCall, NoSourceUrlNoHeader) {
  NewTask task = new_task();
  task.source_url.clear();
  EXPECT_TRUE(send_call(kV03, task).headers.empty());
  EXPECT_TRUE(send_call(kLegacy, task).headers.empty());
  EXPECT_EQ(send_call(kV10, task).headers, (Headers{{"A2A-Version", "1.0"}}));
}

TEST(SendCall, MakesAMessageIdWhenTheCallerGaveNone) {
  NewTask task = new_task();
  task.message.message_id.clear();
  EXPECT_FALSE(send_call(kV10, task).params["message"]["messageId"].get<std::string>().empty());
  EXPECT_FALSE(send_call(kV03, task).params["message"]["messageId"].get<std::string>().empty());
  EXPECT_FALSE(send_call(kLegacy, task).params["message"].contains("messageId"));
}

TEST(GetCall, PerDialect) {
  RpcCall call = get_call(kLegacy, "t-1");
  EXPECT_EQ(call.method, "tasks/get");
  EXPECT_EQ(call.params, json::parse(R"({"id":"t-1"})"));
  EXPECT_TRUE(call.headers.empty());
  call = get_call(kV03, "r-1");
  EXPECT_EQ(call.method, "tasks/get");
  EXPECT_EQ(call.params, json::parse(R"({"id":"r-1"})"));
  EXPECT_TRUE(call.headers.empty());
  call = get_call(kV10Tenant, "r-1");
  EXPECT_EQ(call.method, "GetTask");
  EXPECT_EQ(call.params, json::parse(R"({"id":"r-1","tenant":"acme"})"));
  EXPECT_EQ(call.headers, (Headers{{"A2A-Version", "1.0"}}));
}

TEST(CancelCall, PerDialect) {
  EXPECT_FALSE(cancel_call(kLegacy, "t-1")) << "the original cannot cancel";
  auto call = cancel_call(kV03, "r-1");
  ASSERT_TRUE(call);
  EXPECT_EQ(call->method, "tasks/cancel");
  EXPECT_EQ(call->params, json::parse(R"({"id":"r-1"})"));
  call = cancel_call(kV10, "r-1");
  ASSERT_TRUE(call);
  EXPECT_EQ(call->method, "CancelTask");
  EXPECT_EQ(call->params, json::parse(R"({"id":"r-1"})"));
  EXPECT_EQ(call->headers, (Headers{{"A2A-Version", "1.0"}}));
}

TEST(SendReply, TaskOrMessagePerDialect) {
  std::string err;
  auto reply = send_reply_from_json(
      Dialect::kV10,
      json::parse(
          R"({"task":{"id":"r-1","contextId":"c-1","status":{"state":"TASK_STATE_SUBMITTED"}}})"),
      &err);
  ASSERT_TRUE(reply) << err;
  ASSERT_TRUE(std::holds_alternative<a2a::Task>(*reply));
  EXPECT_EQ(std::get<a2a::Task>(*reply).id, "r-1");

  reply = send_reply_from_json(
      Dialect::kV10,
      json::parse(R"({"message":{"messageId":"m-9","role":"ROLE_AGENT","parts":[{"text":"hi"}]}})"),
      &err);
  ASSERT_TRUE(reply) << err;
  ASSERT_TRUE(std::holds_alternative<a2a::Message>(*reply));
  EXPECT_EQ(a2a::message_text(std::get<a2a::Message>(*reply)), "hi");

  reply = send_reply_from_json(
      Dialect::kV03,
      json::parse(R"({"kind":"message","messageId":"m-9","role":"agent","contextId":"c-2",
                      "parts":[{"kind":"text","text":"hi"}]})"),
      &err);
  ASSERT_TRUE(reply) << err;
  ASSERT_TRUE(std::holds_alternative<a2a::Message>(*reply));
  EXPECT_EQ(std::get<a2a::Message>(*reply).context_id, "c-2");

  reply = send_reply_from_json(
      Dialect::kLegacy,
      json::parse(
          R"({"id":"t-1","status":{"state":"submitted","timestamp":"2026-04-29T18:00:00Z"}})"),
      &err);
  ASSERT_TRUE(reply) << err;
  EXPECT_TRUE(std::holds_alternative<a2a::Task>(*reply));

  EXPECT_FALSE(send_reply_from_json(Dialect::kV10, json::parse(R"({"id":"r-1"})"), &err));
  EXPECT_FALSE(err.empty());
}

TEST(TaskFromJson, PerDialect) {
  std::string err;
  auto task = task_from_json(Dialect::kV10, json::parse(R"({"id":"r-1","status":{
      "state":"TASK_STATE_COMPLETED"},"artifacts":[{"artifactId":"a","parts":[{"text":"42"}]}]})"),
                             &err);
  ASSERT_TRUE(task) << err;
  EXPECT_EQ(task->state, a2a::TaskState::kCompleted);
  EXPECT_EQ(a2a::answer_text(*task), "42");
  task = task_from_json(Dialect::kV03, json::parse(R"({"kind":"task","id":"r-1","contextId":"c",
      "status":{"state":"working"}})"),
                        &err);
  ASSERT_TRUE(task) << err;
  EXPECT_EQ(task->state, a2a::TaskState::kWorking);
  // The same v0.3 reply is no legacy task: the original requires a timestamp.
  EXPECT_FALSE(task_from_json(Dialect::kLegacy, json::parse(R"({"id":"r-1","status":{
      "state":"working"}})"),
                              &err));
}

TEST(RpcErrorHint, SaysWhatToDoNext) {
  EXPECT_EQ(rpc_error_hint(Dialect::kV10, a2a::rpc_code::kTaskNotFound),
            "the peer does not know this task (it may have lost its store); send it again");
  EXPECT_EQ(rpc_error_hint(Dialect::kV03, a2a::rpc_code::kMethodNotFound),
            "the peer does not speak A2A 0.3 as its card says; retry after the next discovery "
            "round has re-read its card");
  EXPECT_EQ(rpc_error_hint(Dialect::kV10, a2a::rpc_code::kInvalidParams),
            "the peer refused what we sent, as its message says; if it is about files, send "
            "fewer or smaller ones (the peer's limit may be lower than ours), else the peer may "
            "not speak A2A 1.0 as its card says; retry after the next discovery round has re-read "
            "its card");
  EXPECT_EQ(rpc_error_hint(Dialect::kV10, -32009),
            "the peer refuses A2A 1.0 although its card offers it; retry after the next "
            "discovery round has re-read its card");
  // -32009 meant something else before v1.0 (a2a-wire.md §5.5).
  EXPECT_EQ(rpc_error_hint(Dialect::kLegacy, -32009),
            "retry later; if it keeps failing, the peer's own log says why");
}

}  // namespace
}  // namespace constellation::client

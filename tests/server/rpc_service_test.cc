#include "constellation/server/rpc_service.h"

#include <SQLiteCpp/Database.h>
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "constellation/a2a/jsonrpc.h"
#include "constellation/a2a/legacy.h"
#include "constellation/a2a/timestamp.h"
#include "constellation/store/inbound_tasks.h"
#include "constellation/store/peers.h"
#include "store/store_fixture.h"

namespace constellation::server {
namespace {

using nlohmann::json;
using store::test_support::at_ms;

// --- helpers -----------------------------------------------------------------------------

/// Checks that `body` is one JSON-RPC 2.0 reply as a2a-wire.md §0 and §1.7 describe it:
/// strictly valid JSON (nlohmann refuses invalid UTF-8), an object with exactly the keys
/// jsonrpc, id and one of result / error; an error has an integer code, a string message
/// and nothing but an optional data. Returns the parsed reply (null after a failure).
json checked_reply(const std::string& body) {
  json reply;
  try {
    reply = json::parse(body);
  } catch (const json::exception& e) {
    ADD_FAILURE() << "reply is not valid JSON (" << e.what() << "): " << body.substr(0, 200);
    return nullptr;
  }
  if (!reply.is_object()) {
    ADD_FAILURE() << "reply is not an object: " << body.substr(0, 200);
    return nullptr;
  }
  EXPECT_EQ(reply.value("jsonrpc", json()), json("2.0")) << body;
  EXPECT_TRUE(reply.contains("id")) << body;
  const bool has_result = reply.contains("result");
  const bool has_error = reply.contains("error");
  EXPECT_NE(has_result, has_error) << "exactly one of result / error: " << body;
  EXPECT_EQ(reply.size(), 3u) << "unexpected members: " << body;
  if (has_error) {
    const json& error = reply["error"];
    EXPECT_TRUE(error.is_object()) << body;
    if (error.is_object()) {
      EXPECT_TRUE(error.contains("code") && error["code"].is_number_integer()) << body;
      EXPECT_TRUE(error.contains("message") && error["message"].is_string()) << body;
      for (const auto& [key, value] : error.items()) {
        EXPECT_TRUE(key == "code" || key == "message" || key == "data") << key << " in " << body;
      }
    }
  }
  // Keys in the order the wire doc (§1.7) gives: jsonrpc, id, result/error.
  EXPECT_EQ(body.rfind(R"({"jsonrpc":"2.0","id":)", 0), 0u) << body;
  return reply;
}

json send_request(const json& request_id, const std::string& task_id, const std::string& text) {
  return {{"jsonrpc", "2.0"},
          {"id", request_id},
          {"method", "tasks/send"},
          {"params",
           {{"id", task_id},
            {"message",
             {{"role", "user"}, {"parts", json::array({{{"type", "text"}, {"text", text}}})}}}}}};
}

json rpc_request(const json& request_id, const std::string& method, const json& params) {
  json r = {{"jsonrpc", "2.0"}, {"id", request_id}, {"method", method}};
  if (!params.is_null()) r["params"] = params;
  return r;
}

json user_message(const std::string& text) {
  return {{"role", "user"}, {"parts", json::array({{{"type", "text"}, {"text", text}}})}};
}

json agent_message(const std::string& text) {
  return {{"role", "agent"}, {"parts", json::array({{{"type", "text"}, {"text", text}}})}};
}

/// The timestamp as the store keeps it: truncated to milliseconds.
a2a::Timestamp floor_ms(a2a::Timestamp t) {
  return std::chrono::floor<std::chrono::milliseconds>(t);
}

class RpcServiceTest : public store::test_support::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    db_ = open_store();
    ASSERT_TRUE(db_);
    service_ = std::make_unique<RpcService>(*db_);
  }

  /// POST / with `body` and the given (lowercase) headers, as the HTTP session hands it on.
  RpcOutcome handle(const std::string& body, std::map<std::string, std::string> headers = {}) {
    HttpRequest request;
    request.method = "POST";
    request.target = "/";
    request.headers = std::move(headers);
    request.headers.emplace("content-type", "application/json");
    request.body = body;
    request.remote_address = "127.0.0.9";
    return service_->handle(request.body, request);
  }

  /// Handles `body` and returns the checked reply.
  json call(const std::string& body, std::map<std::string, std::string> headers = {}) {
    return checked_reply(handle(body, std::move(headers)).body);
  }
  json call(const json& request, std::map<std::string, std::string> headers = {}) {
    return call(request.dump(), std::move(headers));
  }

  /// Asserts an error reply with this code, message and id.
  void expect_error(const json& reply, int code, const std::string& message,
                    const json& id = nullptr) {
    ASSERT_TRUE(reply.is_object());
    ASSERT_TRUE(reply.contains("error")) << reply.dump();
    EXPECT_EQ(reply["error"]["code"], code) << reply.dump();
    EXPECT_EQ(reply["error"]["message"], message) << reply.dump();
    EXPECT_EQ(reply["id"], id) << reply.dump();
    EXPECT_FALSE(reply["error"].contains("data")) << reply.dump();
  }

  std::optional<store::InboundTask> stored(const std::string& id) {
    auto found = store::InboundTasks(*db_).get(id);
    EXPECT_TRUE(found.ok()) << found.error().message;
    return found.ok() ? *found : std::nullopt;
  }

  std::size_t open_count() {
    auto open = store::InboundTasks(*db_).list_open();
    EXPECT_TRUE(open.ok()) << open.error().message;
    return open.ok() ? open->size() : 0;
  }

  std::unique_ptr<store::Database> db_;
  std::unique_ptr<RpcService> service_;
};

// --- tasks/send ---------------------------------------------------------------------------

TEST_F(RpcServiceTest, SendStoresTheTaskAndAnswersSubmitted) {
  // a2a-wire.md §1.4: the client picks the task id; the reply is the task, submitted,
  // with the received message as its only history entry.
  const auto before = floor_ms(std::chrono::system_clock::now());
  const RpcOutcome out =
      handle(send_request("req-1", "t-abc", "research Cedric the shrimp").dump());
  const auto after = std::chrono::system_clock::now();

  EXPECT_EQ(out.new_task_id, std::optional<std::string>("t-abc"));
  const json reply = checked_reply(out.body);
  ASSERT_TRUE(reply.contains("result")) << out.body;
  EXPECT_EQ(reply["id"], "req-1");
  const json& task = reply["result"];
  EXPECT_EQ(task["id"], "t-abc");
  EXPECT_EQ(task["status"]["state"], "submitted");
  EXPECT_EQ(task["history"], json::array({user_message("research Cedric the shrimp")}));
  EXPECT_EQ(task.size(), 3u) << "legacy Task is id, status, history only: " << task.dump();
  EXPECT_EQ(task["status"].size(), 2u) << task.dump();

  std::string err;
  auto timestamp = a2a::parse_timestamp(task["status"]["timestamp"].get<std::string>(), &err);
  ASSERT_TRUE(timestamp) << err;
  EXPECT_GE(*timestamp, before);
  EXPECT_LE(*timestamp, after);

  auto in = stored("t-abc");
  ASSERT_TRUE(in);
  EXPECT_EQ(in->task.id, "t-abc");
  EXPECT_EQ(in->task.state, a2a::TaskState::kSubmitted);
  ASSERT_EQ(in->task.history.size(), 1u);
  EXPECT_EQ(in->task.history[0], a2a::text_message(a2a::Role::kUser, "research Cedric the shrimp"));
  EXPECT_EQ(in->dialect, "legacy");
  EXPECT_EQ(in->from_url, "");
  EXPECT_EQ(in->from_name, "");
  EXPECT_EQ(in->received_at, *timestamp);
  EXPECT_EQ(in->task.updated_at, *timestamp);
  // The reply is exactly the stored task in the legacy encoding.
  EXPECT_EQ(task, a2a::legacy::task_to_json(in->task));
  EXPECT_EQ(open_count(), 1u);
}

TEST_F(RpcServiceTest, SendRecordsTheSourceUrlHeaderAsTheSender) {
  const json reply =
      call(send_request("1", "t-from", "hi"), {{"x-a2a-source-url", "http://100.64.0.7:7777/"}});
  ASSERT_TRUE(reply.contains("result")) << reply.dump();
  auto in = stored("t-from");
  ASSERT_TRUE(in);
  EXPECT_EQ(in->from_url, "http://100.64.0.7:7777/");
  EXPECT_EQ(in->from_name, "") << "the URL belongs to no known peer";
}

TEST_F(RpcServiceTest, SendNamesASenderWhoseUrlIsAKnownPeer) {
  store::PeerRecord atlas;
  atlas.probe_url = "http://127.0.0.3:7777";
  atlas.name = "atlas";
  atlas.url = "http://127.0.0.3:7777/";
  atlas.card_json = "{}";
  atlas.sources = {"static"};
  atlas.last_seen = at_ms(0);
  atlas.online = true;
  ASSERT_TRUE(store::PeerTable(*db_).upsert_seen(atlas));

  // Claimed without the trailing slash: still the same peer.
  const json reply =
      call(send_request("1", "t-atlas", "hi"), {{"x-a2a-source-url", "http://127.0.0.3:7777"}});
  ASSERT_TRUE(reply.contains("result")) << reply.dump();
  auto in = stored("t-atlas");
  ASSERT_TRUE(in);
  EXPECT_EQ(in->from_url, "http://127.0.0.3:7777");
  EXPECT_EQ(in->from_name, "atlas");
}

TEST_F(RpcServiceTest, ResendOfTheSameIdChangesNothing) {
  // The original inserts with INSERT OR IGNORE: a re-sent id stores nothing new.
  const RpcOutcome first = handle(send_request("1", "t-dup", "first text").dump(),
                                  {{"x-a2a-source-url", "http://first/"}});
  EXPECT_EQ(first.new_task_id, std::optional<std::string>("t-dup"));
  auto original = stored("t-dup");
  ASSERT_TRUE(original);

  const RpcOutcome second = handle(send_request("2", "t-dup", "second text").dump(),
                                   {{"x-a2a-source-url", "http://second/"}});
  EXPECT_EQ(second.new_task_id, std::nullopt) << "nothing new was stored";
  const json reply = checked_reply(second.body);
  ASSERT_TRUE(reply.contains("result")) << second.body;
  EXPECT_EQ(reply["id"], "2");
  EXPECT_EQ(reply["result"]["id"], "t-dup");
  EXPECT_EQ(reply["result"]["status"]["state"], "submitted");
  EXPECT_EQ(reply["result"]["history"], json::array({user_message("first text")}));

  auto now = stored("t-dup");
  ASSERT_TRUE(now);
  EXPECT_EQ(now->task.history, original->task.history);
  EXPECT_EQ(now->from_url, "http://first/");
  EXPECT_EQ(now->received_at, original->received_at);
  EXPECT_EQ(now->task.updated_at, original->task.updated_at);
  EXPECT_EQ(open_count(), 1u);
}

TEST_F(RpcServiceTest, ResendOfAnAnsweredTaskDoesNotReopenIt) {
  ASSERT_TRUE(call(send_request("1", "t-done", "question")).contains("result"));
  auto answered = store::InboundTasks(*db_).respond("t-done", "answer", false, at_ms(5));
  ASSERT_TRUE(answered) << answered.error().message;

  const RpcOutcome again = handle(send_request("2", "t-done", "question again").dump());
  EXPECT_EQ(again.new_task_id, std::nullopt);
  const json reply = checked_reply(again.body);
  ASSERT_TRUE(reply.contains("result")) << again.body;
  // The reply is the task as it stands, not a fresh "submitted".
  EXPECT_EQ(reply["result"]["status"]["state"], "completed");
  EXPECT_EQ(reply["result"]["status"]["timestamp"], a2a::format_timestamp(at_ms(5)));
  EXPECT_EQ(reply["result"]["history"],
            json::array({user_message("question"), agent_message("answer")}));

  auto in = stored("t-done");
  ASSERT_TRUE(in);
  EXPECT_EQ(in->task.state, a2a::TaskState::kCompleted);
  ASSERT_EQ(in->task.history.size(), 2u);
  EXPECT_EQ(a2a::message_text(in->task.history[1]), "answer");
  EXPECT_EQ(open_count(), 0u);
}

TEST_F(RpcServiceTest, SendIgnoresFieldsTheLegacyDialectDoesNotHave) {
  // §1.3/§1.4: extra keys on the message, its parts and the params are ignored.
  json request = send_request(7, "t-extra", "hello");
  request["params"]["sessionId"] = "s-1";
  request["params"]["metadata"] = {{"k", "v"}};
  request["params"]["message"]["messageId"] = "m-1";
  request["params"]["message"]["kind"] = "message";
  request["params"]["message"]["parts"][0]["extra"] = true;
  const json reply = call(request);
  ASSERT_TRUE(reply.contains("result")) << reply.dump();
  EXPECT_EQ(reply["id"], 7);
  EXPECT_EQ(reply["result"]["history"], json::array({user_message("hello")}));
  auto in = stored("t-extra");
  ASSERT_TRUE(in);
  EXPECT_EQ(in->task.history[0].message_id, "");
}

TEST_F(RpcServiceTest, SendKeepsEveryTextPartInOrder) {
  json request = send_request("1", "t-parts", "one");
  request["params"]["message"]["parts"].push_back({{"type", "text"}, {"text", "two"}});
  const json reply = call(request);
  ASSERT_TRUE(reply.contains("result")) << reply.dump();
  EXPECT_EQ(reply["result"]["history"][0]["parts"],
            json::parse(R"([{"type":"text","text":"one"},{"type":"text","text":"two"}])"));
  auto in = stored("t-parts");
  ASSERT_TRUE(in);
  EXPECT_EQ(a2a::message_text(in->task.history[0]), "onetwo");
}

TEST_F(RpcServiceTest, SendRefusesAMessageFromTheAgentRole) {
  json request = send_request("1", "t-agent", "hi");
  request["params"]["message"]["role"] = "agent";
  expect_error(call(request), a2a::rpc_code::kInvalidParams,
               "Invalid params: params.message.role: a new task must come from \"user\"", "1");
  EXPECT_FALSE(stored("t-agent"));
}

TEST_F(RpcServiceTest, SendRefusesNonTextParts) {
  // §1.3: a file or data part, or a v0.3 part tagged with `kind`, fails to decode: -32602.
  json file = send_request("1", "t-file", "x");
  file["params"]["message"]["parts"][0] = {{"type", "file"}, {"file", {{"uri", "x"}}}};
  expect_error(call(file), a2a::rpc_code::kInvalidParams,
               "Invalid params: params.message.parts[0].type: expected \"text\", got \"file\"",
               "1");

  json v03 = send_request("2", "t-kind", "x");
  v03["params"]["message"]["parts"][0] = {{"kind", "text"}, {"text", "x"}};
  expect_error(call(v03), a2a::rpc_code::kInvalidParams,
               "Invalid params: params.message.parts[0].type: missing", "2");

  json role = send_request("3", "t-role", "x");
  role["params"]["message"]["role"] = "system";
  expect_error(call(role), a2a::rpc_code::kInvalidParams,
               "Invalid params: params.message.role: expected \"user\" or \"agent\", got "
               "\"system\"",
               "3");
  EXPECT_EQ(open_count(), 0u);
}

// --- tasks/get ----------------------------------------------------------------------------

TEST_F(RpcServiceTest, GetUnknownTaskIsTaskNotFound) {
  expect_error(call(rpc_request("g1", "tasks/get", {{"id", "t-nope"}})),
               a2a::rpc_code::kTaskNotFound, "Task not found: t-nope", "g1");
}

TEST_F(RpcServiceTest, GetOpenTaskReturnsItAsSubmitted) {
  ASSERT_TRUE(call(send_request("1", "t-open", "question")).contains("result"));
  auto in = stored("t-open");
  ASSERT_TRUE(in);
  const json reply = call(rpc_request(2, "tasks/get", {{"id", "t-open"}}));
  ASSERT_TRUE(reply.contains("result")) << reply.dump();
  EXPECT_EQ(reply["id"], 2);
  EXPECT_EQ(
      reply["result"],
      json({{"id", "t-open"},
            {"status",
             {{"state", "submitted"}, {"timestamp", a2a::format_timestamp(in->task.updated_at)}}},
            {"history", json::array({user_message("question")})}}));
}

TEST_F(RpcServiceTest, GetAnsweredTaskEndsWithTheAnswer) {
  // §1.5: the Rust `wait` prints the text of the LAST history message once completed.
  ASSERT_TRUE(call(send_request("1", "t-ans", "research Cedric")).contains("result"));
  auto answered =
      store::InboundTasks(*db_).respond("t-ans", "Cedric is a shrimp.", false, at_ms(42));
  ASSERT_TRUE(answered) << answered.error().message;

  const json reply = call(rpc_request("1", "tasks/get", {{"id", "t-ans"}}));
  ASSERT_TRUE(reply.contains("result")) << reply.dump();
  EXPECT_EQ(reply["result"],
            json({{"id", "t-ans"},
                  {"status", {{"state", "completed"}, {"timestamp", "2026-04-24T03:06:40.042Z"}}},
                  {"history", json::array({user_message("research Cedric"),
                                           agent_message("Cedric is a shrimp.")})}}));
  EXPECT_EQ(reply["result"]["history"].back()["parts"][0]["text"], "Cedric is a shrimp.");
}

TEST_F(RpcServiceTest, GetDeclinedTaskIsFailed) {
  ASSERT_TRUE(call(send_request("1", "t-no", "do my taxes")).contains("result"));
  ASSERT_TRUE(store::InboundTasks(*db_).respond("t-no", "out of scope", true, at_ms(1)));
  const json reply = call(rpc_request("1", "tasks/get", {{"id", "t-no"}}));
  ASSERT_TRUE(reply.contains("result")) << reply.dump();
  EXPECT_EQ(reply["result"]["status"]["state"], "failed");
  EXPECT_EQ(reply["result"]["history"].back(), agent_message("out of scope"));
}

TEST_F(RpcServiceTest, GetParamsMustNameATask) {
  expect_error(call(rpc_request("1", "tasks/get", nullptr)), a2a::rpc_code::kInvalidParams,
               "Invalid params: params: expected an object, got null", "1");
  expect_error(call(rpc_request("2", "tasks/get", json::object())), a2a::rpc_code::kInvalidParams,
               "Invalid params: params.id: missing", "2");
  expect_error(call(rpc_request("3", "tasks/get", {{"id", 12}})), a2a::rpc_code::kInvalidParams,
               "Invalid params: params.id: expected a string, got 12", "3");
  expect_error(call(rpc_request("4", "tasks/get", {{"id", ""}})), a2a::rpc_code::kInvalidParams,
               "Invalid params: params.id: must not be empty", "4");
  expect_error(call(rpc_request("5", "tasks/get", json::array({"t-1"}))),
               a2a::rpc_code::kInvalidParams,
               "Invalid params: params: expected an object, got an array", "5");
}

// --- tasks/cancel -------------------------------------------------------------------------

TEST_F(RpcServiceTest, LegacyCancelIsNotImplementedAndChangesNothing) {
  // As the original (§1.6): -32004 whatever the params, and the task stays open — for a
  // legacy task, and for any request announced the way the Rust client does.
  ASSERT_TRUE(call(send_request("1", "t-keep", "question")).contains("result"));
  const std::map<std::string, std::string> rust{{"x-a2a-source-url", "http://127.0.0.4:7777/"}};
  for (const json& params : {json({{"id", "t-keep"}}), json({{"id", "t-unknown"}}), json()}) {
    const json reply = call(rpc_request("c", "tasks/cancel", params), rust);
    expect_error(reply, a2a::rpc_code::kUnsupportedOperation,
                 "Method not yet implemented: tasks/cancel", "c");
  }
  expect_error(call(rpc_request("c", "tasks/cancel", {{"id", "t-keep"}})),
               a2a::rpc_code::kUnsupportedOperation, "Method not yet implemented: tasks/cancel",
               "c");
  auto in = stored("t-keep");
  ASSERT_TRUE(in);
  EXPECT_EQ(in->task.state, a2a::TaskState::kSubmitted);
  EXPECT_EQ(open_count(), 1u);
}

TEST_F(RpcServiceTest, CancelOfAnUnknownTaskWithoutTheRustHeaderIsAnsweredInV03) {
  // §4.2: tasks/cancel of a task we do not know is legacy only when the caller sent
  // X-A2A-Source-Url; otherwise it is a v0.3 client's, which expects -32001.
  expect_error(call(rpc_request("c", "tasks/cancel", {{"id", "t-unknown"}})),
               a2a::rpc_code::kTaskNotFound, "Task not found: t-unknown", "c");
}

TEST_F(RpcServiceTest, CancelReplyMatchesTheWireDocByteForByte) {
  EXPECT_EQ(
      handle(R"({"jsonrpc":"2.0","id":"1","method":"tasks/cancel","params":{"id":"x"}})",
             {{"x-a2a-source-url", "http://127.0.0.4:7777/"}})
          .body,
      R"({"jsonrpc":"2.0","id":"1","error":{"code":-32004,)"
      R"("message":"Method not yet implemented: tasks/cancel"}})");
}

// --- envelope errors ----------------------------------------------------------------------

TEST_F(RpcServiceTest, BodyThatIsNotJsonIsAParseErrorWithNullId) {
  for (const std::string body :
       {"not json", "{", R"({"jsonrpc":"2.0","id":1,"method":"tasks/get")", "{'a':1}",
        R"({"jsonrpc":"2.0","id":1,"method":"tasks/get"} trailing)", "\xEF\xBB\xBF{}x"}) {
    SCOPED_TRACE(body);
    const RpcOutcome out = handle(body);
    EXPECT_EQ(out.new_task_id, std::nullopt);
    const json reply = checked_reply(out.body);
    ASSERT_TRUE(reply.contains("error"));
    EXPECT_EQ(reply["error"]["code"], a2a::rpc_code::kParseError);
    EXPECT_TRUE(reply["error"]["message"].get<std::string>().starts_with("Parse error: "))
        << reply.dump();
    EXPECT_EQ(reply["id"], nullptr);
  }
}

TEST_F(RpcServiceTest, EmptyBodyIsAParseError) {
  for (const std::string body : {"", " ", "\r\n"}) {
    const json reply = call(body);
    ASSERT_TRUE(reply.contains("error"));
    EXPECT_EQ(reply["error"]["code"], a2a::rpc_code::kParseError);
    EXPECT_EQ(reply["id"], nullptr);
  }
}

TEST_F(RpcServiceTest, NulByteIsAParseError) {
  // nlohmann stops at a NUL; what follows must not be accepted as the request.
  const std::string body =
      std::string(R"({"jsonrpc":"2.0","id":1,"method":"tasks/get"})") + '\0' + "garbage";
  expect_error(call(body), a2a::rpc_code::kParseError,
               "Parse error: unexpected NUL byte at offset 45");
}

TEST_F(RpcServiceTest, JsonThatIsNotAnObjectIsAnInvalidRequest) {
  expect_error(call(std::string("42")), a2a::rpc_code::kInvalidRequest,
               "Invalid Request: expected a JSON object, got 42");
  expect_error(call(std::string("null")), a2a::rpc_code::kInvalidRequest,
               "Invalid Request: expected a JSON object, got null");
  expect_error(call(std::string(R"("tasks/send")")), a2a::rpc_code::kInvalidRequest,
               "Invalid Request: expected a JSON object, got \"tasks/send\"");
  expect_error(call(std::string("true")), a2a::rpc_code::kInvalidRequest,
               "Invalid Request: expected a JSON object, got true");
}

TEST_F(RpcServiceTest, EnvelopeWithoutJsonrpc20IsAnInvalidRequest) {
  json no_version = send_request("r1", "t-1", "x");
  no_version.erase("jsonrpc");
  expect_error(call(no_version), a2a::rpc_code::kInvalidRequest,
               "Invalid Request: jsonrpc: missing", "r1");

  json old = send_request("r2", "t-1", "x");
  old["jsonrpc"] = "1.0";
  expect_error(call(old), a2a::rpc_code::kInvalidRequest,
               "Invalid Request: jsonrpc: expected \"2.0\", got \"1.0\"", "r2");

  json number = send_request("r3", "t-1", "x");
  number["jsonrpc"] = 2;
  expect_error(call(number), a2a::rpc_code::kInvalidRequest,
               "Invalid Request: jsonrpc: expected \"2.0\", got 2", "r3");
  EXPECT_FALSE(stored("t-1")) << "an invalid envelope must not store anything";
}

TEST_F(RpcServiceTest, EnvelopeWithoutMethodIsAnInvalidRequest) {
  json missing = send_request("r1", "t-1", "x");
  missing.erase("method");
  expect_error(call(missing), a2a::rpc_code::kInvalidRequest, "Invalid Request: method: missing",
               "r1");

  json number = send_request("r2", "t-1", "x");
  number["method"] = 5;
  expect_error(call(number), a2a::rpc_code::kInvalidRequest,
               "Invalid Request: method: expected a string, got 5", "r2");
  EXPECT_FALSE(stored("t-1"));
}

TEST_F(RpcServiceTest, NotificationIsAnInvalidRequestAndStoresNothing) {
  // Every A2A method has a result, so a request without id is refused, not executed.
  json notification = send_request("unused", "t-note", "x");
  notification.erase("id");
  expect_error(call(notification), a2a::rpc_code::kInvalidRequest,
               "Invalid Request: id: missing (notifications are not supported)");
  EXPECT_FALSE(stored("t-note"));
}

TEST_F(RpcServiceTest, StructuredIdIsAnInvalidRequestWithNullId) {
  json object_id = send_request(json({{"a", 1}}), "t-obj", "x");
  expect_error(call(object_id), a2a::rpc_code::kInvalidRequest,
               "Invalid Request: id: expected a string, number or null, got an object");
  json array_id = send_request(json::array({1}), "t-obj", "x");
  expect_error(call(array_id), a2a::rpc_code::kInvalidRequest,
               "Invalid Request: id: expected a string, number or null, got an array");
  EXPECT_FALSE(stored("t-obj"));
}

TEST_F(RpcServiceTest, RequestIdIsEchoedUnchanged) {
  // §1.1: `id` may be any JSON value and is echoed back as is.
  const std::vector<json> ids = {json("0b9f6a8e-0d1c-4f47-9a55-2b9f0f6f1e11"),
                                 json(0),
                                 json(-17),
                                 json(18446744073709551615ull),
                                 json(1.5),
                                 json(nullptr),
                                 json("caf\xC3\xA9 \xF0\x9F\x98\x80")};
  for (const json& id : ids) {
    SCOPED_TRACE(id.dump());
    const json reply = call(rpc_request(id, "tasks/get", {{"id", "t-none"}}));
    expect_error(reply, a2a::rpc_code::kTaskNotFound, "Task not found: t-none", id);
  }
}

TEST_F(RpcServiceTest, UnknownMethodIsMethodNotFound) {
  // Names in none of the three dialects (§4.2 step 3), near misses included.
  for (const std::string method : {"tasks/sendSubscribe", "TASKS/SEND", "tasks/send ", "",
                                    "sendMessage", "message/Send", "tasks/list"}) {
    SCOPED_TRACE(method);
    expect_error(call(rpc_request("m", method, {{"id", "t-1"}})), a2a::rpc_code::kMethodNotFound,
                 "Method not found: " + method, "m");
  }
  EXPECT_EQ(open_count(), 0u);
}

TEST_F(RpcServiceTest, SendParamsMissingOrOfTheWrongTypeAreInvalidParams) {
  struct Case {
    json params;
    std::string message;
  };
  const std::vector<Case> cases = {
      {nullptr, "Invalid params: params: expected an object, got null"},
      {json::array(), "Invalid params: params: expected an object, got an array"},
      {"t-1", "Invalid params: params: expected an object, got \"t-1\""},
      {{{"message", user_message("x")}}, "Invalid params: params.id: missing"},
      {{{"id", 5}, {"message", user_message("x")}},
       "Invalid params: params.id: expected a string, got 5"},
      {{{"id", nullptr}, {"message", user_message("x")}},
       "Invalid params: params.id: expected a string, got null"},
      {{{"id", ""}, {"message", user_message("x")}},
       "Invalid params: params.id: must not be empty"},
      {{{"id", "t-1"}}, "Invalid params: params.message: missing"},
      {{{"id", "t-1"}, {"message", "hi"}},
       "Invalid params: params.message: expected an object, got \"hi\""},
      {{{"id", "t-1"}, {"message", json::array()}},
       "Invalid params: params.message: expected an object, got an array"},
      {{{"id", "t-1"}, {"message", {{"role", "user"}}}},
       "Invalid params: params.message.parts: missing"},
      {{{"id", "t-1"}, {"message", {{"role", "user"}, {"parts", "hi"}}}},
       "Invalid params: params.message.parts: expected an array, got \"hi\""},
      {{{"id", "t-1"}, {"message", {{"parts", json::array()}}}},
       "Invalid params: params.message.role: missing"},
      {{{"id", "t-1"},
        {"message", {{"role", "user"}, {"parts", json::array({{{"type", "text"}}})}}}},
       "Invalid params: params.message.parts[0].text: missing"},
      {{{"id", "t-1"},
        {"message", {{"role", "user"}, {"parts", json::array({{{"type", "text"}, {"text", 3}}})}}}},
       "Invalid params: params.message.parts[0].text: expected a string, got 3"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.params.dump());
    const RpcOutcome out = handle(rpc_request("p", "tasks/send", c.params).dump());
    EXPECT_EQ(out.new_task_id, std::nullopt);
    expect_error(checked_reply(out.body), a2a::rpc_code::kInvalidParams, c.message, "p");
  }
  EXPECT_EQ(open_count(), 0u);
}

TEST_F(RpcServiceTest, BatchIsRefusedAndNothingInItRuns) {
  const json batch = json::array({send_request("1", "t-b1", "x"), send_request("2", "t-b2", "y")});
  expect_error(call(batch), a2a::rpc_code::kInvalidRequest,
               "Invalid Request: batch requests are not supported");
  expect_error(call(std::string("[]")), a2a::rpc_code::kInvalidRequest,
               "Invalid Request: batch requests are not supported");
  EXPECT_FALSE(stored("t-b1"));
  EXPECT_FALSE(stored("t-b2"));
}

TEST_F(RpcServiceTest, DeeplyNestedJsonIsAParseErrorNotACrash) {
  const std::string deep_arrays(10000, '[');
  expect_error(call(deep_arrays), a2a::rpc_code::kParseError,
               "Parse error: nesting deeper than 64");
  expect_error(call(deep_arrays + std::string(10000, ']')), a2a::rpc_code::kParseError,
               "Parse error: nesting deeper than 64");

  // Deep inside an otherwise valid request, in a field the decoder would ignore.
  std::string nested;
  for (int i = 0; i < 10000; ++i) nested += R"({"a":)";
  nested += "1" + std::string(10000, '}');
  const std::string body = R"({"jsonrpc":"2.0","id":1,"method":"tasks/send",)"
                           R"("params":{"id":"t-deep","message":{"role":"user","parts":[],"x":)" +
                           nested + "}}}";
  expect_error(call(body), a2a::rpc_code::kParseError, "Parse error: nesting deeper than 64");
  EXPECT_FALSE(stored("t-deep"));
}

TEST_F(RpcServiceTest, ModeratelyNestedExtraFieldsAreAccepted) {
  // Below the limit, nesting in ignored fields does not matter.
  std::string nested = std::string(50, '[') + std::string(50, ']');
  const std::string body =
      R"({"jsonrpc":"2.0","id":1,"method":"tasks/send","params":{"id":"t-ok","metadata":)" +
      nested + R"(,"message":{"role":"user","parts":[{"type":"text","text":"hi"}]}}})";
  const json reply = call(body);
  ASSERT_TRUE(reply.contains("result")) << reply.dump();
  EXPECT_TRUE(stored("t-ok"));
}

TEST_F(RpcServiceTest, InvalidUtf8IsAParseErrorAndTheReplyStaysValidUtf8) {
  const std::vector<std::string> bodies = {
      // In the text of a part.
      "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tasks/send\",\"params\":{\"id\":\"t-u\","
      "\"message\":{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"text\":\"a\xFF\xFE b\"}]}}}",
      // In the task id and the method.
      "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tasks/send\",\"params\":{\"id\":\"t-\xC3\"}}",
      "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tasks/\xE2\x82\"}",
      // Overlong encoding and a UTF-16 surrogate.
      "{\"jsonrpc\":\"2.0\",\"id\":\"\xC0\xAF\",\"method\":\"tasks/get\"}",
      "{\"jsonrpc\":\"2.0\",\"id\":\"\xED\xA0\x80\",\"method\":\"tasks/get\"}",
      // Outside any string.
      "\xFF\xFF\xFF",
  };
  for (const std::string& body : bodies) {
    SCOPED_TRACE(json(body).dump(-1, ' ', true, json::error_handler_t::replace));
    const RpcOutcome out = handle(body);
    EXPECT_EQ(out.new_task_id, std::nullopt);
    const json reply = checked_reply(out.body);  // fails on invalid UTF-8 in the reply
    ASSERT_TRUE(reply.contains("error"));
    EXPECT_EQ(reply["error"]["code"], a2a::rpc_code::kParseError);
    EXPECT_EQ(reply["id"], nullptr);
  }
  EXPECT_FALSE(stored("t-u"));
}

TEST_F(RpcServiceTest, EscapedNonAsciiTextIsStoredAndEchoedExactly) {
  const std::string text = "caf\xC3\xA9 \xF0\x9F\xA6\x90\nline two\t\"quoted\"";
  const json reply = call(send_request("1", "t-\xE2\x82\xAC", text));
  ASSERT_TRUE(reply.contains("result")) << reply.dump();
  EXPECT_EQ(reply["result"]["id"], "t-\xE2\x82\xAC");
  EXPECT_EQ(reply["result"]["history"][0]["parts"][0]["text"], text);
  auto in = stored("t-\xE2\x82\xAC");
  ASSERT_TRUE(in);
  EXPECT_EQ(a2a::message_text(in->task.history[0]), text);
}

// --- store failures -----------------------------------------------------------------------

TEST_F(RpcServiceTest, StoreFailureOnSendIsAnInternalError) {
  ASSERT_TRUE(db_->write("drop", [](SQLite::Database& db) { db.exec("DROP TABLE tasks_in"); }));
  const RpcOutcome out = handle(send_request("s", "t-lost", "x").dump());
  EXPECT_EQ(out.new_task_id, std::nullopt);
  const json reply = checked_reply(out.body);
  ASSERT_TRUE(reply.contains("error")) << out.body;
  EXPECT_EQ(reply["error"]["code"], a2a::rpc_code::kInternalError);
  EXPECT_EQ(reply["id"], "s");
  EXPECT_TRUE(reply["error"]["message"].get<std::string>().starts_with(
      "Internal error: record inbound task: "))
      << reply.dump();
}

TEST_F(RpcServiceTest, UnreadableStoredTaskOnGetIsAnInternalError) {
  ASSERT_TRUE(call(send_request("1", "t-bad", "x")).contains("result"));
  ASSERT_TRUE(db_->write("corrupt", [](SQLite::Database& db) {
    db.exec("UPDATE tasks_in SET history = 'not json' WHERE id = 't-bad'");
  }));
  const json reply = call(rpc_request("g", "tasks/get", {{"id", "t-bad"}}));
  expect_error(
      reply, a2a::rpc_code::kInternalError,
      "Internal error: read inbound task: task history is not valid JSON (store " +
          store_file().string() + ")",
      "g");
}

}  // namespace
}  // namespace constellation::server

// Node::send, refresh and cancel against a scripted peer of each dialect: what goes on
// the wire, and what the store keeps (our id, the peer's id, dialect, endpoint, tenant).
#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>

#include "constellation/client/a2a_client.h"
#include "constellation/client/block_on.h"
#include "constellation/node/node.h"
#include "node/fake_peer.h"
#include "store/store_fixture.h"

namespace constellation::node {
namespace {

using nlohmann::json;
using test_support::FakePeer;
using Request = FakePeer::Request;

constexpr const char* kSelfUrl = "http://127.0.0.2:7777/";

json legacy_card(const std::string& url) {
  return {{"name", "atlas"}, {"url", url}, {"version", "0.1.0"}};
}
json v03_card(const std::string& url) {
  return {{"name", "atlas"},
          {"url", url},
          {"version", "1"},
          {"protocolVersion", "0.3.0"},
          {"preferredTransport", "JSONRPC"}};
}
json v10_card(const std::string& url, const std::string& tenant = "") {
  json entry = {{"url", url}, {"protocolBinding", "JSONRPC"}, {"protocolVersion", "1.0"}};
  if (!tenant.empty()) entry["tenant"] = tenant;
  return {{"name", "atlas"}, {"version", "1"}, {"supportedInterfaces", json::array({entry})}};
}

class NodeSendTest : public store::test_support::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    db_ = open_store();
    ASSERT_TRUE(db_);
    node_ = std::make_unique<Node>(*db_, kSelfUrl);
  }

  /// A peer called atlas; `node_id` makes it a Constellation node.
  void add_peer(const json& card, const std::string& probe_url, const std::string& node_id = "") {
    store::PeerRecord p;
    p.name = "atlas";
    p.probe_url = probe_url;
    p.url = probe_url;
    p.node_id = node_id;
    p.key = store::peer_key(node_id, p.url);
    p.card_json = card.dump();
    p.online = true;
    auto st = store::PeerTable(*db_).upsert_seen(p);
    ASSERT_TRUE(st) << st.error().message;
  }

  store::OutboundTask stored(const std::string& id) {
    auto t = node_->outbound(id);
    EXPECT_TRUE(t) << t.error().message;
    return t ? *t : store::OutboundTask{};
  }

  /// The id `send` printed, failing the test when it failed.
  std::string send(const std::string& text) {
    auto id = node_->send("atlas", text);
    EXPECT_TRUE(id) << id.error().message;
    return id ? *id : "";
  }

  static bool ours(const std::string& id) {
    return std::regex_match(
        id, std::regex("t-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"));
  }

  std::unique_ptr<store::Database> db_;
  std::unique_ptr<Node> node_;
};

// --- v1.0 --------------------------------------------------------------------------------

TEST_F(NodeSendTest, V10SendToAConstellationPeerTakesItsIdAndRecordsDialectAndTenant) {
  std::atomic<int> gets = 0;
  FakePeer peer([&](const Request& req) {
    const json body = req.json();
    if (body["method"] == "SendMessage") {
      return FakePeer::result(req, {{"task",
                                     {{"id", "remote-1"},
                                      {"contextId", "ctx-1"},
                                      {"status", {{"state", "TASK_STATE_SUBMITTED"}}}}}});
    }
    ++gets;
    const json task = json::parse(R"({"id":"remote-1","contextId":"ctx-1",
        "status":{"state":"TASK_STATE_COMPLETED","timestamp":"2026-05-01T10:00:00.000Z",
                  "message":{"messageId":"m-2","role":"ROLE_AGENT","parts":[{"text":"done"}]}},
        "artifacts":[{"artifactId":"a-1","parts":[{"text":"forty-two"}]}]})");
    return FakePeer::result(req, task);
  });
  add_peer(v10_card(peer.url() + "rpc", "acme"), peer.url(), "node-atlas");

  const std::string id = send("what is 6 x 7?");
  ASSERT_EQ(peer.requests().size(), 1u);
  const Request sent = peer.requests()[0];
  EXPECT_EQ(sent.method, "POST");
  EXPECT_EQ(sent.target, "/rpc");
  EXPECT_EQ(sent.header("a2a-version"), "1.0");
  EXPECT_EQ(sent.header("content-type"), "application/json");
  EXPECT_EQ(sent.header("x-a2a-source-url"), kSelfUrl) << "our own server shows it in its inbox";
  const json params = sent.json()["params"];
  EXPECT_EQ(params["configuration"]["returnImmediately"], true);
  EXPECT_EQ(params["tenant"], "acme");
  EXPECT_EQ(params["message"]["role"], "ROLE_USER");
  EXPECT_EQ(params["message"]["parts"], json::parse(R"([{"text":"what is 6 x 7?"}])"));

  EXPECT_EQ(id, "remote-1") << "the id the peer's inbox shows";
  EXPECT_FALSE(ours(id));
  store::OutboundTask out = stored(id);
  EXPECT_EQ(out.dialect, "1.0");
  EXPECT_EQ(out.peer_url, peer.url() + "rpc");
  EXPECT_EQ(out.tenant, "acme");
  EXPECT_EQ(out.remote_id, "");
  EXPECT_EQ(out.wire_id(), "remote-1");
  EXPECT_EQ(out.task.context_id, "ctx-1");
  EXPECT_EQ(out.task.state, a2a::TaskState::kSubmitted);
  ASSERT_EQ(out.task.history.size(), 1u) << "the peer sent no history: ours stays";
  EXPECT_EQ(a2a::message_text(out.task.history[0]), "what is 6 x 7?");
  EXPECT_EQ(out.task.history[0].message_id, params["message"]["messageId"]);

  auto refreshed = node_->refresh(id);
  ASSERT_TRUE(refreshed) << refreshed.error().message;
  ASSERT_EQ(peer.requests().size(), 2u);
  const Request get = peer.requests()[1];
  EXPECT_EQ(get.header("a2a-version"), "1.0");
  EXPECT_EQ(get.json()["method"], "GetTask");
  EXPECT_EQ(get.json()["params"], json::parse(R"({"id":"remote-1","tenant":"acme"})"));
  EXPECT_FALSE(get.has_header("x-a2a-source-url"));
  EXPECT_EQ(refreshed->task.id, id);
  EXPECT_EQ(refreshed->task.state, a2a::TaskState::kCompleted);
  EXPECT_EQ(a2a::answer_text(refreshed->task), "forty-two\ndone");

  // Finished: no more questions to the peer.
  ASSERT_TRUE(node_->refresh(id));
  EXPECT_EQ(gets, 1);
}

TEST_F(NodeSendTest, AMessageInsteadOfATaskCompletesTheTaskWithThatAnswer) {
  FakePeer peer([](const Request& req) {
    return FakePeer::result(req, json::parse(R"({"message":{"messageId":"m-9","contextId":"c-9",
        "role":"ROLE_AGENT","parts":[{"text":"Bonjour"}]}})"));
  });
  add_peer(v10_card(peer.url()), peer.url());
  const std::string id = send("good morning in French?");
  EXPECT_TRUE(ours(id)) << id;
  const store::OutboundTask out = stored(id);
  EXPECT_EQ(out.task.state, a2a::TaskState::kCompleted);
  EXPECT_EQ(out.remote_id, "") << "there is no task on the peer's side";
  EXPECT_EQ(out.task.context_id, "c-9");
  ASSERT_EQ(out.task.history.size(), 2u);
  EXPECT_EQ(out.task.history[1].role, a2a::Role::kAgent);
  EXPECT_EQ(a2a::answer_text(out.task), "Bonjour");
  ASSERT_TRUE(node_->refresh(id));
  EXPECT_EQ(peer.requests().size(), 1u) << "a finished task is not asked about";
}

TEST_F(NodeSendTest, JsonRpcErrorOnSendLeavesNoTaskAndSaysWhy) {
  FakePeer peer(
      [](const Request& req) { return FakePeer::rpc_error(req, -32601, "Method not found"); });
  add_peer(v10_card(peer.url()), peer.url());
  auto sent = node_->send("atlas", "hello");
  ASSERT_FALSE(sent);
  EXPECT_EQ(sent.error().kind, ErrorKind::kPeerError);
  EXPECT_EQ(sent.error().message,
            "peer 'atlas' refused the task: SendMessage to " + peer.url() +
                " failed: Method not found (code -32601); the peer does not speak A2A 1.0 as its "
                "card says; retry after the next discovery round has re-read its card");
  auto active = store::OutboundTasks(*db_).list_active();
  ASSERT_TRUE(active);
  EXPECT_TRUE(active->empty());
}

TEST_F(NodeSendTest, UnreadableReplyIsAPeerError) {
  FakePeer peer([](const Request& req) { return FakePeer::result(req, {{"surprise", 1}}); });
  add_peer(v10_card(peer.url()), peer.url());
  auto sent = node_->send("atlas", "hello");
  ASSERT_FALSE(sent);
  EXPECT_EQ(sent.error().kind, ErrorKind::kPeerError);
  EXPECT_TRUE(sent.error().message.starts_with("peer 'atlas' refused the task: SendMessage to " +
                                               peer.url() + ": unreadable reply ("))
      << sent.error().message;
  EXPECT_TRUE(
      sent.error().message.ends_with("); the peer does not answer as an A2A 1.0 agent should"))
      << sent.error().message;
}

TEST_F(NodeSendTest, NotJsonRpcAtAll) {
  FakePeer peer([](const Request&) { return FakePeer::Reply{404, "Not Found", "text/plain"}; });
  add_peer(v10_card(peer.url()), peer.url());
  auto sent = node_->send("atlas", "hello");
  ASSERT_FALSE(sent);
  EXPECT_EQ(sent.error().kind, ErrorKind::kPeerError);
  const std::string& m = sent.error().message;
  EXPECT_TRUE(m.starts_with("peer 'atlas' refused the task: SendMessage to " + peer.url() +
                            ": HTTP 404 with no JSON-RPC reply (not JSON: "))
      << m;
  EXPECT_TRUE(
      m.ends_with("); the peer's card may be out of date: check it with 'constellation "
                  "peers --json'"))
      << m;
}

TEST_F(NodeSendTest, APeerTheV10PeerForgotFailsTheRefreshAsUnknownTask) {
  std::atomic<bool> sent_once = false;
  FakePeer peer([&](const Request& req) {
    if (!sent_once) {
      sent_once = true;
      return FakePeer::result(
          req, json::parse(R"({"task":{"id":"r-1","status":{"state":"TASK_STATE_WORKING"}}})"));
    }
    return FakePeer::rpc_error(req, -32001, "Task not found");
  });
  add_peer(v10_card(peer.url()), peer.url());
  const std::string id = send("hello");
  auto r = node_->refresh(id);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::kUnknownTask);
  EXPECT_EQ(stored(id).last_error, r.error().message);
}

// --- v0.3 --------------------------------------------------------------------------------

TEST_F(NodeSendTest, V03SendIsNonBlockingMessageSendWithoutVersionHeader) {
  FakePeer peer([](const Request& req) {
    const json body = req.json();
    if (body["method"] == "message/send") {
      return FakePeer::result(req, json::parse(R"({"kind":"task","id":"r-3","contextId":"c-3",
          "status":{"state":"submitted","timestamp":"2026-05-01T10:00:00.000Z"},
          "history":[{"kind":"message","messageId":"x","role":"user",
                      "parts":[{"kind":"text","text":"hi"}]}]})"));
    }
    return FakePeer::result(req, json::parse(R"({"kind":"task","id":"r-3","contextId":"c-3",
        "status":{"state":"failed","message":{"kind":"message","messageId":"m","role":"agent",
                  "parts":[{"kind":"text","text":"no can do"}]}}})"));
  });
  add_peer(v03_card(peer.url()), peer.url());
  const std::string id = send("hi");
  const Request sent = peer.requests().at(0);
  EXPECT_FALSE(sent.has_header("a2a-version"));
  EXPECT_EQ(sent.header("content-type"), "application/json");
  EXPECT_EQ(sent.header("x-a2a-source-url"), kSelfUrl);
  EXPECT_EQ(sent.json()["method"], "message/send");
  EXPECT_EQ(sent.json()["params"]["configuration"]["blocking"], false);
  EXPECT_TRUE(ours(id)) << "another agent shows nobody its ids: " << id;
  store::OutboundTask out = stored(id);
  EXPECT_EQ(out.dialect, "0.3");
  EXPECT_EQ(out.remote_id, "r-3");
  EXPECT_EQ(out.wire_id(), "r-3");
  EXPECT_EQ(out.tenant, "");

  auto r = node_->refresh(id);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(peer.requests().at(1).json()["method"], "tasks/get");
  EXPECT_EQ(peer.requests().at(1).json()["params"], json::parse(R"({"id":"r-3"})"));
  EXPECT_EQ(r->task.state, a2a::TaskState::kFailed);
  EXPECT_EQ(a2a::answer_text(r->task), "no can do");
  EXPECT_NE(r->task.updated_at, a2a::Timestamp{})
      << "no timestamp from the peer: the time we saw it";
}

// --- legacy ------------------------------------------------------------------------------

// The original carries text only: attachments are refused before anything is stored or
// sent, saying why and what to do instead.
TEST_F(NodeSendTest, LegacyPeersAreRefusedAttachmentsBeforeAnythingIsSent) {
  FakePeer peer([](const Request& req) { return FakePeer::rpc_error(req, -32603, "unexpected"); });
  add_peer(legacy_card(peer.url()), peer.url());
  for (const a2a::Part& part : {a2a::file_part("a.txt", "text/plain", "x"), a2a::data_part("{}")}) {
    auto sent = node_->send("atlas", "look", {part});
    ASSERT_FALSE(sent);
    EXPECT_EQ(sent.error().kind, ErrorKind::kPeerError);
    EXPECT_EQ(sent.error().message,
              "peer 'atlas' speaks the original Rust dialect, which carries text only: it cannot "
              "take files or data; nothing was sent. Send the text alone, or put the content in "
              "the text (e.g. constellation send atlas - < notes.txt)");
  }
  EXPECT_TRUE(peer.requests().empty());
  auto stored = store::OutboundTasks(*db_).list_active();
  ASSERT_TRUE(stored);
  EXPECT_TRUE(stored->empty());
}

// A file and a data part go after the text, as the peer's dialect spells them; an empty
// text adds no part before them.
TEST_F(NodeSendTest, AttachmentsTravelInTheRequestMessageV10) {
  FakePeer peer([](const Request& req) {
    return FakePeer::result(req, json::parse(R"({"task":{"id":"r-1","status":{"state":"TASK_STATE_SUBMITTED"}}})"));
  });
  add_peer(v10_card(peer.url()), peer.url());
  const std::string bytes("\0\xff", 2);
  auto id = node_->send("atlas", "", {a2a::file_part("a.bin", "application/octet-stream", bytes),
                                      a2a::data_part(R"({"n":1})")});
  ASSERT_TRUE(id) << id.error().message;
  const json parts = peer.requests().at(0).json()["params"]["message"]["parts"];
  EXPECT_EQ(parts, json::parse(R"([{"raw":"AP8=","filename":"a.bin","mediaType":"application/octet-stream"},{"data":{"n":1}}])"));
  // Our copy of the request keeps the bytes.
  const auto request = stored(*id).task.history.at(0);
  ASSERT_EQ(request.parts.size(), 2u);
  EXPECT_EQ(request.parts[0].bytes, bytes);
}

TEST_F(NodeSendTest, AttachmentsTravelInTheRequestMessageV03) {
  FakePeer peer([](const Request& req) {
    return FakePeer::result(req, json::parse(R"({"kind":"task","id":"r-1","contextId":"c","status":{"state":"submitted"}})"));
  });
  add_peer(v03_card(peer.url()), peer.url());
  const std::string bytes("\0\xff", 2);
  auto id = node_->send("atlas", "", {a2a::file_part("a.bin", "application/octet-stream", bytes),
                                      a2a::data_part(R"({"n":1})")});
  ASSERT_TRUE(id) << id.error().message;
  const json parts = peer.requests().at(0).json()["params"]["message"]["parts"];
  EXPECT_EQ(parts, json::parse(R"([{"kind":"file","file":{"bytes":"AP8=","name":"a.bin","mimeType":"application/octet-stream"}},{"kind":"data","data":{"n":1}}])"));
  // Our copy of the request keeps the bytes.
  const auto request = stored(*id).task.history.at(0);
  ASSERT_EQ(request.parts.size(), 2u);
  EXPECT_EQ(request.parts[0].bytes, bytes);
}

TEST_F(NodeSendTest, LegacySendChoosesTheIdAndNamesUs) {
  FakePeer peer([](const Request& req) {
    const json body = req.json();
    const std::string id = body["params"]["id"];
    if (body["method"] == "tasks/send") {
      return FakePeer::result(
          req, {{"id", id},
                {"status", {{"state", "submitted"}, {"timestamp", "2026-04-29T18:00:00Z"}}},
                {"history", {body["params"]["message"]}}});
    }
    return FakePeer::result(
        req, {{"id", id},
              {"status", {{"state", "completed"}, {"timestamp", "2026-04-29T18:00:01Z"}}},
              {"history", json::parse(R"([{"role":"user","parts":[{"type":"text","text":"q"}]},
                                          {"role":"agent","parts":[{"type":"text","text":"a"}]}])")}});
  });
  add_peer(legacy_card(peer.url()), peer.url());
  const std::string id = send("q");
  EXPECT_TRUE(ours(id)) << id;
  const Request sent = peer.requests().at(0);
  EXPECT_EQ(sent.json()["method"], "tasks/send");
  EXPECT_EQ(sent.json()["params"]["id"], id);
  EXPECT_EQ(sent.json()["params"]["message"],
            json::parse(R"({"role":"user","parts":[{"type":"text","text":"q"}]})"));
  EXPECT_EQ(sent.header("x-a2a-source-url"), kSelfUrl);
  EXPECT_FALSE(sent.has_header("a2a-version"));
  store::OutboundTask out = stored(id);
  EXPECT_EQ(out.dialect, "legacy");
  EXPECT_EQ(out.remote_id, "");
  EXPECT_EQ(out.wire_id(), id);

  auto r = node_->refresh(id);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(peer.requests().at(1).json()["params"], (json{{"id", id}}));
  EXPECT_EQ(a2a::answer_text(r->task), "a");
}

TEST_F(NodeSendTest, APeersIdIsOnlyAdoptedWhenItIsPrintableAndFree) {
  std::atomic<int> n = 0;
  // The peer names its tasks "dup", "dup", then something no shell should see.
  FakePeer peer([&](const Request& req) {
    const int i = ++n;
    const std::string remote = i <= 2 ? "dup" : "-rf \n/";
    return FakePeer::result(
        req, {{"task", {{"id", remote}, {"status", {{"state", "TASK_STATE_SUBMITTED"}}}}}});
  });
  add_peer(v10_card(peer.url()), peer.url(), "node-atlas");
  EXPECT_EQ(send("one"), "dup");
  const std::string second = send("two");
  EXPECT_TRUE(ours(second)) << "another of our tasks is called 'dup' already: " << second;
  EXPECT_EQ(stored(second).remote_id, "dup");
  EXPECT_EQ(stored(second).wire_id(), "dup");
  const std::string third = send("three");
  EXPECT_TRUE(ours(third)) << third;
  EXPECT_EQ(stored(third).wire_id(), "-rf \n/");
}

TEST(PrintableTaskId, LettersDigitsAndAFewMarks) {
  for (const char* id : {"t-3c1d2f7e-8a7b-4c1e-9f0a-5d6e7f8a9b0c",
                         "1113b065-060b-460b-8ec7-e39f38bdb88e", "task_1", "a.b:c", "X"}) {
    EXPECT_TRUE(printable_task_id(id)) << id;
  }
  for (const char* id : {"", "-rf", ".hidden", "a b", "a\tb", "a\nb", "a/b", "a;b", "$(x)", "é"}) {
    EXPECT_FALSE(printable_task_id(id)) << id;
  }
  EXPECT_TRUE(printable_task_id(std::string(kMaxPrintableTaskId, 'a')));
  EXPECT_FALSE(printable_task_id(std::string(kMaxPrintableTaskId + 1, 'a')));
}

// --- cancel ------------------------------------------------------------------------------

TEST_F(NodeSendTest, CancelAV10Task) {
  FakePeer peer([](const Request& req) {
    const json body = req.json();
    const char* state =
        body["method"] == "CancelTask" ? "TASK_STATE_CANCELED" : "TASK_STATE_WORKING";
    return body["method"] == "SendMessage"
               ? FakePeer::result(req, {{"task", {{"id", "r-1"}, {"status", {{"state", state}}}}}})
               : FakePeer::result(req, {{"id", "r-1"}, {"status", {{"state", state}}}});
  });
  add_peer(v10_card(peer.url()), peer.url());
  const std::string id = send("long job");
  auto r = node_->cancel(id);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(peer.requests().at(1).json()["method"], "CancelTask");
  EXPECT_EQ(peer.requests().at(1).json()["params"], json::parse(R"({"id":"r-1"})"));
  EXPECT_EQ(r->task.state, a2a::TaskState::kCanceled);

  auto again = node_->cancel(id);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().kind, ErrorKind::kTaskNotOpen);
  EXPECT_EQ(again.error().message, "task " + id +
                                       " has already ended (canceled); nothing to cancel. "
                                       "'constellation wait " +
                                       id + "' prints its answer");
  EXPECT_EQ(peer.requests().size(), 2u);
}

TEST_F(NodeSendTest, CancelAV03TaskThePeerCannotCancel) {
  FakePeer peer([](const Request& req) {
    if (req.json()["method"] == "tasks/cancel")
      return FakePeer::rpc_error(req, -32002, "Task cannot be canceled");
    return FakePeer::result(
        req,
        json::parse(R"({"kind":"task","id":"r-1","contextId":"c","status":{"state":"working"}})"));
  });
  add_peer(v03_card(peer.url()), peer.url());
  const std::string id = send("job");
  auto r = node_->cancel(id);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::kTaskNotOpen);
  EXPECT_EQ(r.error().message,
            "peer 'atlas' did not cancel task " + id + ": tasks/cancel to " + peer.url() +
                " failed: Task cannot be canceled (code -32002); the task has already ended on "
                "the peer; 'constellation wait' shows its answer");
}

TEST_F(NodeSendTest, LegacyPeersCannotCancel) {
  FakePeer peer([](const Request& req) {
    const json body = req.json();
    return FakePeer::result(
        req, {{"id", body["params"]["id"]},
              {"status", {{"state", "submitted"}, {"timestamp", "2026-04-29T18:00:00Z"}}}});
  });
  add_peer(legacy_card(peer.url()), peer.url());
  const std::string id = send("job");
  auto r = node_->cancel(id);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::kPeerError);
  EXPECT_EQ(r.error().message,
            "peer 'atlas' did not cancel task " + id + ": the peer at " + peer.url() +
                " speaks the original Constellation dialect, which does not support cancel; ask "
                "its owner to drop the task instead");
  EXPECT_EQ(peer.requests().size(), 1u) << "not even asked";
}

// --- the card decides ---------------------------------------------------------------------

TEST_F(NodeSendTest, APeerWhoseCardOffersNoEndpointGetsNothing) {
  add_peer(json::parse(R"({"name":"atlas","supportedInterfaces":[
      {"url":"http://127.0.0.1:1/","protocolBinding":"GRPC","protocolVersion":"1.0"}]})"),
           "http://127.0.0.1:1");
  auto sent = node_->send("atlas", "hello");
  ASSERT_FALSE(sent);
  EXPECT_EQ(sent.error().kind, ErrorKind::kPeerError);
  EXPECT_EQ(sent.error().message,
            "peer 'atlas' cannot take tasks from us: the card's supportedInterfaces has no "
            "JSON-RPC entry of version 0.3 or 1.x; see its card with 'constellation peers --json'");
  auto active = store::OutboundTasks(*db_).list_active();
  ASSERT_TRUE(active);
  EXPECT_TRUE(active->empty());
}

TEST(FetchCard, AsksForTheV10CardAndReadsAV10OnlyCard) {
  FakePeer peer([](const Request&) {
    return FakePeer::Reply{200, v10_card("http://127.0.0.1:9/a2a").dump()};
  });
  auto fetched = client::block_on(client::fetch_card(peer.url(), std::chrono::seconds(5)));
  ASSERT_TRUE(fetched) << fetched.error().message;
  EXPECT_EQ(fetched->card.url, "http://127.0.0.1:9/a2a");
  ASSERT_EQ(peer.requests().size(), 1u);
  EXPECT_EQ(peer.requests()[0].target, "/.well-known/agent-card.json");
  EXPECT_EQ(peer.requests()[0].header("a2a-version"), "1.0");
}

}  // namespace
}  // namespace constellation::node

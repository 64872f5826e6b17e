#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "constellation/control/protocol.h"
#include "store/record_expectations.h"
#include "store/store_fixture.h"

namespace constellation::control {
namespace {

using nlohmann::json;
using store::test_support::at_ms;
using store::test_support::expect_same;

// --- peers --------------------------------------------------------------------------------

store::PeerRecord full_peer() {
  store::PeerRecord p;
  p.probe_url = "http://127.0.0.3:7777";
  p.name = "atlas";
  p.url = "http://127.0.0.3:7777/";
  p.description = "Build helper";
  p.skills = {"build", "research"};
  // Compact with sorted keys: what a parse/dump round trip gives back.
  p.card_json = R"({"name":"atlas","url":"http://127.0.0.3:7777/","version":"0.1.0"})";
  p.sources = {"mdns", "static"};
  p.node_id = "6f1c2d3e-0000-4000-8000-000000000001";
  p.key = p.node_id;
  p.first_seen = at_ms(1);
  p.last_seen = at_ms(2500);
  p.last_probe = at_ms(2500);
  p.online = true;
  p.latency_ms = 4;
  p.last_error = "";
  return p;
}


TEST(PeerJson, Encoding) {
  EXPECT_EQ(peer_to_json(full_peer()), json::parse(R"({
      "name":"atlas","url":"http://127.0.0.3:7777/","description":"Build helper",
      "skills":["build","research"],"sources":["mdns","static"],
      "probe_url":"http://127.0.0.3:7777","node_id":"6f1c2d3e-0000-4000-8000-000000000001",
      "key":"6f1c2d3e-0000-4000-8000-000000000001",
      "online":true,"first_seen":"2026-04-24T03:06:40.001Z",
      "last_seen":"2026-04-24T03:06:42.500Z","last_probe":"2026-04-24T03:06:42.500Z",
      "latency_ms":4,"last_error":"","dialect":"legacy",
      "card":{"name":"atlas","url":"http://127.0.0.3:7777/","version":"0.1.0"}})"));
}

TEST(PeerJson, DialectIsWhatSendWouldSpeak) {
  store::PeerRecord p = full_peer();
  p.card_json = R"({"name":"atlas","version":"1","supportedInterfaces":[
      {"url":"http://127.0.0.3:7777/","protocolBinding":"JSONRPC","protocolVersion":"0.3"}]})";
  EXPECT_EQ(peer_to_json(p)["dialect"], "0.3");
  p.card_json = R"({"name":"atlas","supportedInterfaces":[
      {"url":"http://127.0.0.3:7777/","protocolBinding":"JSONRPC","protocolVersion":"1.0"}]})";
  EXPECT_EQ(peer_to_json(p)["dialect"], "1.0");
  p.card_json = R"({"name":"atlas"})";
  EXPECT_EQ(peer_to_json(p)["dialect"], nullptr) << "no endpoint: `peers` shows '-'";
  std::string err;
  const auto back = peer_from_json(peer_to_json(p), &err);
  ASSERT_TRUE(back) << err;
  EXPECT_EQ(back->card_json, p.card_json) << "the dialect is not stored: it follows from the card";
}

TEST(PeerJson, RoundTrip) {
  const store::PeerRecord p = full_peer();
  std::string err;
  const auto back = peer_from_json(peer_to_json(p), &err);
  ASSERT_TRUE(back) << err;
  expect_same(*back, p);
}

TEST(PeerJson, RoundTripOfAnOfflinePeerNeverSeen) {
  store::PeerRecord p = full_peer();
  p.online = false;
  p.first_seen = {};
  p.last_seen = {};
  p.latency_ms.reset();
  p.last_error = "connect to http://127.0.0.3:7777: Connection refused";
  p.skills = {};
  const json j = peer_to_json(p);
  EXPECT_EQ(j["first_seen"], "") << "never is an empty string, not 1970";
  EXPECT_EQ(j["last_seen"], "");
  EXPECT_EQ(j["latency_ms"], nullptr);
  std::string err;
  const auto back = peer_from_json(j, &err);
  ASSERT_TRUE(back) << err;
  expect_same(*back, p);
}

TEST(PeerJson, UnparsableCardIsNull) {
  store::PeerRecord p = full_peer();
  p.card_json = "not json";
  EXPECT_EQ(peer_to_json(p)["card"], nullptr);
  EXPECT_EQ(peer_to_json(p)["dialect"], nullptr);
}

TEST(PeerJson, DecodingDefaultsOptionalMembers) {
  std::string err;
  const auto p = peer_from_json(json::parse(R"({"name":"atlas","url":"http://x/"})"), &err);
  ASSERT_TRUE(p) << err;
  EXPECT_EQ(p->name, "atlas");
  EXPECT_EQ(p->url, "http://x/");
  EXPECT_EQ(p->description, "");
  EXPECT_TRUE(p->skills.empty());
  EXPECT_TRUE(p->sources.empty());
  EXPECT_FALSE(p->latency_ms);
  EXPECT_EQ(p->probe_url, "");
  EXPECT_FALSE(p->online);
  EXPECT_EQ(p->first_seen, a2a::Timestamp{});
  EXPECT_EQ(p->last_seen, a2a::Timestamp{});
  EXPECT_EQ(p->card_json, "{}");
}

TEST(PeerJson, DecodingFailuresAreReportedNotThrown) {
  std::string err;
  EXPECT_FALSE(peer_from_json(json::parse(R"({"url":"http://x/"})"), &err));
  EXPECT_NE(err.find("key 'name' not found"), std::string::npos) << err;
  err.clear();
  EXPECT_FALSE(peer_from_json(json::parse(R"({"name":5,"url":"http://x/"})"), &err));
  EXPECT_FALSE(err.empty());
  err.clear();
  EXPECT_FALSE(peer_from_json(json::parse(R"({"name":"a","url":"u","skills":[1]})"), &err));
  EXPECT_FALSE(err.empty());
  err.clear();
  EXPECT_FALSE(peer_from_json(json::array(), &err));
  EXPECT_FALSE(err.empty());
}

// --- inbound tasks ------------------------------------------------------------------------

store::InboundTask answered_inbound() {
  store::InboundTask t;
  t.task.id = "t-in";
  t.task.state = a2a::TaskState::kCompleted;
  t.task.updated_at = at_ms(9000);
  a2a::Message request = a2a::text_message(a2a::Role::kUser, "research ");
  request.parts.push_back(a2a::Part{"Cedric"});
  request.message_id = "m-1";
  t.task.history = {request, a2a::text_message(a2a::Role::kAgent, "Cedric is a shrimp.")};
  t.dialect = "legacy";
  t.from_name = "boreas";
  t.from_url = "http://127.0.0.4:7777/";
  t.received_at = at_ms(1000);
  return t;
}


TEST(InboundJson, Encoding) {
  EXPECT_EQ(inbound_to_json(answered_inbound()), json::parse(R"({
      "id":"t-in","from":"boreas","from_url":"http://127.0.0.4:7777/","dialect":"legacy",
      "caller":{"address":"","verified":false,"verified_by":"","peer":"","node":"","user":"","tags":[]},
      "claimed":{"url":"http://127.0.0.4:7777/","name":"boreas"},
      "state":"completed","received_at":"2026-04-24T03:06:41.000Z",
      "updated_at":"2026-04-24T03:06:49.000Z","text":"research Cedric",
      "history":[{"role":"user","messageId":"m-1","parts":[{"text":"research "},{"text":"Cedric"}]},
                 {"role":"agent","parts":[{"text":"Cedric is a shrimp."}]}],
      "artifacts":[],"status_message":null})"));
}

TEST(InboundJson, AVerifiedCallerIsShownAndTheClaimKeptApart) {
  store::InboundTask t = answered_inbound();
  t.caller.address = "100.95.3.120";
  t.caller.verified_by = "tailscale";
  t.caller.node = "agent-runner-01";
  t.caller.tags = {"tag:a2a-agent"};
  const json j = inbound_to_json(t);
  EXPECT_EQ(j["from"], "agent-runner-01") << "the network's word, not the claimed boreas";
  EXPECT_EQ(j["claimed"]["name"], "boreas");
  EXPECT_EQ(j["caller"]["verified"], true);
  std::string err;
  auto back = inbound_from_json(j, &err);
  ASSERT_TRUE(back) << err;
  EXPECT_EQ(back->caller, t.caller);
  EXPECT_EQ(back->from_name, "boreas");
  t.caller = security::unverified_caller("192.0.2.7");
  EXPECT_EQ(inbound_to_json(t)["from"], "unverified:192.0.2.7");
}

TEST(InboundJson, ArtifactsAndStatusMessageRoundTrip) {
  store::InboundTask t = answered_inbound();
  t.task.artifacts = {a2a::Artifact{"a-1", "answer", {a2a::Part{"Cedric "}, a2a::Part{"is a shrimp."}}}};
  t.task.status_message = a2a::Message{a2a::Role::kAgent, {a2a::Part{"done"}}, "m-9"};
  const json j = inbound_to_json(t);
  EXPECT_EQ(j["artifacts"], json::parse(R"([{"artifactId":"a-1","name":"answer",
      "parts":[{"text":"Cedric "},{"text":"is a shrimp."}]}])"));
  EXPECT_EQ(j["status_message"],
            json::parse(R"({"role":"agent","messageId":"m-9","parts":[{"text":"done"}]})"));
  std::string err;
  const auto back = inbound_from_json(j, &err);
  ASSERT_TRUE(back) << err;
  expect_same(*back, t);
}

TEST(InboundJson, FromIsTheNameElseTheUrlElseUnknown) {
  store::InboundTask t = answered_inbound();
  EXPECT_EQ(inbound_to_json(t)["from"], "boreas");
  t.from_name.clear();
  EXPECT_EQ(inbound_to_json(t)["from"], "http://127.0.0.4:7777/");
  t.from_url.clear();
  EXPECT_EQ(inbound_to_json(t)["from"], "unknown");
}

TEST(InboundJson, RoundTripForEverySenderShape) {
  struct Sender {
    std::string name, url;
  };
  for (const Sender& s : {Sender{"boreas", "http://127.0.0.4:7777/"},
                          Sender{"", "http://127.0.0.4:7777/"}, Sender{"", ""}}) {
    SCOPED_TRACE(s.name + "|" + s.url);
    store::InboundTask t = answered_inbound();
    t.from_name = s.name;
    t.from_url = s.url;
    std::string err;
    const auto back = inbound_from_json(inbound_to_json(t), &err);
    ASSERT_TRUE(back) << err;
    expect_same(*back, t);
  }
}

TEST(InboundJson, RoundTripOfAnOpenTaskWithAContext) {
  store::InboundTask t = answered_inbound();
  t.task.state = a2a::TaskState::kInputRequired;
  t.task.history.pop_back();
  t.task.context_id = "ctx-7";
  t.dialect = "v0.3";
  const json j = inbound_to_json(t);
  EXPECT_EQ(j["context_id"], "ctx-7");
  EXPECT_EQ(j["state"], "input-required");
  std::string err;
  const auto back = inbound_from_json(j, &err);
  ASSERT_TRUE(back) << err;
  expect_same(*back, t);
}

TEST(InboundJson, EveryStateRoundTrips) {
  for (auto state :
       {a2a::TaskState::kSubmitted, a2a::TaskState::kWorking, a2a::TaskState::kInputRequired,
        a2a::TaskState::kCompleted, a2a::TaskState::kCanceled, a2a::TaskState::kFailed,
        a2a::TaskState::kRejected, a2a::TaskState::kAuthRequired, a2a::TaskState::kUnknown}) {
    store::InboundTask t = answered_inbound();
    t.task.state = state;
    std::string err;
    const auto back = inbound_from_json(inbound_to_json(t), &err);
    ASSERT_TRUE(back) << err;
    EXPECT_EQ(back->task.state, state) << a2a::state_name(state);
  }
}

TEST(InboundJson, UnknownStateNameReadsAsUnknown) {
  json j = inbound_to_json(answered_inbound());
  j["state"] = "archived";
  std::string err;
  const auto back = inbound_from_json(j, &err);
  ASSERT_TRUE(back) << err;
  EXPECT_EQ(back->task.state, a2a::TaskState::kUnknown);
}

TEST(InboundJson, DecodingFailuresAreReportedNotThrown) {
  for (const char* member : {"id", "state", "history"}) {
    SCOPED_TRACE(member);
    json j = inbound_to_json(answered_inbound());
    j.erase(member);
    std::string err;
    EXPECT_FALSE(inbound_from_json(j, &err));
    EXPECT_NE(err.find(std::string("key '") + member + "' not found"), std::string::npos) << err;
  }
  json bad_part = inbound_to_json(answered_inbound());
  bad_part["history"][0]["parts"][0] = {{"kind", "text"}};
  std::string err;
  EXPECT_FALSE(inbound_from_json(bad_part, &err));
  EXPECT_FALSE(err.empty());
}

// --- outbound tasks -----------------------------------------------------------------------

store::OutboundTask answered_outbound() {
  store::OutboundTask t;
  t.task.id = "t-out";
  t.task.state = a2a::TaskState::kCompleted;
  t.task.updated_at = at_ms(7000);
  t.task.history = {a2a::text_message(a2a::Role::kUser, "question"),
                    a2a::text_message(a2a::Role::kAgent, "first"),
                    a2a::text_message(a2a::Role::kAgent, "final answer")};
  t.peer_name = "atlas";
  t.peer_url = "http://127.0.0.3:7777/";
  t.dialect = "legacy";
  t.created_at = at_ms(3);
  t.last_error = "";
  return t;
}


TEST(OutboundJson, Encoding) {
  EXPECT_EQ(outbound_to_json(answered_outbound()), json::parse(R"({
      "id":"t-out","peer":"atlas","peer_url":"http://127.0.0.3:7777/","dialect":"legacy",
      "state":"completed","created_at":"2026-04-24T03:06:40.003Z",
      "updated_at":"2026-04-24T03:06:47.000Z","text":"question",
      "history":[{"role":"user","parts":[{"text":"question"}]},
                 {"role":"agent","parts":[{"text":"first"}]},
                 {"role":"agent","parts":[{"text":"final answer"}]}],
      "last_error":"","answer":"final answer","artifacts":[],"status_message":null})"));
}

TEST(OutboundJson, StandardPeerFieldsRoundTripAndTheAnswerComesFromTheResult) {
  store::OutboundTask t = answered_outbound();
  t.dialect = "1.0";
  t.remote_id = "task-17";
  t.tenant = "team-a";
  t.task.context_id = "ctx-1";
  t.task.artifacts = {a2a::Artifact{"a-1", "", {a2a::Part{"from the artifact"}}}};
  t.task.status_message = a2a::Message{a2a::Role::kAgent, {a2a::Part{"and the status"}}, "m-2"};
  const json j = outbound_to_json(t);
  EXPECT_EQ(j["remote_id"], "task-17");
  EXPECT_EQ(j["tenant"], "team-a");
  EXPECT_EQ(j["context_id"], "ctx-1");
  EXPECT_EQ(j["answer"], "from the artifact\nand the status");
  std::string err;
  const auto back = outbound_from_json(j, &err);
  ASSERT_TRUE(back) << err;
  expect_same(*back, t);
}

TEST(OutboundJson, AnswerIsNullUntilTheAgentSpeaks) {
  store::OutboundTask t = answered_outbound();
  t.task.state = a2a::TaskState::kSubmitted;
  t.task.history.resize(1);
  t.last_error = "connect to http://127.0.0.3:7777/: Connection refused";
  const json j = outbound_to_json(t);
  EXPECT_EQ(j["answer"], nullptr);
  EXPECT_EQ(j["text"], "question");
  std::string err;
  const auto back = outbound_from_json(j, &err);
  ASSERT_TRUE(back) << err;
  expect_same(*back, t);
}

TEST(OutboundJson, RoundTrip) {
  const store::OutboundTask t = answered_outbound();
  std::string err;
  const auto back = outbound_from_json(outbound_to_json(t), &err);
  ASSERT_TRUE(back) << err;
  expect_same(*back, t);
}

TEST(OutboundJson, EmptyDaemonReplyIsAnError) {
  // DaemonVerbs::wait decodes `task` with an empty object as the default.
  std::string err;
  EXPECT_FALSE(outbound_from_json(json::object(), &err));
  EXPECT_NE(err.find("key 'id' not found"), std::string::npos) << err;
}

// --- errors -------------------------------------------------------------------------------

const std::vector<ErrorKind> kAllKinds = {
    ErrorKind::kInternal,    ErrorKind::kUsage,       ErrorKind::kConfig,
    ErrorKind::kUnknownPeer, ErrorKind::kUnknownTask, ErrorKind::kPeerUnreachable,
    ErrorKind::kPeerError,   ErrorKind::kTimeout,     ErrorKind::kTaskNotOpen,
    ErrorKind::kDaemonDown,  ErrorKind::kStore};

// Towards the daemon, file parts carry their bytes; coming back, a received file is named
// by the path it was saved at and carries no bytes.
TEST(PartsJson, BytesOnlyWhenAskedPathsAlways) {
  a2a::Part file = a2a::file_part("a.bin", "application/octet-stream", std::string("\0\xff", 2));
  a2a::Part saved = file;
  saved.saved_path = "/data/files/t-1/a.bin";
  a2a::Part link = a2a::uri_part("https://h/x.png", "x.png", "image/png");
  a2a::Part data = a2a::data_part(R"({"n":[1,2]})");
  const std::vector<a2a::Part> parts{a2a::Part{"hi"}, file, saved, link, data};
  EXPECT_EQ(control::parts_to_json(parts, /*with_bytes=*/true), json::parse(R"([
      {"text":"hi"},
      {"kind":"file","name":"a.bin","mediaType":"application/octet-stream","bytes":"AP8="},
      {"kind":"file","name":"a.bin","mediaType":"application/octet-stream","bytes":"AP8=",
       "path":"/data/files/t-1/a.bin"},
      {"kind":"file","name":"x.png","mediaType":"image/png","uri":"https://h/x.png"},
      {"kind":"data","data":{"n":[1,2]}}])"));
  const json without = control::parts_to_json(parts, /*with_bytes=*/false);
  EXPECT_FALSE(without[1].contains("bytes"));
  EXPECT_EQ(without[2]["path"], "/data/files/t-1/a.bin");

  std::string err;
  auto back = control::parts_from_json(control::parts_to_json(parts, true), &err);
  ASSERT_TRUE(back) << err;
  EXPECT_EQ(*back, parts);
  EXPECT_FALSE(control::parts_from_json(json::parse(R"([{"kind":"file","bytes":"!"}])"), &err));
  EXPECT_EQ(err, "file part bytes: not valid base64: unexpected character at offset 0");
  EXPECT_FALSE(control::parts_from_json(json::parse(R"([{"kind":"video"}])"), &err));
  EXPECT_EQ(err, "unknown part kind \"video\"");
}

TEST(ErrorJson, Encoding) {
  EXPECT_EQ(error_to_json(make_error(ErrorKind::kUnknownPeer, "unknown peer 'x'")),
            json::parse(R"({"error":{"kind":"unknown_peer","message":"unknown peer 'x'"}})"));
}

TEST(ErrorJson, EveryKindRoundTripsThroughABody) {
  for (ErrorKind kind : kAllKinds) {
    SCOPED_TRACE(error_kind_name(kind));
    const Error e = make_error(kind, std::string("what happened: ") + error_kind_name(kind));
    const Error back = error_from_body(http_status_for(kind), error_to_json(e).dump());
    EXPECT_EQ(back.kind, kind);
    EXPECT_EQ(back.message, e.message);
  }
}

TEST(ErrorJson, HttpStatusForEachKind) {
  EXPECT_EQ(http_status_for(ErrorKind::kUsage), 400);
  EXPECT_EQ(http_status_for(ErrorKind::kUnknownPeer), 404);
  EXPECT_EQ(http_status_for(ErrorKind::kUnknownTask), 404);
  EXPECT_EQ(http_status_for(ErrorKind::kTaskNotOpen), 409);
  EXPECT_EQ(http_status_for(ErrorKind::kPeerUnreachable), 502);
  EXPECT_EQ(http_status_for(ErrorKind::kPeerError), 502);
  EXPECT_EQ(http_status_for(ErrorKind::kTimeout), 504);
  EXPECT_EQ(http_status_for(ErrorKind::kInternal), 500);
  EXPECT_EQ(http_status_for(ErrorKind::kConfig), 500);
  EXPECT_EQ(http_status_for(ErrorKind::kDaemonDown), 500);
  EXPECT_EQ(http_status_for(ErrorKind::kStore), 500);
}

TEST(ErrorJson, UnreadableBodiesBecomeInternalQuotingTheStatus) {
  for (const std::string body : {"", "not json", "[]", "{}", R"({"error":"boom"})",
                                 R"({"error":null})", R"({"message":"x"})", "\xFF"}) {
    SCOPED_TRACE(body);
    const Error e = error_from_body(502, body);
    EXPECT_EQ(e.kind, ErrorKind::kInternal);
    EXPECT_EQ(e.message, "daemon answered HTTP 502 without an error body");
  }
}

TEST(ErrorJson, UnknownKindIsInternalButKeepsTheMessage) {
  const Error e = error_from_body(500, R"({"error":{"kind":"brand_new","message":"m"}})");
  EXPECT_EQ(e.kind, ErrorKind::kInternal);
  EXPECT_EQ(e.message, "m");
}

TEST(ErrorJson, MembersOfTheWrongTypeDoNotThrow) {
  Error e;
  ASSERT_NO_THROW(e = error_from_body(404, R"({"error":{"kind":5,"message":"m"}})"));
  EXPECT_EQ(e.kind, ErrorKind::kInternal);
  EXPECT_EQ(e.message, "m");
  ASSERT_NO_THROW(e = error_from_body(404, R"({"error":{"kind":"unknown_task","message":[1]}})"));
  EXPECT_EQ(e.kind, ErrorKind::kUnknownTask);
  EXPECT_EQ(e.message, "");
  ASSERT_NO_THROW(e = error_from_body(409, R"({"error":{}})"));
  EXPECT_EQ(e.kind, ErrorKind::kInternal);
  EXPECT_EQ(e.message, "");
}

}  // namespace
}  // namespace constellation::control

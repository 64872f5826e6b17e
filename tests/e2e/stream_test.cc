// SSE streams of a real daemon (issue 5): streaming sends and subscribes over raw HTTP,
// answered by `constellation respond`; keep-alives; a client that goes away; the
// errors before a stream starts; and shutdown with a stream open.

#include <regex>

#include <nlohmann/json.hpp>

#include "e2e/peer.h"
#include "e2e/raw_http.h"

namespace e2e {
namespace {

using nlohmann::json;

// 127.0.0.50–59 are this file's: no other e2e test binds them.
const std::string kAddress = "127.0.0.50";

/// The JSON-RPC replies of the `data:` lines of an SSE body, in order.
std::vector<json> sse_data(const std::string& body) {
  std::vector<json> out;
  std::size_t pos = 0;
  while ((pos = body.find("data: ", pos)) != std::string::npos) {
    const auto end = body.find('\n', pos);
    out.push_back(json::parse(body.substr(pos + 6, end - pos - 6), nullptr, false));
    pos = end;
  }
  return out;
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto pos = text.find(what); pos != std::string::npos; pos = text.find(what, pos + 1)) ++n;
  return n;
}

class StreamTest : public ::testing::Test {
 protected:
  /// One daemon on kAddress with the given keep-alive interval.
  void start(const std::string& keepalive) {
    peer = std::make_unique<TestPeer>("streamer", kAddress);
    auto init = peer->init({});
    ASSERT_EQ(init.exit_code, 0) << init.describe();
    peer->set_config("stream_keepalive", "\"" + keepalive + "\"");
    peer->start();
  }
  void TearDown() override {
    if (HasFailure() && peer) std::cerr << "---- log of streamer ----\n" << peer->log() << "\n";
  }

  std::unique_ptr<RawStream> open(const json& request, const std::string& version) {
    return std::make_unique<RawStream>(kAddress, peer->port(),
                                       stream_request(kAddress, request.dump(), version));
  }

  /// A v1.0 task that stays open, for subscribing to.
  std::string open_task(const std::string& text) {
    auto r = post_json(kAddress, peer->port(),
                       json{{"jsonrpc", "2.0"},
                            {"id", 1},
                            {"method", "message/send"},
                            {"params",
                             {{"message",
                               {{"kind", "message"},
                                {"messageId", "m-" + text},
                                {"role", "user"},
                                {"parts", {{{"kind", "text"}, {"text", text}}}}}},
                              {"configuration", {{"blocking", false}}}}}}
                           .dump());
    auto j = json::parse(r.body, nullptr, false);
    EXPECT_TRUE(j.contains("result")) << r.body;
    return j.contains("result") ? j["result"].value("id", "") : "";
  }

  std::unique_ptr<TestPeer> peer;
};

json v10_stream_request(const std::string& text) {
  return {{"jsonrpc", "2.0"},
          {"id", 9},
          {"method", "SendStreamingMessage"},
          {"params",
           {{"message",
             {{"messageId", "m-1"}, {"role", "ROLE_USER"}, {"parts", {{{"text", text}}}}}}}}};
}

TEST_F(StreamTest, StreamingSendDeliversTheAnswerAndEndsV10) {
  start("15s");
  auto stream = open(v10_stream_request("stream me an answer"), "1.0");
  ASSERT_TRUE(stream->read_until([&](const std::string&) { return !sse_data(stream->body()).empty(); }))
      << stream->received() << stream->error();
  EXPECT_NE(stream->received().find("Content-Type: text/event-stream"), std::string::npos)
      << stream->received();
  EXPECT_NE(stream->received().find("Transfer-Encoding: chunked"), std::string::npos);
  const json first = sse_data(stream->body())[0];
  ASSERT_EQ(first["id"], 9) << first;
  const std::string id = first["result"]["task"]["id"];
  EXPECT_EQ(first["result"]["task"]["status"]["state"], "TASK_STATE_SUBMITTED");
  // Stored before the first byte went out: the inbox has it.
  auto inbox = peer->cli({"inbox"});
  EXPECT_NE(inbox.out.find(id), std::string::npos) << inbox.describe();

  auto respond = peer->cli({"respond", id, "streamed answer"});
  ASSERT_EQ(respond.exit_code, 0) << respond.describe();
  EXPECT_TRUE(stream->read_until([&](const std::string&) { return stream->closed(); }))
      << "the daemon ends the stream once the task is completed: " << stream->received();
  EXPECT_TRUE(stream->received().ends_with("0\r\n\r\n")) << "a proper end of the chunked body";
  const auto events = sse_data(stream->body());
  ASSERT_EQ(events.size(), 3u) << stream->body();
  EXPECT_EQ(events[1]["result"]["artifactUpdate"]["artifact"]["parts"][0]["text"], "streamed answer");
  EXPECT_EQ(events[2]["result"]["statusUpdate"]["status"]["state"], "TASK_STATE_COMPLETED");
  for (const auto& e : events) EXPECT_EQ(e["id"], 9);
}

TEST_F(StreamTest, StreamingSendEndsAtAQuestionWithFinalV03) {
  start("15s");
  const json request = {{"jsonrpc", "2.0"},
                        {"id", "s-1"},
                        {"method", "message/stream"},
                        {"params",
                         {{"message",
                           {{"kind", "message"},
                            {"messageId", "m-q"},
                            {"role", "user"},
                            {"parts", {{{"kind", "text"}, {"text", "ask me something"}}}}}}}}};
  auto stream = open(request, "");
  ASSERT_TRUE(stream->read_until([&](const std::string&) { return !sse_data(stream->body()).empty(); }))
      << stream->received();
  const std::string id = sse_data(stream->body())[0]["result"]["id"];
  auto ask = peer->cli({"respond", "--ask", id, "Which language?"});
  ASSERT_EQ(ask.exit_code, 0) << ask.describe();
  EXPECT_TRUE(stream->read_until([&](const std::string&) { return stream->closed(); }))
      << stream->received();
  const auto events = sse_data(stream->body());
  ASSERT_EQ(events.size(), 2u) << stream->body();
  EXPECT_EQ(events[0]["result"]["kind"], "task");
  EXPECT_EQ(events[1]["result"]["kind"], "status-update");
  EXPECT_EQ(events[1]["result"]["status"]["state"], "input-required");
  EXPECT_EQ(events[1]["result"]["status"]["message"]["parts"][0]["text"], "Which language?");
  EXPECT_EQ(events[1]["result"]["final"], true);
}

TEST_F(StreamTest, SubscribeSendsKeepAlivesWhileNothingHappens) {
  start("200ms");
  const std::string id = open_task("keep me alive");
  auto stream = open({{"jsonrpc", "2.0"}, {"id", 3}, {"method", "SubscribeToTask"}, {"params", {{"id", id}}}},
                     "1.0");
  EXPECT_TRUE(stream->read_until(
      [&](const std::string&) { return count(stream->body(), ": keep-alive\n\n") >= 3; }))
      << stream->received();
  const auto events = sse_data(stream->body());
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0]["result"]["task"]["id"], id);
  EXPECT_EQ(events[0]["result"]["task"]["status"]["state"], "TASK_STATE_SUBMITTED");
  EXPECT_FALSE(stream->closed());
}

TEST_F(StreamTest, AClientThatGoesAwayIsCleanedUpAtOnce) {
  // A keep-alive far away and no change to the task: only noticing the closed socket
  // can end this stream within the test's time.
  start("120s");
  const std::string id = open_task("abandon me");
  auto stream = open({{"jsonrpc", "2.0"}, {"id", 3}, {"method", "tasks/resubscribe"}, {"params", {{"id", id}}}},
                     "");
  ASSERT_TRUE(stream->read_until([&](const std::string&) { return !sse_data(stream->body()).empty(); }))
      << stream->received();
  const std::regex opened("stream (\\d+) of task " + id + " opened \\(1 open\\)");
  std::smatch m;
  std::string log = peer->log();
  ASSERT_TRUE(std::regex_search(log, m, opened)) << log;
  const std::string ended = "stream " + m[1].str() + " of task " + id +
                            " ended: client gone or server stopping (0 open)";
  stream->close();
  EXPECT_TRUE(eventually([&] { return peer->log().find(ended) != std::string::npos; },
                         std::chrono::seconds(5)))
      << "expected '" << ended << "' in the log";
  // The daemon carries on: the task is still there and can be answered and streamed.
  auto respond = peer->cli({"respond", id, "answered later"});
  EXPECT_EQ(respond.exit_code, 0) << respond.describe();
  auto card = http_request(kAddress, peer->port(),
                           "GET /.well-known/agent-card.json HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(card.status, 200);
}

TEST_F(StreamTest, ErrorsBeforeTheStreamArePlainJsonRpcReplies) {
  start("15s");
  const auto expect_error = [&](const json& request, const std::string& version, int code) {
    RawStream s(kAddress, peer->port(), stream_request(kAddress, request.dump(), version));
    // A plain reply on a keep-alive connection: read until its whole JSON body is here.
    const auto body_of = [](const std::string& received) {
      const auto end = received.find("\r\n\r\n");
      return end == std::string::npos ? std::string() : received.substr(end + 4);
    };
    ASSERT_TRUE(s.read_until([&](const std::string& r) {
      return json::parse(body_of(r), nullptr, false).is_object();
    })) << s.received();
    EXPECT_NE(s.received().find("HTTP/1.1 200"), std::string::npos) << s.received();
    EXPECT_NE(s.received().find("Content-Type: application/json"), std::string::npos) << s.received();
    const auto body = body_of(s.received());
    const json reply = json::parse(body, nullptr, false);
    EXPECT_EQ(reply["error"]["code"], code) << body;
    EXPECT_EQ(reply["id"], 4) << body;
  };
  const auto subscribe = [](const std::string& method, const std::string& id) {
    return json{{"jsonrpc", "2.0"}, {"id", 4}, {"method", method}, {"params", {{"id", id}}}};
  };
  expect_error(subscribe("SubscribeToTask", "t-unknown"), "1.0", -32001);
  expect_error(subscribe("tasks/resubscribe", "t-unknown"), "", -32001);
  const std::string id = open_task("finish me");
  ASSERT_EQ(peer->cli({"respond", id, "done"}).exit_code, 0);
  expect_error(subscribe("SubscribeToTask", id), "1.0", -32004);
  expect_error(subscribe("tasks/resubscribe", id), "", -32004);
  json bad = v10_stream_request("x");
  bad["id"] = 4;
  bad["params"]["message"]["role"] = "ROLE_AGENT";
  expect_error(bad, "1.0", -32602);
}

TEST_F(StreamTest, ShutdownEndsOpenStreamsCleanly) {
  start("120s");
  const std::string id = open_task("still open at shutdown");
  auto stream = open({{"jsonrpc", "2.0"}, {"id", 3}, {"method", "SubscribeToTask"}, {"params", {{"id", id}}}},
                     "1.0");
  ASSERT_TRUE(stream->read_until([&](const std::string&) { return !sse_data(stream->body()).empty(); }))
      << stream->received();
  auto stopped = peer->stop(15, std::chrono::seconds(8));
  EXPECT_EQ(stopped.exit_code, 0) << "signal " << stopped.signal << ", timed out " << stopped.timed_out;
  EXPECT_TRUE(stream->read_until([&](const std::string&) { return stream->closed(); }, std::chrono::seconds(2)));
  EXPECT_TRUE(stream->received().ends_with("0\r\n\r\n")) << stream->received();
  const std::string log = peer->log();
  EXPECT_EQ(log.find("stopping anyway"), std::string::npos) << "the stream held up the shutdown";
  EXPECT_NE(log.find("(0 open)"), std::string::npos);
}

}  // namespace
}  // namespace e2e

// The A2A endpoint as a foreign client sees it: malformed JSON-RPC, oversized and odd
// HTTP, and the original's wire shapes over a real socket.

#include <regex>

#include <nlohmann/json.hpp>

#include "e2e/peer.h"
#include "e2e/raw_http.h"

namespace e2e {
namespace {

using nlohmann::json;

class Endpoint : public ::testing::Test {
 protected:
  void SetUp() override {
    peer = std::make_unique<TestPeer>("endpoint", "127.0.0.2");
    ASSERT_EQ(peer->init({}).exit_code, 0);
    peer->start();
  }
  json rpc(const std::string& body) {
    auto r = post_json(peer->address(), peer->port(), body);
    EXPECT_EQ(r.status, 200) << r.error << r.head;
    try {
      return json::parse(r.body);
    } catch (const std::exception& e) {
      ADD_FAILURE() << "reply is not JSON: " << r.body;
      return {};
    }
  }
  int error_code(const std::string& body) {
    auto reply = rpc(body);
    EXPECT_EQ(reply.value("jsonrpc", ""), "2.0") << reply;
    if (!reply.contains("error")) return 0;
    return reply["error"].value("code", 0);
  }
  std::unique_ptr<TestPeer> peer;
};

TEST_F(Endpoint, TheCardRevalidatesWith304AndKeepsTheConnectionUsable) {
  auto first = http_request(peer->address(), peer->port(),
                            "GET /.well-known/agent-card.json HTTP/1.1\r\nHost: x\r\n"
                            "Connection: close\r\n\r\n");
  ASSERT_EQ(first.status, 200) << first.error;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(first.head, m, std::regex("\r\n[Ee][Tt]ag: (\"[0-9a-f]{16}\")(\r\n|$)")))
      << first.head;
  const std::string etag = m[1];

  // Revalidation, then a second request on the same keep-alive connection: a 304 with a
  // stray body or length would corrupt what follows.
  auto both = http_request(peer->address(), peer->port(),
                           "GET /.well-known/agent.json HTTP/1.1\r\nHost: x\r\n"
                           "If-None-Match: " + etag + "\r\n\r\n"
                           "GET /.well-known/agent.json HTTP/1.1\r\nHost: x\r\n"
                           "If-None-Match: \"stale\"\r\nConnection: close\r\n\r\n");
  ASSERT_EQ(both.status, 304) << both.error << both.head;
  EXPECT_EQ(both.head.find("Content-Length"), std::string::npos) << both.head;
  EXPECT_EQ(both.head.find("Content-Type"), std::string::npos) << both.head;
  EXPECT_NE(both.body.find("HTTP/1.1 200 OK"), std::string::npos)
      << "the next response follows right after the 304's head: " << both.body;
  EXPECT_NE(both.body.find("\"name\":\"endpoint\""), std::string::npos) << both.body;
}

TEST_F(Endpoint, MalformedJsonRpcGetsTheRightErrorCodes) {
  EXPECT_EQ(error_code("{not json"), -32700);
  EXPECT_EQ(error_code(""), -32700);
  EXPECT_EQ(error_code(std::string(100000, '[')), -32700);
  EXPECT_EQ(error_code("42"), -32600);
  EXPECT_EQ(error_code(R"({"id":1,"method":"tasks/get"})"), -32600);
  EXPECT_EQ(error_code(R"({"jsonrpc":"2.0","id":1})"), -32600);
  EXPECT_EQ(error_code(R"({"jsonrpc":"2.0","id":1,"method":"tasks/frobnicate","params":{}})"),
            -32601);
  EXPECT_EQ(error_code(R"({"jsonrpc":"2.0","id":1,"method":"tasks/send","params":{"id":7}})"),
            -32602);
  EXPECT_EQ(error_code(R"({"jsonrpc":"2.0","id":1,"method":"tasks/get","params":{"id":"t-none"}})"),
            -32001);
  // The daemon is still alive and serving after all that.
  EXPECT_EQ(peer->cli({"card"}).exit_code, 0);
  EXPECT_TRUE(peer->running());
}

TEST_F(Endpoint, OriginalDialectTaskRoundTrip) {
  // Exactly what the Rust original sends (docs: a2a-wire.md §1).
  const std::string send = R"({"jsonrpc":"2.0","id":"req-1","method":"tasks/send","params":{
      "id":"rust-task-0001","message":{"role":"user","parts":[{"type":"text","text":"hi from rust"}]}}})";
  auto r = post_json(peer->address(), peer->port(), send);
  ASSERT_EQ(r.status, 200);
  auto reply = json::parse(r.body);
  EXPECT_EQ(reply["id"], "req-1");
  EXPECT_EQ(reply["result"]["id"], "rust-task-0001");
  EXPECT_EQ(reply["result"]["status"]["state"], "submitted") << reply;

  auto inbox = peer->cli({"inbox"});
  EXPECT_EQ(inbox.out, "rust-task-0001\tunverified:127.0.0.1\thi from rust\n") << inbox.describe();
  // The original's client cannot answer a question: asking is refused, nothing changes.
  auto ask = peer->cli({"respond", "--ask", "rust-task-0001", "which shrimp?"});
  EXPECT_EQ(ask.exit_code, 2) << ask.describe();
  EXPECT_NE(ask.err.find("original Rust dialect"), std::string::npos) << ask.err;
  ASSERT_EQ(peer->cli({"respond", "rust-task-0001", "hello, rust"}).exit_code, 0);

  auto got = rpc(R"({"jsonrpc":"2.0","id":2,"method":"tasks/get","params":{"id":"rust-task-0001"}})");
  ASSERT_TRUE(got.contains("result")) << got;
  EXPECT_EQ(got["result"]["status"]["state"], "completed");
  const auto& history = got["result"]["history"];
  ASSERT_GE(history.size(), 2u);
  EXPECT_EQ(history.back()["role"], "agent");
  EXPECT_EQ(history.back()["parts"][0]["text"], "hello, rust");
  // RFC 3339 UTC with a Z.
  const std::string ts = got["result"]["status"]["timestamp"];
  EXPECT_EQ(ts.back(), 'Z') << ts;
}

TEST_F(Endpoint, OversizedBodyIsRefusedWith413) {
  // Over 1 MiB + the default [files] max_bytes (10 MiB) in base64: 14.3 MiB.
  const std::string body(15 * 1024 * 1024, 'x');
  auto r = http_request(peer->address(), peer->port(),
                        "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                        "Content-Length: " + std::to_string(body.size()) +
                            "\r\nConnection: close\r\n\r\n" + body);
  EXPECT_EQ(r.status, 413) << r.error << r.head;
  // The default limit, as a JSON-RPC client reads it.
  EXPECT_EQ(r.body, R"({"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"Request body of )" +
                        std::to_string(body.size()) +
                        R"( bytes is over this peer's limit of 14.3 MiB; send a shorter message, or )"
                        R"(fewer or smaller files in one message"}})");
  EXPECT_TRUE(peer->running());
}

TEST_F(Endpoint, UnknownPathsAndMethodsAreRefusedPlainly) {
  auto nf = http_request(peer->address(), peer->port(),
                         "GET /nope HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(nf.status, 404);
  auto na = http_request(peer->address(), peer->port(),
                         "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(na.status, 405);
  // HEAD then GET on one keep-alive connection: the HEAD reply must carry no body, or
  // the GET's reply would be misread.
  auto both = http_request(peer->address(), peer->port(),
                           "HEAD /.well-known/agent.json HTTP/1.1\r\nHost: x\r\n\r\n"
                           "GET /.well-known/agent.json HTTP/1.1\r\nHost: x\r\n"
                           "Connection: close\r\n\r\n");
  ASSERT_EQ(both.status, 200) << both.error;
  EXPECT_EQ(both.body.rfind("HTTP/1.1 200", 0), 0u) << "HEAD reply had a body: " << both.body;
  auto garbage = http_request(peer->address(), peer->port(), "HELLO\r\n\r\n");
  EXPECT_EQ(garbage.status, 400) << garbage.error;
  EXPECT_TRUE(peer->running());
}

}  // namespace
}  // namespace e2e

// The hostile-input catalogue: malformed, oversized, slow and odd requests against a
// running daemon, each with its exact outcome. Every test ends by checking that the
// daemon still answers and holds no more descriptors than before the test (no leaked
// connection), so a case that crashes, hangs or leaks fails where it happens.

#include <dirent.h>
#include <poll.h>

#include <functional>
#include <set>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "e2e/peer.h"
#include "e2e/raw_http.h"

namespace e2e {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

constexpr const char* kAddress = "127.0.0.80";
/// [limits] max_body_bytes 256 KiB (room for 100k levels of nesting) + [files] max_bytes
/// 3 KiB in base64 (4 KiB).
constexpr std::size_t kBodyLimit = (256 << 10) + (4 << 10);
/// Generous against the 1 s timeouts the daemon is given: the tests also run under ASan
/// on a loaded machine.
constexpr auto kDropDeadline = 20s;

std::size_t open_descriptors(pid_t pid) {
  std::size_t n = 0;
  if (DIR* dir = ::opendir(("/proc/" + std::to_string(pid) + "/fd").c_str())) {
    while (const dirent* entry = ::readdir(dir)) n += entry->d_name[0] != '.';
    ::closedir(dir);
  }
  return n;
}

std::string post_request(const std::string& body, const std::string& extra_headers = "",
                         const std::string& version = "HTTP/1.1") {
  return "POST / " + version + "\r\nHost: x\r\nContent-Type: application/json\r\n" + extra_headers +
         "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

/// The JSON bodies of every reply in `raw` (several when pipelined), in order.
std::vector<json> bodies_of(const std::string& raw) {
  std::vector<json> out;
  std::size_t pos = 0;
  for (;;) {
    const auto head_end = raw.find("\r\n\r\n", pos);
    if (head_end == std::string::npos) break;
    const std::string head = raw.substr(pos, head_end - pos);
    const auto cl = head.find("Content-Length: ");
    if (cl == std::string::npos) break;
    const std::size_t length = std::stoul(head.substr(cl + 16));
    out.push_back(json::parse(raw.substr(head_end + 4, length), nullptr, false));
    pos = head_end + 4 + length;
  }
  return out;
}

class Hostile : public ::testing::Test {
 protected:
  void SetUp() override {
    peer = std::make_unique<TestPeer>("hostile", kAddress);
    ASSERT_EQ(peer->init({}).exit_code, 0);
    configure();
    peer->start();
    // Warm up what the daemon opens lazily (store files, a first connection's buffers)
    // before taking the descriptor count the test must come back to.
    ASSERT_EQ(rpc(R"({"jsonrpc":"2.0","id":0,"method":"tasks/get","params":{"id":"t-none"}})")
                  ["error"]["code"],
              -32001);
    baseline = open_descriptors(peer->pid());
    ASSERT_GT(baseline, 0u);
  }

  virtual void configure() {
    peer->set_config("max_body_bytes", "\"256KiB\"");
    // A blocking send (one whose "configuration" a case replaced) answers within 1 s.
    peer->set_config("blocking_timeout", "\"1s\"");
    peer->set_config("max_bytes", "\"3KiB\"");
    peer->set_config("header_timeout", "\"1s\"");
    peer->set_config("body_timeout", "\"1s\"");
    peer->set_config("idle_timeout", "\"1s\"");
  }

  void TearDown() override {
    if (!peer) return;
    EXPECT_TRUE(peer->running()) << peer->log();
    if (peer->running()) {
      auto after = post_json(kAddress, peer->port(),
                             R"({"jsonrpc":"2.0","id":"after","method":"tasks/get","params":{"id":"t-none"}})");
      EXPECT_EQ(after.status, 200) << after.error;
      const std::size_t base = baseline;
      const pid_t pid = peer->pid();
      std::size_t now = 0;
      EXPECT_TRUE(eventually([&] { return (now = open_descriptors(pid)) <= base; }, 10s))
          << now << " descriptors open, " << base << " before the test";
    }
    if (HasFailure()) std::cerr << "---- daemon log ----\n" << peer->log() << "\n";
  }

  RawResponse raw(const std::string& request) {
    return http_request(kAddress, peer->port(), request, 20s);
  }

  /// POSTs `body` and returns the JSON reply (asserting a 200 with a JSON body).
  json rpc(const std::string& body, const std::string& extra_headers = "") {
    auto r = raw(post_request(body, extra_headers + "Connection: close\r\n"));
    EXPECT_EQ(r.status, 200) << r.error << r.head;
    json reply = json::parse(r.body, nullptr, false);
    EXPECT_FALSE(reply.is_discarded()) << "reply is not JSON: " << r.body.substr(0, 300);
    return reply;
  }

  int code_of(const std::string& body, const std::string& extra_headers = "") {
    json reply = rpc(body, extra_headers);
    if (!reply.is_object() || !reply.contains("error")) return 0;
    return reply["error"].value("code", 0);
  }

  std::size_t log_count(const std::string& needle) {
    const std::string log = peer->log();
    std::size_t n = 0;
    for (auto pos = log.find(needle); pos != std::string::npos; pos = log.find(needle, pos + 1)) ++n;
    return n;
  }

  std::unique_ptr<TestPeer> peer;
  std::size_t baseline = 0;
};

const std::string kV03Send =
    R"({"jsonrpc":"2.0","id":1,"method":"message/send","params":{"message":{"kind":"message",)"
    R"("messageId":"m-1","role":"user","parts":[{"kind":"text","text":"hello"}],"metadata":{}},)"
    R"("configuration":{"blocking":false},"metadata":{}}})";

TEST_F(Hostile, TruncatedJsonIsAParseErrorAtEveryCut) {
  for (std::size_t cut = 0; cut < kV03Send.size(); cut += 3) {
    json reply = rpc(kV03Send.substr(0, cut));
    ASSERT_EQ(reply["error"]["code"], -32700) << "cut at " << cut << ": " << reply;
    EXPECT_EQ(reply["id"], nullptr);
  }
}

TEST_F(Hostile, DeepNestingIsRefusedBeforeAnythingRecurses) {
  const int kDeep = 100000;
  const std::string opened(kDeep, '[');
  EXPECT_EQ(code_of(opened), -32700);
  EXPECT_EQ(code_of(opened + std::string(kDeep, ']')), -32700);
  std::string objects;
  for (int i = 0; i < kDeep / 10; ++i) objects += R"({"a":)";
  objects += "1" + std::string(kDeep / 10, '}');
  EXPECT_EQ(code_of(objects), -32700);
  // Deep inside an otherwise good request: refused the same way, message saying why.
  json reply = rpc(R"({"jsonrpc":"2.0","id":1,"method":"message/send","params":)" + opened +
                   std::string(kDeep, ']') + "}");
  EXPECT_EQ(reply["error"]["code"], -32700);
  EXPECT_EQ(reply["error"]["message"], "Parse error: nesting deeper than 64");
  // The boundary: 64 levels parse (and the request is judged on its merits), 65 do not.
  const auto nested = [](int levels) {
    return R"({"jsonrpc":"2.0","id":1,"method":"tasks/get","params":{"id":"t-none","x":)" +
           std::string(levels - 2, '[') + std::string(levels - 2, ']') + "}}";
  };
  EXPECT_EQ(code_of(nested(64)), -32001);
  EXPECT_EQ(code_of(nested(65)), -32700);
}

TEST_F(Hostile, HugeStringsNearAndOverTheBodyLimit) {
  // A method name of 60 KiB: unknown, and not echoed back whole.
  const std::string long_method(60 << 10, 'm');
  auto r = raw(post_request(R"({"jsonrpc":"2.0","id":1,"method":")" + long_method + R"("})",
                            "Connection: close\r\n"));
  ASSERT_EQ(r.status, 200) << r.error;
  json reply = json::parse(r.body);
  EXPECT_EQ(reply["error"]["code"], -32601);
  EXPECT_LT(r.body.size(), 1024u) << "the reply echoes the whole method name";

  // A text that fills the body exactly to the limit is a task like any other.
  const std::string head = R"({"jsonrpc":"2.0","id":2,"method":"tasks/send","params":{"id":"t-big","message":{"role":"user","parts":[{"type":"text","text":")";
  const std::string tail = R"("}]}}})";
  const std::string text(kBodyLimit - head.size() - tail.size(), 'x');
  reply = rpc(head + text + tail);
  EXPECT_EQ(reply["result"]["id"], "t-big") << reply.dump().substr(0, 300);
  EXPECT_EQ(peer->cli({"inbox"}).out.substr(0, 6), "t-big\t");

  // One byte more: 413, told as a JSON-RPC error saying the limit and what to do.
  r = raw(post_request(head + text + "x" + tail, "Connection: close\r\n"));
  ASSERT_EQ(r.status, 413) << r.error << r.head;
  reply = json::parse(r.body, nullptr, false);
  ASSERT_FALSE(reply.is_discarded()) << r.body;
  EXPECT_EQ(reply["id"], nullptr);
  EXPECT_EQ(reply["error"]["code"], -32600);
  EXPECT_EQ(reply["error"]["message"],
            "Request body of " + std::to_string(kBodyLimit + 1) +
                " bytes is over this peer's limit of 260 KiB; send a shorter message, or fewer "
                "or smaller files in one message");

  // A length announced far over the limit is refused at once, before any body.
  r = raw("POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
          "Content-Length: 1000000000000\r\n\r\n");
  EXPECT_EQ(r.status, 413) << r.error;
  // A chunked body is counted as it comes.
  std::string chunked = "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                        "Transfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 80; ++i) chunked += "1000\r\n" + std::string(0x1000, ' ') + "\r\n";
  r = raw(chunked + "0\r\n\r\n");
  EXPECT_EQ(r.status, 413) << r.error;
  EXPECT_EQ(json::parse(r.body)["error"]["message"],
            "Request body is over this peer's limit of 260 KiB; send a shorter message, or fewer "
            "or smaller files in one message");

  // An unterminated string as long as the limit allows: a short parse error.
  r = raw(post_request(R"({"jsonrpc":"2.0","id":1,"method":")" + std::string(60 << 10, 'q'),
                       "Connection: close\r\n"));
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(json::parse(r.body)["error"]["code"], -32700);
  EXPECT_LT(r.body.size(), 1024u);
}

TEST_F(Hostile, InvalidUtf8AnywhereGetsAValidJsonReply) {
  for (const std::string body :
       {std::string("\xff\xfe\xfd"), std::string(R"({"jsonrpc":"2.0","id":1,"method":"\xc3\x28"})"),
        std::string("{\"jsonrpc\":\"2.0\",\"id\":\"\xed\xa0\x80\",\"method\":\"tasks/get\"}"),
        R"({"jsonrpc":"2.0","id":1,"method":"tasks/send","params":{"id":"t-u","message":{"role":"user","parts":[{"type":"text","text":"bad )" +
            std::string("\xf8\x88\x80\x80\x80") + R"("}]}}})"}) {
    EXPECT_EQ(code_of(body), -32700) << body;
  }
  // In headers the server echoes or stores: the reply is still JSON, and what is stored
  // can still be listed.
  EXPECT_EQ(code_of(R"({"jsonrpc":"2.0","id":1,"method":"tasks/get","params":{"id":"t"}})",
                    "A2A-Version: 9\xff\r\n"),
            -32009);
  auto r = raw("POST / HTTP/1.1\r\nHost: x\r\nContent-Type: text/\xff\xfe\r\nContent-Length: 2\r\n"
               "Connection: close\r\n\r\n{}");
  ASSERT_EQ(r.status, 200);
  EXPECT_FALSE(json::parse(r.body, nullptr, false).is_discarded()) << r.body;
  json sent = rpc(R"({"jsonrpc":"2.0","id":1,"method":"tasks/send","params":{"id":"t-claim","message":{"role":"user","parts":[{"type":"text","text":"hi"}]}}})",
                  "X-A2A-Source-Url: http://\xff\xfe.example/\r\n");
  EXPECT_EQ(sent["result"]["id"], "t-claim") << sent;
  auto inbox = peer->cli({"inbox"});
  EXPECT_EQ(inbox.exit_code, 0) << inbox.describe();
  EXPECT_NE(inbox.out.find("t-claim\t"), std::string::npos) << inbox.out;
  auto listed = peer->cli({"inbox", "--json"});
  ASSERT_EQ(listed.exit_code, 0) << listed.describe();
  EXPECT_FALSE(json::parse(listed.out, nullptr, false).is_discarded()) << listed.out;
}

/// Every path into `value`'s members and elements, "" for the value itself.
void paths_of(const json& value, const json::json_pointer& at, std::vector<json::json_pointer>& out) {
  out.push_back(at);
  if (value.is_object()) {
    for (const auto& [key, member] : value.items()) paths_of(member, at / key, out);
  } else if (value.is_array()) {
    for (std::size_t i = 0; i < value.size(); ++i) paths_of(value[i], at / i, out);
  }
}

/// Replaces each value under "params" with each value of another JSON type, one at a
/// time; every such request must be refused with -32602 (invalid params), except the
/// replacements in `tolerated` ("<path> = <value>"), which must be accepted.
void expect_wrong_types_refused(const std::function<json(const std::string&)>& rpc,
                                const json& request, const std::set<std::string>& tolerated) {
  std::vector<json::json_pointer> paths;
  paths_of(request["params"], json::json_pointer("/params"), paths);
  const std::vector<json> wrong{nullptr, 7, "text", true, json::array(), json::object()};
  int cases = 0;
  for (const auto& path : paths) {
    const json& original = request[path];
    for (const json& replacement : wrong) {
      if (replacement.type() == original.type()) continue;
      json mutated = request;
      mutated[path] = replacement;
      // Fresh ids and task ids, so that no case depends on another having failed.
      mutated["id"] = ++cases;
      const json reply = rpc(mutated.dump());
      const std::string where = path.to_string() + " = " + replacement.dump();
      if (tolerated.count(where)) {
        EXPECT_TRUE(reply.contains("result")) << where << ": " << reply;
        continue;
      }
      if (!reply.is_object() || !reply.contains("error")) {
        ADD_FAILURE() << "accepted: " << where << ": " << reply.dump().substr(0, 200);
        continue;
      }
      EXPECT_EQ(reply["error"]["code"], -32602) << where << ": " << reply;
      EXPECT_EQ(reply["id"], cases) << where;
    }
  }
  EXPECT_GT(cases, 20);
}

TEST_F(Hostile, WrongTypesInEveryFieldOfTheThreeSendMethods) {
  const auto as_v03 = [this](const std::string& body) { return rpc(body, "A2A-Version: 0.3\r\n"); };
  const auto as_v10 = [this](const std::string& body) { return rpc(body, "A2A-Version: 1.0\r\n"); };
  const auto as_legacy = [this](const std::string& body) {
    return rpc(body, "X-A2A-Source-Url: http://127.0.0.89:1/\r\n");
  };
  // null for an optional member is the member left out, as JSON (and ProtoJSON) readers
  // take it: those sends are accepted. (A null configuration makes the send blocking,
  // held for [a2a] blocking_timeout.)
  expect_wrong_types_refused(as_v03, json::parse(kV03Send),
                             {"/params/configuration = null", "/params/configuration/blocking = null",
                              "/params/message/kind = null", "/params/message/parts/0/kind = null",
                              "/params/message/metadata = null", "/params/metadata = null"});
  expect_wrong_types_refused(
      as_v10,
      json::parse(R"({"jsonrpc":"2.0","id":1,"method":"SendMessage","params":{"message":{
          "messageId":"m-2","role":"ROLE_USER","parts":[{"text":"hello","mediaType":"text/plain"}],
          "metadata":{}},"configuration":{"acceptedOutputModes":["text/plain"],
          "returnImmediately":true},"metadata":{}}})"),
      {"/params/configuration = null", "/params/configuration/acceptedOutputModes = null",
       "/params/configuration/returnImmediately = null", "/params/message/metadata = null",
       "/params/message/parts/0/mediaType = null", "/params/metadata = null"});
  expect_wrong_types_refused(
      as_legacy,
      json::parse(R"({"jsonrpc":"2.0","id":1,"method":"tasks/send","params":{"id":"t-legacy",
          "message":{"role":"user","parts":[{"type":"text","text":"hello"}]}}})"),
      {});
}

TEST_F(Hostile, EnvelopeErrors) {
  for (const std::string method : {"", "tasks/frobnicate", "SendMessage ", "__proto__", "message/SEND"}) {
    json reply = rpc(json{{"jsonrpc", "2.0"}, {"id", 3}, {"method", method}, {"params", json::object()}}.dump());
    EXPECT_EQ(reply["error"]["code"], -32601) << method;
    EXPECT_EQ(reply["id"], 3);
  }
  // Batches are refused as a whole (a2a-wire.md: peers never send them), id null.
  const std::string one = R"({"jsonrpc":"2.0","id":4,"method":"tasks/get","params":{"id":"t"}})";
  for (const std::string batch : {std::string("[]"), "[" + one + "]", "[" + one + "," + one + "]"}) {
    json reply = rpc(batch);
    EXPECT_EQ(reply["error"]["code"], -32600) << batch;
    EXPECT_EQ(reply["error"]["message"], "Invalid Request: batch requests are not supported");
    EXPECT_EQ(reply["id"], nullptr);
  }
  // Containers cannot be echoed as ids: an invalid request. (A boolean id is echoed, as
  // the original does.)
  EXPECT_EQ(rpc(R"({"jsonrpc":"2.0","id":true,"method":"tasks/get","params":{"id":"t"}})")["id"], true);
  for (const std::string id : {"[1]", "{\"a\":1}"}) {
    json reply = rpc(R"({"jsonrpc":"2.0","id":)" + id + R"(,"method":"tasks/get","params":{"id":"t"}})");
    EXPECT_EQ(reply["error"]["code"], -32600) << id;
    EXPECT_EQ(reply["id"], nullptr) << id;
  }
  // The same id twice is the client's business: both are answered, each with it.
  EXPECT_EQ(rpc(one)["id"], 4);
  EXPECT_EQ(rpc(one)["id"], 4);
  // A member given twice: the last one counts, as in JavaScript.
  json twice = rpc(R"({"jsonrpc":"2.0","id":5,"id":6,"method":"nope","method":"tasks/get","params":{"id":"t"}})");
  EXPECT_EQ(twice["id"], 6);
  EXPECT_EQ(twice["error"]["code"], -32001);
  // A task id the original's client chose twice: the second send changes nothing and is
  // answered with the task as it stands, as the original does.
  const std::string legacy = R"({"jsonrpc":"2.0","id":7,"method":"tasks/send","params":{"id":"t-dup","message":{"role":"user","parts":[{"type":"text","text":"again"}]}}})";
  EXPECT_EQ(rpc(legacy)["result"]["id"], "t-dup");
  json second = rpc(legacy);
  EXPECT_EQ(second["result"]["id"], "t-dup") << second;
  auto inbox = peer->cli({"inbox"});
  EXPECT_EQ(std::count(inbox.out.begin(), inbox.out.end(), '\n'), 1) << inbox.out;
}

TEST_F(Hostile, OversizedHeadersAre431) {
  auto r = raw("GET /.well-known/agent.json HTTP/1.1\r\nHost: x\r\nX-Big: " +
               std::string(20 << 10, 'h') + "\r\n\r\n");
  EXPECT_EQ(r.status, 431) << r.error;
  std::string many = "GET /.well-known/agent.json HTTP/1.1\r\nHost: x\r\n";
  for (int i = 0; i < 3000; ++i) many += "X-" + std::to_string(i) + ": y\r\n";
  r = raw(many + "\r\n");
  EXPECT_EQ(r.status, 431) << r.error;
  EXPECT_EQ(log_count("limit header-size hit by 127.0.0.1"), 1u) << peer->log();
}

TEST_F(Hostile, Http10IsAnsweredInKindAndClosed) {
  auto r = raw(post_request(R"({"jsonrpc":"2.0","id":8,"method":"tasks/get","params":{"id":"t"}})",
                            "", "HTTP/1.0"));
  ASSERT_EQ(r.status, 200) << r.error;
  EXPECT_EQ(r.head.rfind("HTTP/1.0 200", 0), 0u) << r.head;
  EXPECT_EQ(json::parse(r.body)["error"]["code"], -32001);
  // Without our half-close the server still ends the exchange: HTTP/1.0 has no keep-alive
  // unless asked for.
  RawStream card(kAddress, peer->port(), "GET /.well-known/agent.json HTTP/1.0\r\n\r\n");
  EXPECT_TRUE(card.read_until([](const std::string&) { return false; }, kDropDeadline) ||
              card.closed());
  EXPECT_TRUE(card.closed());
  EXPECT_EQ(card.received().rfind("HTTP/1.0 200", 0), 0u) << card.received();
}

TEST_F(Hostile, PipelinedRequestsAreAnsweredInOrder) {
  std::string three;
  for (int id : {11, 12, 13}) {
    three += post_request(R"({"jsonrpc":"2.0","id":)" + std::to_string(id) +
                          R"(,"method":"tasks/get","params":{"id":"t"}})");
  }
  RawStream s(kAddress, peer->port(), three);
  ASSERT_TRUE(s.read_until([](const std::string& got) { return bodies_of(got).size() == 3; }, kDropDeadline))
      << s.received();
  const auto replies = bodies_of(s.received());
  EXPECT_EQ(replies[0]["id"], 11);
  EXPECT_EQ(replies[1]["id"], 12);
  EXPECT_EQ(replies[2]["id"], 13);
}

TEST_F(Hostile, HalfClosedClientStillGetsItsAnswer) {
  RawStream s(kAddress, peer->port(),
              post_request(R"({"jsonrpc":"2.0","id":14,"method":"tasks/get","params":{"id":"t"}})"));
  s.shutdown_write();
  ASSERT_TRUE(s.read_until([](const std::string& got) { return bodies_of(got).size() == 1; }, kDropDeadline))
      << s.received();
  EXPECT_EQ(bodies_of(s.received())[0]["id"], 14);
  // Then the server closes its side too.
  s.read_until([](const std::string&) { return false; }, kDropDeadline);
  EXPECT_TRUE(s.closed());
  // A request cut short by the half-close is malformed: 400, not a hang.
  auto r = raw("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"jsonrpc\"");
  EXPECT_EQ(r.status, 400) << r.error;
}

TEST_F(Hostile, SlowAndSilentClientsAreDropped) {
  // Headers dripped a line every 200 ms: the header timeout (1 s) counts from the first
  // byte, not from the last, so the client is cut off however steadily it drips.
  RawStream drip(kAddress, peer->port(), "POST / HTTP/1.1\r\n");
  const auto start = std::chrono::steady_clock::now();
  while (!drip.closed() && std::chrono::steady_clock::now() - start < kDropDeadline) {
    drip.send("X-Drip: " + std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()) + "\r\n");
    drip.read_until([](const std::string&) { return false; }, 200ms);
  }
  EXPECT_TRUE(drip.closed()) << "still open after " << kDropDeadline.count() << " s of dripping";
  EXPECT_EQ(drip.received(), "") << "a slow client gets no reply, only the close";

  // A connection that never says anything.
  RawStream silent(kAddress, peer->port(), "");
  silent.read_until([](const std::string&) { return false; }, kDropDeadline);
  EXPECT_TRUE(silent.closed());

  // Headers complete, body stalls.
  RawStream stall(kAddress, peer->port(),
                  "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                  "Content-Length: 1000\r\n\r\n{\"jsonrpc\":");
  stall.read_until([](const std::string&) { return false; }, kDropDeadline);
  EXPECT_TRUE(stall.closed());
  EXPECT_EQ(stall.received(), "");

  // Each limit is logged once for this peer, however often it was hit.
  EXPECT_TRUE(eventually([&] { return log_count("limit body-timeout hit by 127.0.0.1") == 1; }));
  EXPECT_EQ(log_count("limit header-timeout hit by 127.0.0.1"), 1u) << peer->log();
}

TEST_F(Hostile, IdleKeepAliveConnectionIsClosed) {
  RawStream s(kAddress, peer->port(),
              post_request(R"({"jsonrpc":"2.0","id":15,"method":"tasks/get","params":{"id":"t"}})"));
  ASSERT_TRUE(s.read_until([](const std::string& got) { return bodies_of(got).size() == 1; }, kDropDeadline));
  EXPECT_EQ(s.received().find("Connection: close"), std::string::npos) << "kept alive";
  s.read_until([](const std::string&) { return false; }, kDropDeadline);
  EXPECT_TRUE(s.closed());
  EXPECT_EQ(log_count("limit "), 0u) << "an idle keep-alive connection is no limit hit";
}

TEST_F(Hostile, LimitHitsAreLoggedOncePerPeerAndLimit) {
  const std::string big(kBodyLimit + 1, ' ');
  for (int i = 0; i < 5; ++i) EXPECT_EQ(raw(post_request(big)).status, 413);
  RawStream other(kAddress, peer->port(), post_request(big), "127.0.0.81");
  other.read_until([](const std::string&) { return false; }, kDropDeadline);
  EXPECT_EQ(other.received().rfind("HTTP/1.1 413", 0), 0u) << other.error() << other.received();
  EXPECT_EQ(log_count("limit body-size hit by 127.0.0.1: a2a: POST /: Request body of"), 1u)
      << peer->log();
  EXPECT_EQ(log_count("limit body-size hit by 127.0.0.81: "), 1u) << peer->log();
}

/// The connection cap: set to 3 here.
class ConnectionCap : public Hostile {
 protected:
  void configure() override {
    peer->set_config("max_connections", "3");
    // Idle sockets must outlive the test's steps.
    peer->set_config("idle_timeout", "\"60s\"");
  }
};

TEST_F(ConnectionCap, OneMoreConnectionIsAnswered503UntilOneCloses) {
  // Three kept-alive connections, each known to be in its session: it has been answered.
  std::vector<std::unique_ptr<RawStream>> held;
  for (int i = 0; i < 3; ++i) {
    held.push_back(std::make_unique<RawStream>(kAddress, peer->port(),
                                               "GET /.well-known/agent.json HTTP/1.1\r\nHost: x\r\n\r\n"));
    ASSERT_TRUE(held.back()->read_until(
        [](const std::string& got) { return got.find("\"name\":\"hostile\"") != std::string::npos; },
        kDropDeadline))
        << held.back()->received();
  }

  RawStream refused(kAddress, peer->port(), "");
  refused.read_until([](const std::string&) { return false; }, kDropDeadline);
  EXPECT_TRUE(refused.closed());
  EXPECT_EQ(refused.received().rfind("HTTP/1.1 503", 0), 0u) << refused.received();
  EXPECT_NE(refused.received().find("\r\nRetry-After: 5\r\n"), std::string::npos);
  EXPECT_NE(refused.received().find("This peer has 3 connections open, its limit; retry in a few seconds"),
            std::string::npos);
  EXPECT_EQ(log_count("limit connections hit by 127.0.0.1: a2a: 3 connections open"), 1u) << peer->log();

  held.pop_back();
  std::string card_status;
  EXPECT_TRUE(eventually([&] {
    auto r = raw("GET /.well-known/agent.json HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    return r.status == 200;
  }));
  held.clear();
}

}  // namespace
}  // namespace e2e

namespace e2e {
namespace {

/// The pending-task cap: 3 unanswered tasks per peer (source address) here.
class PendingCap : public Hostile {
 protected:
  void configure() override { peer->set_config("max_pending_per_peer", "3"); }

  /// POSTs `body` from local address `source` and returns the JSON reply.
  json rpc_from(const std::string& source, const std::string& body, const std::string& headers = "") {
    RawStream s(kAddress, peer->port(), post_request(body, headers + "Connection: close\r\n"), source);
    s.read_until([](const std::string&) { return false; }, kDropDeadline);
    const auto replies = bodies_of(s.received());
    EXPECT_EQ(replies.size(), 1u) << s.error() << s.received();
    return replies.empty() ? json() : replies[0];
  }
};

std::string legacy_send(const std::string& id) {
  return R"({"jsonrpc":"2.0","id":1,"method":"tasks/send","params":{"id":")" + id +
         R"(","message":{"role":"user","parts":[{"type":"text","text":"please"}]}}})";
}

std::string v10_send(const std::string& task_id) {
  json message{{"messageId", "m-" + (task_id.empty() ? std::string("new") : task_id)}, {"role", "ROLE_USER"},
               {"parts", {{{"text", "please"}}}}};
  if (!task_id.empty()) message["taskId"] = task_id;
  return json{{"jsonrpc", "2.0"}, {"id", 2}, {"method", "SendMessage"},
              {"params", {{"message", message}, {"configuration", {{"returnImmediately", true}}}}}}
      .dump();
}

TEST_F(PendingCap, NewTasksBeyondTheCapAreRefusedUntilSomeAreAnswered) {
  const std::string local = "127.0.0.1";
  const std::string v10 = "A2A-Version: 1.0\r\n";
  // Three open tasks from one address, in three dialects.
  ASSERT_EQ(rpc_from(local, legacy_send("t-p1"))["result"]["id"], "t-p1");
  const json first_v10 = rpc_from(local, v10_send(""), v10);
  const std::string v10_task = first_v10["result"]["task"]["id"];
  const json v03 = rpc_from(local, kV03Send, "A2A-Version: 0.3\r\n");
  ASSERT_TRUE(v03.contains("result")) << v03;

  // A fourth is refused, whatever the dialect, with the cap and what to do.
  const std::string message =
      "Too many pending tasks: this agent holds 3 unanswered tasks from 127.0.0.1, its limit "
      "per peer; wait for answers before sending more";
  for (const auto& [body, headers] :
       std::vector<std::pair<std::string, std::string>>{{legacy_send("t-p4"), ""},
                                                        {v10_send(""), v10},
                                                        {kV03Send, "A2A-Version: 0.3\r\n"}}) {
    const json refused = rpc_from(local, body, headers);
    EXPECT_EQ(refused["error"]["code"], -32000) << refused;
    EXPECT_EQ(refused["error"]["message"], message) << refused;
  }
  // What creates no task still works: a re-sent id, a further turn of an open task.
  EXPECT_EQ(rpc_from(local, legacy_send("t-p1"))["result"]["id"], "t-p1");
  const json turn = rpc_from(local, v10_send(v10_task), v10);
  EXPECT_EQ(turn["result"]["task"]["id"], v10_task) << turn;
  // Another peer is not held back by this one.
  EXPECT_EQ(rpc_from("127.0.0.84", legacy_send("t-other"))["result"]["id"], "t-other");
  // One answer makes room for one more.
  ASSERT_EQ(peer->cli({"respond", "t-p1", "done"}).exit_code, 0);
  EXPECT_EQ(rpc_from(local, legacy_send("t-p5"))["result"]["id"], "t-p5");
  EXPECT_EQ(rpc_from(local, legacy_send("t-p6"))["error"]["code"], -32000);

  EXPECT_EQ(log_count("limit pending-tasks hit by 127.0.0.1: "), 1u) << peer->log();
  EXPECT_EQ(log_count("limit pending-tasks hit by 127.0.0.84"), 0u);
}

}  // namespace
}  // namespace e2e

// Who is calling (issue 6): the inbox names the caller the network vouches for — the
// tailnet's whois, else a discovered peer's address — never the one a request claims;
// a callback must point back at its caller; an allowlist refuses everyone else before
// anything is stored; a shared bearer token guards a mesh without a tailnet.

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <iostream>
#include <memory>

#include <nlohmann/json.hpp>

#include "e2e/discovery_checks.h"
#include "e2e/fake_tailnet.h"
#include "e2e/peer.h"
#include "e2e/tailnet_fixture.h"
#include "e2e/raw_http.h"

namespace e2e {
namespace {

using nlohmann::json;
using Node = FakeTailnet::Node;

// This file's addresses: 127.0.11.0/24 is used by no other test.
const std::string kAlice = "127.0.11.2", kBob = "127.0.11.3", kMallory = "127.0.11.4",
                  kCarol = "127.0.11.5";

/// A v0.3 message/send as any client may write it, with optional extra headers.
std::string v03_send(const std::string& host, const std::string& text, const json& configuration,
                     const std::string& extra_headers, const std::string& task_id = "") {
  json message = {{"kind", "message"},
                  {"messageId", "m-" + text},
                  {"role", "user"},
                  {"parts", {{{"kind", "text"}, {"text", text}}}}};
  if (!task_id.empty()) message["taskId"] = task_id;
  json params = {{"message", message}};
  // Not held open until answered (v0.3 blocks by default).
  params["configuration"] = configuration.is_null() ? json::object() : configuration;
  params["configuration"]["blocking"] = false;
  const std::string body =
      json{{"jsonrpc", "2.0"}, {"id", 7}, {"method", "message/send"}, {"params", params}}.dump();
  return "POST / HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: application/json\r\n" +
         extra_headers + "Content-Length: " + std::to_string(body.size()) +
         "\r\nConnection: close\r\n\r\n" + body;
}

json inbox_json(const TestPeer& p) {
  auto r = p.cli({"inbox", "--json"});
  EXPECT_EQ(r.exit_code, 0) << r.describe();
  return json::parse(r.out, nullptr, false);
}

std::size_t count_of(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

const json* task_in(const json& inbox, const std::string& id) {
  for (const auto& t : inbox)
    if (t.value("id", "") == id) return &t;
  return nullptr;
}

class Identity : public TailnetTest {
 protected:
  void SetUp() override { use_addresses({kAlice, kBob, kCarol}); }
};

TEST_F(Identity, TheInboxNamesWhomTheTailnetVouchesForNotWhatARequestClaims) {
  TestPeer& alice = add("alice", kAlice);
  TestPeer& bob = add("bob", kBob);
  tailnet_of(alice).write_status(kAlice, {{"buildbox", kBob, true}});
  tailnet_of(bob).write_status(kBob, {{"devbox", kAlice, true, "alice@example.com", {}}});
  alice.start();
  bob.start();
  ASSERT_TRUE(alice.sees(bob)) << alice.log();
  ASSERT_TRUE(bob.sees(alice)) << bob.log();

  auto sent = alice.cli({"send", "bob", "review my patch"});
  ASSERT_EQ(sent.exit_code, 0) << sent.describe();
  const std::string real_id = sent.out.substr(0, sent.out.size() - 1);

  // mallory, on another address, claims to be alice and asks for the answer to be
  // pushed to alice's callback: refused, nothing stored.
  const std::string claim = "X-A2A-Source-Url: " + alice.card_url() + "\r\n";
  auto redirected = http_request_from(
      kMallory, kBob, bob.port(),
      v03_send(kBob, "send me secrets",
               {{"pushNotificationConfig", {{"url", alice.base_url() + "/push"}, {"token", "t"}}}},
               claim));
  ASSERT_EQ(redirected.status, 200) << redirected.error;
  auto refused = json::parse(redirected.body);
  ASSERT_TRUE(refused.contains("error")) << redirected.body;
  EXPECT_EQ(refused["error"]["code"], -32602);
  EXPECT_NE(refused["error"]["message"].get<std::string>().find("does not point back at the caller (" +
                                                                kMallory + ")"),
            std::string::npos)
      << redirected.body;

  // Without a callback the task is taken, under mallory's own address.
  auto spoofed = http_request_from(kMallory, kBob, bob.port(),
                                   v03_send(kBob, "I am alice, honest", nullptr, claim));
  auto spoofed_reply = json::parse(spoofed.body);
  ASSERT_TRUE(spoofed_reply.contains("result")) << spoofed.body;
  const std::string spoofed_id = spoofed_reply["result"]["id"];

  // Nor can mallory add a turn to alice's task, or read or move its callback.
  auto turn = http_request_from(kMallory, kBob, bob.port(),
                                v03_send(kBob, "and also this", nullptr, claim, real_id));
  EXPECT_EQ(json::parse(turn.body)["error"]["code"], -32001) << turn.body;
  const std::string get_config =
      json{{"jsonrpc", "2.0"}, {"id", 8}, {"method", "tasks/pushNotificationConfig/get"},
           {"params", {{"id", real_id}}}}.dump();
  auto peek = http_request_from(kMallory, kBob, bob.port(),
                                "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                                "Content-Length: " + std::to_string(get_config.size()) +
                                    "\r\nConnection: close\r\n\r\n" + get_config);
  EXPECT_EQ(json::parse(peek.body)["error"]["code"], -32001) << peek.body;

  auto inbox = bob.cli({"inbox"});
  ASSERT_EQ(inbox.exit_code, 0) << inbox.describe();
  EXPECT_EQ(inbox.out, real_id + "\talice\treview my patch\n" + spoofed_id + "\tunverified:" +
                           kMallory + "\tI am alice, honest\n");

  const json list = inbox_json(bob);
  const json* real = task_in(list, real_id);
  ASSERT_NE(real, nullptr) << list.dump(2);
  EXPECT_EQ((*real)["from"], "alice");
  EXPECT_EQ((*real)["caller"]["address"], kAlice);
  EXPECT_EQ((*real)["caller"]["verified"], true);
  EXPECT_EQ((*real)["caller"]["verified_by"], "tailscale");
  EXPECT_EQ((*real)["caller"]["node"], "devbox");
  EXPECT_EQ((*real)["caller"]["user"], "alice@example.com");
  EXPECT_EQ((*real)["caller"]["peer"], "alice");
  EXPECT_EQ((*real)["claimed"]["url"], alice.card_url());

  const json* fake = task_in(list, spoofed_id);
  ASSERT_NE(fake, nullptr) << list.dump(2);
  EXPECT_EQ((*fake)["from"], "unverified:" + kMallory);
  EXPECT_EQ((*fake)["caller"]["verified"], false);
  EXPECT_EQ((*fake)["caller"]["peer"], "");
  // The claim is kept, apart, for whoever wants to read it.
  EXPECT_EQ((*fake)["claimed"]["url"], alice.card_url());
  EXPECT_EQ((*fake)["claimed"]["name"], "alice");

  // alice's own task still gets its answer, by push to the callback she registered.
  ASSERT_EQ(bob.cli({"respond", real_id, "LGTM"}).exit_code, 0);
  auto waited = alice.cli({"wait", real_id, "--timeout", "20"});
  EXPECT_EQ(waited.exit_code, 0) << waited.describe();
  EXPECT_EQ(waited.out, "LGTM\n");
}

TEST_F(Identity, AnAllowlistRefusesEveryoneElseWith403AndStoresNothing) {
  TestPeer& alice = add("alice", kAlice);
  TestPeer& carol = add("carol", kCarol);
  TestPeer& bob = add("bob", kBob);
  tailnet_of(alice).write_status(kAlice, {{"buildbox", kBob, true}});
  tailnet_of(carol).write_status(kCarol, {{"buildbox", kBob, true}});
  // bob's tailnet: alice is a tagged agent, carol a personal laptop.
  tailnet_of(bob).write_status(kBob, {{"devbox", kAlice, true, "", {"tag:a2a-agent"}},
                                 {"laptop", kCarol, true, "carol@example.com", {}}});
  bob.set_config("allow", "[\"tag:a2a-agent\"]");
  for (auto* p : {&alice, &carol, &bob}) p->start();
  ASSERT_TRUE(alice.sees(bob)) << alice.log();
  ASSERT_TRUE(carol.sees(bob)) << carol.log() << "the card stays public";

  auto sent = alice.cli({"send", "bob", "allowed?"});
  ASSERT_EQ(sent.exit_code, 0) << sent.describe();
  auto refused = carol.cli({"send", "bob", "and me?"});
  EXPECT_NE(refused.exit_code, 0) << refused.describe();
  EXPECT_NE(refused.err.find("Forbidden: this agent does not take calls from carol;"), std::string::npos)
      << refused.describe();

  auto forbidden = http_request_from(kMallory, kBob, bob.port(), v03_send(kBob, "let me in", nullptr, ""));
  EXPECT_EQ(forbidden.status, 403) << forbidden.head;
  auto error = json::parse(forbidden.body, nullptr, false);
  ASSERT_TRUE(error.contains("error")) << forbidden.body;
  EXPECT_EQ(error["error"]["code"], -32600);
  EXPECT_EQ(error["error"]["message"],
            "Forbidden: this agent does not take calls from unverified:" + kMallory +
                "; its owner can add you to [security] allow in its config.toml");

  const json list = inbox_json(bob);
  ASSERT_EQ(list.size(), 1u) << list.dump(2);
  EXPECT_EQ(list[0]["text"], "allowed?");
  EXPECT_EQ(list[0]["from"], "alice");
  EXPECT_NE(bob.log().find("limit allowlist hit by unverified:" + kMallory +
                            ": refused with 403: not in [security] allow"),
            std::string::npos)
      << bob.log();
  EXPECT_NE(bob.log().find("limit allowlist hit by carol (" + kCarol + "): refused with 403"),
            std::string::npos)
      << bob.log();
  // One line per caller and minute, however often it knocks.
  for (int i = 0; i < 3; ++i) http_request_from(kMallory, kBob, bob.port(), v03_send(kBob, "again", nullptr, ""));
  EXPECT_EQ(count_of(bob.log(), "limit allowlist hit by unverified:" + kMallory), 1u) << bob.log();
}

TEST(IdentityToken, ASharedTokenGuardsALanMeshAndNeverAppearsOnTheCard) {
  const int port = common_free_port({kAlice, kBob, kCarol});
  TestPeer alice("alice", kAlice, port), bob("bob", kBob, port), carol("carol", kCarol, port);
  const std::string token = "s3cr3t-mesh-token-0123456789";
  for (auto* p : {&alice, &bob, &carol}) {
    auto r = p->init({alice.base_url(), bob.base_url()}, "");
    ASSERT_EQ(r.exit_code, 0) << r.describe();
  }
  for (auto* p : {&alice, &bob}) {
    const auto file = p->root() / "mesh.token";
    std::ofstream(file) << token << "\n";
    ::chmod(file.c_str(), 0600);
    p->set_config("token_file", "\"" + file.string() + "\"");
  }
  for (auto* p : {&alice, &bob, &carol}) p->start();
  ASSERT_TRUE(alice.sees(bob)) << alice.log();
  ASSERT_TRUE(carol.sees(bob)) << carol.log();  // the card is public; calls are not

  auto card = bob.cli({"card"});
  ASSERT_EQ(card.exit_code, 0) << card.describe();
  EXPECT_EQ(card.out.find(token), std::string::npos);
  auto card_json = json::parse(card.out);
  EXPECT_EQ(card_json["securitySchemes"]["meshToken"]["scheme"], "bearer") << card.out;

  auto sent = alice.cli({"send", "bob", "with the token"});
  ASSERT_EQ(sent.exit_code, 0) << sent.describe();
  const std::string id = sent.out.substr(0, sent.out.size() - 1);
  ASSERT_EQ(bob.cli({"respond", id, "received"}).exit_code, 0);
  auto waited = alice.cli({"wait", id, "--timeout", "20"});
  EXPECT_EQ(waited.out, "received\n") << waited.describe();

  auto refused = carol.cli({"send", "bob", "without one"});
  EXPECT_NE(refused.exit_code, 0) << refused.describe();
  EXPECT_NE(refused.err.find("needs a bearer token"), std::string::npos) << refused.describe();

  auto wrong = http_request(kBob, bob.port(),
                            v03_send(kBob, "guess", nullptr, "Authorization: Bearer not-the-token\r\n"));
  EXPECT_EQ(wrong.status, 401);
  EXPECT_NE(wrong.head.find("WWW-Authenticate: Bearer"), std::string::npos) << wrong.head;

  // The answered task has left the inbox; the refused ones never entered it.
  EXPECT_EQ(inbox_json(bob), json::array());

  // A token file others can read is refused at start, saying how to fix it.
  ::chmod((alice.root() / "mesh.token").c_str(), 0644);
  alice.stop();
  auto restart = alice.cli({"serve"}, "", std::chrono::seconds(10));
  EXPECT_NE(restart.exit_code, 0);
  EXPECT_NE(restart.err.find("others can read it; run: chmod 600"), std::string::npos) << restart.describe();
}

}  // namespace
}  // namespace e2e

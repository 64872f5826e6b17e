// The spine of the product: send → inbox → respond → wait between two real daemons.

#include <algorithm>
#include <regex>

#include <nlohmann/json.hpp>

#include "e2e/mesh_fixture.h"
#include "e2e/raw_http.h"

namespace e2e {
namespace {

using nlohmann::json;

TEST_F(TwoPeers, PeersListsTheOtherPeerWithUrlAndSkills) {
  auto a = alice->cli({"peers"});
  ASSERT_EQ(a.exit_code, 0) << a.describe();
  // name, url, skills, sources, last seen, online, dialect: tab-separated, one line per
  // peer. Our hybrid card offers 1.0 first.
  const std::string seen = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z";
  EXPECT_TRUE(std::regex_match(
      a.out,
      std::regex("bob\t" + bob->card_url() + "\tpython\tstatic\t" + seen + "\tonline\t1\\.0\n")))
      << a.out;
  EXPECT_EQ(a.err, "");
  auto b = bob->cli({"peers"});
  EXPECT_TRUE(std::regex_match(
      b.out,
      std::regex("alice\t" + alice->card_url() + "\trust,review\tstatic\t" + seen +
                 "\tonline\t1\\.0\n")))
      << b.out;

  auto j = alice->cli({"peers", "--json"});
  ASSERT_EQ(j.exit_code, 0) << j.describe();
  auto list = json::parse(j.out);
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0]["name"], "bob");
  EXPECT_EQ(list[0]["url"], bob->card_url());
  EXPECT_EQ(list[0]["skills"], json::array({"python"}));
  EXPECT_EQ(list[0]["online"], true);
  EXPECT_EQ(list[0]["dialect"], "1.0");
}

TEST_F(TwoPeers, SendInboxRespondWaitRoundTripsTextByteForByte) {
  const std::string question = "Review this: fn main() { println!(\"héllo\"); } — ok?";
  const std::string id = send_to_bob(question);
  ASSERT_TRUE(std::regex_match(id, std::regex("t-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-"
                                              "[0-9a-f]{12}")))
      << id;

  auto inbox = bob->cli({"inbox"});
  ASSERT_EQ(inbox.exit_code, 0) << inbox.describe();
  EXPECT_EQ(inbox.out, id + "\talice\t" + question + "\n");

  // Before bob answers, alice's wait runs out of time with exit code 9.
  auto early = alice->cli({"wait", id, "--timeout", "0.5"});
  EXPECT_EQ(early.exit_code, 9) << early.describe();
  EXPECT_EQ(early.out, "");

  const std::string answer =
      "Looks fine.\n\"Quotes\" stay 'quoted'; tabs\tstay.\nÜnïcödé: 日本語 ✓ — done\n";
  auto respond = bob->cli({"respond", id, "-"}, answer);
  ASSERT_EQ(respond.exit_code, 0) << respond.describe();
  EXPECT_EQ(respond.out, "");
  EXPECT_EQ(respond.err, "");

  auto wait = alice->cli({"wait", id, "--timeout", "20"});
  ASSERT_EQ(wait.exit_code, 0) << wait.describe();
  EXPECT_EQ(wait.out, answer);  // already ends in a newline: nothing added
  EXPECT_EQ(wait.err, "");

  // Answered tasks leave the inbox; waiting again returns the same answer at once.
  auto after = bob->cli({"inbox"});
  EXPECT_EQ(after.exit_code, 0);
  EXPECT_EQ(after.out, "");
  auto again = alice->cli({"wait", id, "--timeout", "1"});
  EXPECT_EQ(again.exit_code, 0) << again.describe();
  EXPECT_EQ(again.out, answer);
}

TEST_F(TwoPeers, AnswerWithoutTrailingNewlineGetsExactlyOne) {
  const std::string id = send_to_bob("ping");
  ASSERT_TRUE(eventually([&] { return !bob->cli({"inbox"}).out.empty(); }));
  auto r = bob->cli({"respond", id, "pong"});
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  auto wait = alice->cli({"wait", id});
  EXPECT_EQ(wait.exit_code, 0) << wait.describe();
  EXPECT_EQ(wait.out, "pong\n");
}

TEST_F(TwoPeers, InboxListsOldestFirstWithOneLinePreviews) {
  const std::string long_text = "first line\nsecond line with\ttab " + std::string(200, 'x');
  const std::string id1 = send_to_bob(long_text);
  const std::string id2 = send_to_bob("second task");
  auto inbox = bob->cli({"inbox"});
  ASSERT_EQ(inbox.exit_code, 0) << inbox.describe();
  std::vector<std::string> lines;
  std::istringstream s(inbox.out);
  for (std::string line; std::getline(s, line);) lines.push_back(line);
  ASSERT_EQ(lines.size(), 2u) << inbox.out;
  EXPECT_EQ(lines[0].substr(0, id1.size() + 7), id1 + "\talice\t");
  EXPECT_EQ(lines[1], id2 + "\talice\tsecond task");
  const std::string preview = lines[0].substr(id1.size() + 7);
  const auto code_points = std::count_if(preview.begin(), preview.end(),
                                         [](unsigned char c) { return (c & 0xC0) != 0x80; });
  EXPECT_LE(code_points, 80) << preview;
  EXPECT_EQ(preview.find('\t'), std::string::npos);
  EXPECT_EQ(preview.rfind("first line second line with tab x", 0), 0u) << preview;

  auto j = bob->cli({"inbox", "--json"});
  ASSERT_EQ(j.exit_code, 0) << j.describe();
  auto list = json::parse(j.out);
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0]["id"], id1);
  EXPECT_EQ(list[0]["text"], long_text);  // JSON carries the whole text
}

TEST_F(TwoPeers, FailedResponseIsExitCode10WithTheTextOnStdout) {
  const std::string id = send_to_bob("write me a COBOL compiler");
  auto r = bob->cli({"respond", "--failed", id, "out of scope: this peer does python"});
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  auto wait = alice->cli({"wait", id});
  EXPECT_EQ(wait.exit_code, 10) << wait.describe();
  EXPECT_EQ(wait.out, "out of scope: this peer does python\n");
  EXPECT_NE(wait.err.find("failed"), std::string::npos) << wait.err;
}

TEST_F(TwoPeers, TheDaemonNoticesTheAnswerWithoutTheCliAskingThePeer) {
  // The daemon follows the task; after bob answers, alice's store has the answer even
  // though nobody ran `wait` (the CLI must not be the one polling the remote peer).
  const std::string id = send_to_bob("background question");
  ASSERT_EQ(bob->cli({"respond", id, "background answer"}).exit_code, 0);
  ASSERT_TRUE(eventually([&] {
    return alice->log().find("task " + id + " to bob: completed") != std::string::npos;
  })) << alice->log();
  auto wait = alice->cli({"wait", id, "--timeout", "1"});
  EXPECT_EQ(wait.exit_code, 0) << wait.describe();
  EXPECT_EQ(wait.out, "background answer\n");
}

TEST_F(TwoPeers, WaitWorksFromTheStoreWhenTheDaemonIsDown) {
  const std::string id = send_to_bob("question before the outage");
  ASSERT_EQ(alice->stop().exit_code, 0);
  ASSERT_EQ(bob->cli({"respond", id, "answer during the outage"}).exit_code, 0);
  auto wait = alice->cli({"wait", id, "--timeout", "20"});
  EXPECT_EQ(wait.exit_code, 0) << wait.describe();
  EXPECT_EQ(wait.out, "answer during the outage\n");
  EXPECT_NE(wait.err.find("note: no daemon answers"), std::string::npos) << wait.err;
}

TEST_F(TwoPeers, CardIsPrettyJsonWithTheConfiguredIdentity) {
  auto r = alice->cli({"card"});
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  auto card = json::parse(r.out);
  EXPECT_EQ(card["name"], "alice");
  EXPECT_EQ(card["url"], alice->card_url());
  ASSERT_EQ(card["skills"].size(), 2u);
  EXPECT_EQ(card["skills"][0]["id"], "rust");
  EXPECT_NE(r.out.find("\n  \""), std::string::npos) << "not pretty-printed: " << r.out;
  // The daemon serves the same card at both well-known paths.
  for (const char* path : {"/.well-known/agent.json", "/.well-known/agent-card.json"}) {
    auto http = http_request(alice->address(), alice->port(),
                             std::string("GET ") + path +
                                 " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    ASSERT_EQ(http.status, 200) << path << " " << http.error;
    EXPECT_EQ(json::parse(http.body)["name"], "alice");
  }
}

}  // namespace
}  // namespace e2e

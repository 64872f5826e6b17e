// Every error an agent can meet: one line on stderr naming the cause and the next step,
// and the exit code the README documents.

#include <fstream>

#include <nlohmann/json.hpp>

#include "e2e/mesh_fixture.h"

namespace e2e {
namespace {

/// Exactly one line on stderr, starting with "constellation: ".
void expect_one_error_line(const RunResult& r) {
  ASSERT_FALSE(r.err.empty()) << r.describe();
  EXPECT_EQ(r.err.rfind("constellation: ", 0), 0u) << r.err;
  EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << "more than one line: " << r.err;
}

/// The lines of stderr that are errors, not notes.
std::string error_lines(const std::string& err) {
  std::string out;
  std::istringstream s(err);
  for (std::string line; std::getline(s, line);)
    if (line.rfind("constellation: note: ", 0) != 0) out += line + "\n";
  return out;
}

TEST_F(TwoPeers, UnknownPeerListsTheKnownOnesAndSuggestsTheClosest) {
  auto r = alice->cli({"send", "bobb", "hello"});
  EXPECT_EQ(r.exit_code, 5) << r.describe();
  EXPECT_EQ(r.out, "");
  expect_one_error_line(r);
  EXPECT_NE(r.err.find("unknown peer 'bobb'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("did you mean 'bob'?"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("known peers: bob"), std::string::npos) << r.err;
  // Nothing was stored for it: the inbox of bob stays empty.
  EXPECT_EQ(bob->cli({"inbox"}).out, "");
}

TEST_F(TwoPeers, UnknownTaskIdForWaitAndRespond) {
  const std::string bogus = "t-00000000-0000-4000-8000-000000000000";
  auto w = alice->cli({"wait", bogus, "--timeout", "1"});
  EXPECT_EQ(w.exit_code, 6) << w.describe();
  expect_one_error_line(w);
  EXPECT_NE(w.err.find(bogus), std::string::npos) << w.err;

  auto r = bob->cli({"respond", bogus, "answer"});
  EXPECT_EQ(r.exit_code, 6) << r.describe();
  expect_one_error_line(r);
  EXPECT_NE(r.err.find("constellation inbox"), std::string::npos) << "no next step: " << r.err;
}

TEST_F(TwoPeers, RespondingTwiceIsExitCode12AndKeepsTheFirstAnswer) {
  const std::string id = send_to_bob("q");
  ASSERT_EQ(bob->cli({"respond", id, "first"}).exit_code, 0);
  auto second = bob->cli({"respond", id, "second"});
  EXPECT_EQ(second.exit_code, 12) << second.describe();
  expect_one_error_line(second);
  auto wait = alice->cli({"wait", id});
  EXPECT_EQ(wait.out, "first\n");
}

TEST_F(TwoPeers, WaitTimeoutIsExitCode9AndSaysWhatToDo) {
  const std::string id = send_to_bob("slow question");
  auto r = alice->cli({"wait", id, "--timeout", "0.3"});
  EXPECT_EQ(r.exit_code, 9) << r.describe();
  EXPECT_EQ(r.out, "");
  expect_one_error_line(r);
  EXPECT_NE(r.err.find("constellation wait " + id), std::string::npos) << r.err;
}

TEST_F(TwoPeers, UnreachablePeerIsExitCode7AndNothingIsLeftBehind) {
  ASSERT_EQ(bob->stop().exit_code, 0);
  auto r = alice->cli({"send", "bob", "anyone there?"});
  EXPECT_EQ(r.exit_code, 7) << r.describe();
  EXPECT_EQ(r.out, "");
  expect_one_error_line(r);
  EXPECT_NE(r.err.find("peer 'bob' is unreachable"), std::string::npos) << r.err;
  // Once the prober notices, `peers` stops listing bob, and `peers --all` still shows it.
  ASSERT_TRUE(eventually([&] { return alice->cli({"peers"}).out.empty(); })) << alice->log();
  auto all = alice->cli({"peers", "--all", "--json"});
  auto list = nlohmann::json::parse(all.out);
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0]["online"], false);
  EXPECT_NE(list[0]["last_error"].get<std::string>(), "");
}

TEST(Errors, NoDaemonFallsBackToTheStoreAndSaysSo) {
  TestPeer solo("solo", "127.0.0.2");
  ASSERT_EQ(solo.init({}).exit_code, 0);
  for (const char* verb : {"peers", "inbox"}) {
    auto r = solo.cli({verb});
    EXPECT_EQ(r.exit_code, 0) << verb << ": " << r.describe();
    EXPECT_EQ(r.out, "");
    EXPECT_NE(r.err.find("constellation: note: no daemon answers on"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("constellation serve"), std::string::npos) << r.err;
  }
  // With no peers known at all, send explains how peers appear.
  auto s = solo.cli({"send", "bob", "hi"});
  EXPECT_EQ(s.exit_code, 5) << s.describe();
  EXPECT_NE(error_lines(s.err).find("no peers discovered yet"), std::string::npos) << s.err;
}

TEST(Errors, MissingConfigTellsToRunInit) {
  TestPeer fresh("fresh", "127.0.0.2");
  for (const char* verb : {"peers", "inbox", "card", "serve"}) {
    auto r = fresh.cli({verb});
    EXPECT_EQ(r.exit_code, 3) << verb << ": " << r.describe();
    expect_one_error_line(r);
    EXPECT_NE(r.err.find("constellation init"), std::string::npos) << r.err;
  }
}

struct BadConfig {
  const char* text;
  const char* expected;  ///< substring after "<file>:"
};

TEST(Errors, MalformedConfigNamesFileLineAndKey) {
  TestPeer p("p", "127.0.0.2");
  const BadConfig cases[] = {
      {"[agent]\nname = \"x\"\nskills = \"rust\"\n", ":3: agent.skills: expected an array"},
      {"[agent]\nname = \"x\"\nnmae = \"y\"\n", ":3: agent.nmae: unknown key"},
      {"[agent]\nname = \"x\"\n[network]\nbind = \"nonsense\"\n", ":4: network.bind:"},
      {"[agent\nname = \"x\"\n", ":1:"},
      {"[agent]\nname = \"x\"\n[discovery]\ninterval = \"soon\"\n", ":4: discovery.interval:"},
  };
  for (const auto& c : cases) {
    const auto file = p.root() / "bad.toml";
    std::ofstream(file, std::ios::trunc) << c.text;
    auto r = p.cli({"--config", file.string(), "peers"});
    EXPECT_EQ(r.exit_code, 3) << c.text << r.describe();
    expect_one_error_line(r);
    EXPECT_NE(r.err.find(file.string() + c.expected), std::string::npos) << r.err;
    // CONSTELLATION_CONFIG is honoured the same way.
    Env env = p.env();
    env["CONSTELLATION_CONFIG"] = file.string();
    auto e = run({CONSTELLATION_BIN, "inbox"}, env);
    EXPECT_EQ(e.exit_code, 3) << e.describe();
    EXPECT_NE(e.err.find(file.string() + c.expected), std::string::npos) << e.err;
  }
}

TEST(Errors, UsageErrorsAreExitCode2) {
  TestPeer p("p", "127.0.0.2");
  ASSERT_EQ(p.init({}).exit_code, 0);
  for (auto args : std::vector<std::vector<std::string>>{
           {"send", "bob"}, {"wait"}, {"respond", "t-1"}, {"frobnicate"}, {"wait", "x", "--timeout", "-1"}}) {
    auto r = p.cli(args);
    EXPECT_EQ(r.exit_code, 2) << args[0] << ": " << r.describe();
    EXPECT_EQ(r.out, "");
  }
}

TEST(Errors, ServeOnAPortInUseSaysWhichAddress) {
  TestPeer a("a", "127.0.0.2");
  ASSERT_EQ(a.init({}).exit_code, 0);
  a.start();
  TestPeer b("b", "127.0.0.2");
  // Same bind address and port as a: reuse a's port in b's config.
  ASSERT_EQ(b.cli({"init", "--name", "b", "--bind", "127.0.0.2", "--port", std::to_string(a.port())})
                .exit_code,
            0);
  auto r = b.cli({"serve"}, "", std::chrono::seconds(10));
  EXPECT_NE(r.exit_code, 0) << r.describe();
  EXPECT_NE(r.err.find("127.0.0.2:" + std::to_string(a.port())), std::string::npos) << r.err;
}

}  // namespace
}  // namespace e2e

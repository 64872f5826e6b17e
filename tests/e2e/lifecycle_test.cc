// init, serve's life and death, install-service: what a human or systemd sees.

#include <signal.h>

#include <future>
#include <regex>

#include <nlohmann/json.hpp>

#include "e2e/mesh_fixture.h"
#include "e2e/raw_http.h"

namespace e2e {
namespace {

namespace fs = std::filesystem;

TEST(Init, WritesConfigAndPrintsTheFilledInOnboardingPrompt) {
  TestPeer p("carol", "127.0.0.2");
  auto r = p.cli({"init", "--name", "carol", "--skills", "go,sql", "--description",
                  "backend helper", "--bind", "127.0.0.2", "--port", std::to_string(p.port())});
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  EXPECT_TRUE(fs::exists(p.config_file()));
  EXPECT_NE(r.out.find("carol"), std::string::npos);
  EXPECT_NE(r.out.find("go, sql"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("backend helper"), std::string::npos);
  EXPECT_NE(r.out.find(p.card_url()), std::string::npos) << r.out;
  for (const char* verb : {"constellation peers", "constellation send", "constellation wait",
                           "constellation inbox", "constellation respond"}) {
    EXPECT_NE(r.out.find(verb), std::string::npos) << verb;
  }
  EXPECT_EQ(r.out.find("{{"), std::string::npos) << "unfilled placeholder in:\n" << r.out;

  // The config it wrote is what the card shows.
  auto card = nlohmann::json::parse(p.cli({"card"}).out);
  EXPECT_EQ(card["name"], "carol");
  EXPECT_EQ(card["description"], "backend helper");

  // A second init refuses to overwrite; --force does.
  auto again = p.cli({"init", "--name", "dave"});
  EXPECT_EQ(again.exit_code, 3) << again.describe();
  EXPECT_NE(again.err.find("--force"), std::string::npos) << again.err;
  EXPECT_EQ(nlohmann::json::parse(p.cli({"card"}).out)["name"], "carol");
  auto forced = p.cli({"init", "--name", "dave", "--force"});
  EXPECT_EQ(forced.exit_code, 0) << forced.describe();
  EXPECT_EQ(nlohmann::json::parse(p.cli({"card"}).out)["name"], "dave");
}

TEST(Serve, SigtermStopsCleanlyAndRemovesTheControlSocket) {
  TestPeer p("p", "127.0.0.2");
  ASSERT_EQ(p.init({}).exit_code, 0);
  p.start();
  const fs::path socket = p.root() / "run" / "constellation" / "control.sock";
  EXPECT_TRUE(fs::exists(socket));
  EXPECT_EQ(fs::status(socket.parent_path()).permissions() & fs::perms::all, fs::perms::owner_all);
  auto r = p.stop(SIGTERM);
  EXPECT_FALSE(r.timed_out) << p.log();
  EXPECT_EQ(r.exit_code, 0) << p.log();
  EXPECT_FALSE(fs::exists(socket));
  // The port is free again.
  EXPECT_NE(http_request("127.0.0.2", p.port(), "GET / HTTP/1.1\r\n\r\n").error, "");
  // SIGINT (Ctrl-C) too.
  p.start();
  EXPECT_EQ(p.stop(SIGINT).exit_code, 0) << p.log();
}

// Each reason a bind fails has its own fix, and the message names it.
TEST(Serve, BindFailuresSayWhatToChange) {
  TestPeer running("running", "127.0.0.2");
  ASSERT_EQ(running.init({}).exit_code, 0);
  running.start();
  TestPeer clash("clash", "127.0.0.2", running.port());
  ASSERT_EQ(clash.init({}).exit_code, 0);
  auto in_use = clash.cli({"serve"});
  EXPECT_EQ(in_use.exit_code, 1) << in_use.describe();
  EXPECT_EQ(in_use.err, "constellation: cannot serve A2A: bind 127.0.0.2:" +
                            std::to_string(running.port()) +
                            ": Address already in use; another program has that port (often "
                            "another 'constellation serve', or the service): stop it, or change "
                            "[network] bind in the config\n");

  // An address of no interface here (TEST-NET-1: nothing is sent, the bind fails locally).
  clash.set_config("bind", "\"192.0.2.1:7777\"");
  auto absent = clash.cli({"serve"});
  EXPECT_EQ(absent.exit_code, 1) << absent.describe();
  EXPECT_NE(absent.err.find("bind 192.0.2.1:7777: Cannot assign requested address; this machine "
                            "has no such address"),
            std::string::npos)
      << absent.err;

  clash.set_config("bind", "\"localhost:7777\"");
  auto name = clash.cli({"serve"});
  EXPECT_EQ(name.exit_code, 3) << name.describe();
  EXPECT_NE(name.err.find("not an IP address"), std::string::npos) << name.err;
  EXPECT_EQ(name.err.find("another"), std::string::npos) << "a hint for another cause: " << name.err;
}

TEST(Serve, RestartAfterAKillReusesTheStaleSocketAndKeepsTasks) {
  TestPeer a("a", "127.0.0.2"), b("b", "127.0.0.3");
  ASSERT_EQ(a.init({b.base_url()}).exit_code, 0);
  ASSERT_EQ(b.init({a.base_url()}).exit_code, 0);
  a.start();
  b.start();
  ASSERT_TRUE(a.sees(b));
  auto sent = a.cli({"send", "b", "survive a crash"});
  ASSERT_EQ(sent.exit_code, 0) << sent.describe();
  const std::string id = sent.out.substr(0, sent.out.size() - 1);
  ASSERT_TRUE(eventually([&] { return !b.cli({"inbox"}).out.empty(); }));
  // SIGKILL: no cleanup at all; the acknowledged task must still be in b's store.
  EXPECT_EQ(b.stop(SIGKILL).signal, SIGKILL);
  b.start();
  auto inbox = b.cli({"inbox"});
  EXPECT_EQ(inbox.out, id + "\ta\tsurvive a crash\n") << inbox.describe();
  EXPECT_EQ(inbox.err, "") << "the restarted daemon should answer on its socket";
  ASSERT_EQ(b.cli({"respond", id, "still here"}).exit_code, 0);
  auto wait = a.cli({"wait", id});
  EXPECT_EQ(wait.out, "still here\n") << wait.describe();
}

TEST_F(TwoPeers, SigtermDuringAWaitEndsTheWaitWithAClearMessage) {
  const std::string id = send_to_bob("never answered");
  auto waiting = std::async(std::launch::async,
                            [&] { return alice->cli({"wait", id, "--timeout", "60"}); });
  // Let the wait reach the daemon before stopping it.
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  auto stopped = alice->stop(SIGTERM);
  EXPECT_EQ(stopped.exit_code, 0) << alice->log();
  EXPECT_FALSE(stopped.timed_out);
  auto w = waiting.get();
  EXPECT_EQ(w.exit_code, 4) << w.describe();
  EXPECT_NE(w.err.find("constellation wait " + id), std::string::npos) << w.err;
}

}  // namespace
}  // namespace e2e

namespace e2e {
namespace {

TEST_F(TwoPeers, APeerThatIsGoneIsNotListedAfterARestart) {
  ASSERT_EQ(bob->stop().exit_code, 0);
  ASSERT_EQ(alice->stop().exit_code, 0);
  // Restart alice alone: bob was online in her store, but nothing vouches for it now.
  alice->start();
  auto r = alice->cli({"peers"});
  EXPECT_EQ(r.exit_code, 0) << r.describe();
  EXPECT_EQ(r.out, "");
  auto all = nlohmann::json::parse(alice->cli({"peers", "--all", "--json"}).out);
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0]["online"], false);
  // And bob comes back as soon as he answers a probe again.
  bob->start();
  EXPECT_TRUE(alice->sees(*bob)) << alice->log();
}

}  // namespace
}  // namespace e2e

// `constellation status`: what a new user sees on a machine where discovery cannot
// work (no Tailscale, no Avahi), where it does (a fake tailnet), and with no daemon.
// Addresses: 127.0.15.10–.12.

#include <csignal>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "e2e/fake_tailnet.h"
#include "e2e/peer.h"
#include "e2e/tailnet_fixture.h"

namespace e2e {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

json source(const json& report, const std::string& name) {
  for (const auto& s : report["discovery"])
    if (s["source"] == name) return s;
  return json();
}

TEST(Status, ExplainsAMachineWithoutTailscaleAndWithAvahiDown) {
  TestPeer p("alice", "127.0.15.10");
  ASSERT_EQ(p.init({}, "", {"--discovery", "tailscale,mdns"}).exit_code, 0);
  // No `tailscale` anywhere on PATH, and a system bus that is not there: what a fresh
  // laptop without Tailscale or Avahi looks like to the daemon.
  fs::create_directories(p.root() / "empty-bin");
  p.set_env("PATH", (p.root() / "empty-bin").string());
  p.set_env("DBUS_SYSTEM_BUS_ADDRESS", "unix:path=" + (p.root() / "nonexistent").string());
  p.start();

  RunResult r;
  // Both sources report within their first round (tailscale at start, Avahi at once).
  ASSERT_TRUE(eventually([&] {
    r = p.cli({"status"});
    return has(r.out, "tailscale: failed") && has(r.out, "mdns: failed");
  })) << r.describe() << p.log();
  EXPECT_EQ(r.exit_code, 0) << r.describe();
  EXPECT_TRUE(has(r.out, "tailscale: failed — not installed (no `tailscale` on PATH) — install "
                         "Tailscale"))
      << r.out;
  EXPECT_TRUE(has(r.out, "mdns: failed — avahi-daemon cannot be reached")) << r.out;
  EXPECT_TRUE(has(r.out, "sudo systemctl start dbus avahi-daemon")) << r.out;
  EXPECT_TRUE(has(r.out, "static: off — no [network] peers in config.toml")) << r.out;
  EXPECT_TRUE(has(r.out, "daemon: running, pid " + std::to_string(p.pid()) + ", up ")) << r.out;
  EXPECT_TRUE(has(r.out, "'alice' at " + p.card_url())) << r.out;
  EXPECT_TRUE(has(r.out, "peers: 0 online of 0 known peers\n")) << r.out;
  EXPECT_TRUE(has(r.out, "inbox: 0 open tasks")) << r.out;
  EXPECT_TRUE(has(r.out, "outbound: 0 tasks sent and not yet ended")) << r.out;

  auto j = p.cli({"status", "--json"});
  ASSERT_EQ(j.exit_code, 0) << j.describe();
  const json report = json::parse(j.out);
  EXPECT_EQ(report["daemon"]["running"], true);
  EXPECT_EQ(report["daemon"]["pid"], p.pid());
  EXPECT_EQ(report["daemon"]["url"], p.card_url());
  EXPECT_EQ(report["daemon"]["version"], "0.1.0");
  EXPECT_TRUE(report["daemon"]["uptime_s"].is_number_integer()) << report.dump(2);
  EXPECT_EQ(source(report, "tailscale")["state"], "failed") << report.dump(2);
  EXPECT_EQ(source(report, "mdns")["state"], "failed") << report.dump(2);
  EXPECT_EQ(source(report, "static")["state"], "off") << report.dump(2);
  EXPECT_EQ(report["peers"]["online"], 0);
  EXPECT_EQ(report["inbox"]["open"], 0);
  EXPECT_EQ(report["outbound"]["in_flight"], 0);

  // Without the daemon: says so and how to start it, exits 4, and still reports what
  // the store knows.
  ASSERT_EQ(p.stop().exit_code, 0) << p.log();
  auto down = p.cli({"status"});
  EXPECT_EQ(down.exit_code, 4) << down.describe();
  EXPECT_TRUE(has(down.out, "daemon: not running — start it with 'constellation serve', or with "
                            "'systemctl --user start constellation'"))
      << down.out;
  EXPECT_TRUE(has(down.out, "tailscale: stopped — configured; the daemon is not running")) << down.out;
  EXPECT_TRUE(has(down.out, "peers: 0 online of 0 known peers (as the store last saw them)"))
      << down.out;
  auto down_json = p.cli({"status", "--json"});
  EXPECT_EQ(down_json.exit_code, 4) << down_json.describe();
  const json offline = json::parse(down_json.out);
  EXPECT_EQ(offline["daemon"]["running"], false);
  EXPECT_EQ(offline["daemon"]["store_exists"], true);
  EXPECT_EQ(offline["inbox"]["open"], 0);
}

TEST(Status, AConfigThatIsMissingExitsThree) {
  TestPeer p("alice", "127.0.15.12");
  auto r = p.cli({"status"});
  EXPECT_EQ(r.exit_code, 3) << r.describe();
  EXPECT_TRUE(has(r.err, "constellation init")) << r.err;
}

class StatusOnATailnet : public TailnetTest {
 protected:
  void SetUp() override { use_addresses({"127.0.15.10", "127.0.15.11"}); }
};

TEST_F(StatusOnATailnet, AWorkingTailscaleCountsItsPeers) {
  TestPeer& alice = add("alice", "127.0.15.10");
  TestPeer& bob = add("bob", "127.0.15.11");
  tailnet_of(alice).write_status("127.0.15.10", {{"buildbox", "127.0.15.11", true},
                                                 {"printer", "127.0.15.12", true}});
  tailnet_of(bob).write_status("127.0.15.11", {{"devbox", "127.0.15.10", true}});
  alice.start();
  bob.start();
  ASSERT_TRUE(alice.sees(bob)) << alice.log();

  auto r = alice.cli({"status"});
  EXPECT_EQ(r.exit_code, 0) << r.describe();
  EXPECT_TRUE(has(r.out, "tailscale: working, 1 peer online — 2 tailnet device(s) online, "
                         "probed on port(s) " +
                             std::to_string(port)))
      << r.out;
  EXPECT_TRUE(has(r.out, "mdns: off — not in [network] discovery")) << r.out;
  EXPECT_TRUE(has(r.out, "peers: 1 online of 1 known peer\n")) << r.out;
  const json report = json::parse(alice.cli({"status", "--json"}).out);
  EXPECT_EQ(source(report, "tailscale")["state"], "working");
  EXPECT_EQ(source(report, "tailscale")["devices_online"], 2);
  EXPECT_EQ(report["peers"]["by_source"]["tailscale"]["online"], 1);
}

}  // namespace
}  // namespace e2e

// Discovery by mDNS alone: real `constellation serve` daemons in network namespaces of
// their own, each namespace with its own dbus-daemon and avahi-daemon, joined by one
// bridged LAN (tests/netns). No static peers, no Tailscale.

#include <gtest/gtest.h>

#include <iostream>
#include <memory>

#include <nlohmann/json.hpp>

#include "e2e/discovery_checks.h"
#include "e2e/peer.h"
#include "netns/avahi_host.h"

namespace e2e {
namespace {

using std::chrono::seconds;

class MdnsDiscovery : public ::testing::Test {
 protected:
  void SetUp() override {
    if (auto why = netns::unavailable_reason(); !why.empty()) GTEST_SKIP() << why;
    lan = std::make_unique<netns::Lan>();
  }

  void TearDown() override {
    if (HasFailure()) {
      for (auto& p : peers)
        std::cerr << "---- log of " << p->name() << " ----\n" << p->log() << "\n";
    }
    peers.clear();  // daemons first, then the namespaces they live in
    lan.reset();
  }

  /// A peer living on `host`, discovering by mDNS only (or as `methods` says).
  TestPeer& add(const std::string& name, netns::AvahiHost& host,
                const std::string& methods = "mdns") {
    peers.push_back(std::make_unique<TestPeer>(name, host.address(), 7777));
    TestPeer& p = *peers.back();
    for (const auto& [k, v] : host.env()) p.set_env(k, v);
    p.set_launcher(host.exec_prefix());
    auto r = p.init({}, "", {"--discovery", methods});
    EXPECT_EQ(r.exit_code, 0) << r.describe();
    return p;
  }

  /// alice on host a, bob on host b, both serving; returns once alice lists bob.
  void start_alice_and_bob() {
    hosts = {&lan->add_host("a"), &lan->add_host("b")};
    TestPeer& alice = add("alice", *hosts[0]);
    TestPeer& bob = add("bob", *hosts[1]);
    alice.start();
    bob.start();
    ASSERT_TRUE(lists(alice, "bob", seconds(20))) << alice.log();
  }

  std::unique_ptr<netns::Lan> lan;
  std::vector<netns::AvahiHost*> hosts;
  std::vector<std::unique_ptr<TestPeer>> peers;
};

TEST_F(MdnsDiscovery, TwoHostsFindEachOtherAndExchangeATask) {
  start_alice_and_bob();
  ASSERT_FALSE(HasFatalFailure());
  TestPeer &alice = *peers[0], &bob = *peers[1];
  ASSERT_TRUE(lists(bob, "alice", seconds(20))) << bob.log();
  auto& b = *hosts[1];

  const auto list = nlohmann::json::parse(alice.cli({"peers", "--json"}).out);
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0]["url"], "http://" + b.address() + ":7777/");
  EXPECT_EQ(list[0]["sources"], nlohmann::json::array({"mdns"}));

  expect_round_trip(alice, bob, "bob", "ping over mDNS", "pong");
}

TEST_F(MdnsDiscovery, APeerReappearsAfterItsAvahiRestarts) {
  start_alice_and_bob();
  ASSERT_FALSE(HasFatalFailure());
  TestPeer &alice = *peers[0], &bob = *peers[1];
  auto &a = *hosts[0], &b = *hosts[1];

  b.kill_avahi();  // SIGTERM: avahi says goodbye, so alice hears the service go
  ASSERT_TRUE(eventually([&] { return peers_of(alice).empty(); }, seconds(15)))
      << "bob's service was withdrawn: " << peers_of(alice, {"--all"});
  EXPECT_TRUE(bob.running());
  b.restart_avahi();
  ASSERT_TRUE(lists(alice, "bob", seconds(20))) << alice.log() << "\n" << bob.log();

  // And alice's own avahi: she publishes again, and her browser works again.
  a.kill_avahi();
  ASSERT_TRUE(eventually([&] { return peers_of(bob).empty(); }, seconds(15)))
      << "alice's service was withdrawn: " << peers_of(bob, {"--all"});
  a.restart_avahi();
  ASSERT_TRUE(lists(bob, "alice", seconds(20))) << bob.log() << "\n" << alice.log();
  auto& c = lan->add_host("c");
  TestPeer& carol = add("carol", c);
  carol.start();  // published after alice's avahi came back: only a live browser sees it
  ASSERT_TRUE(lists(alice, "carol", seconds(20))) << alice.log();
  EXPECT_TRUE(lists(alice, "bob", seconds(5))) << alice.log();
  for (const TestPeer* p : {&alice, &bob}) {
    const std::string log = p->log();
    EXPECT_EQ(occurrences(log, "avahi is back"), 1u) << log;
    EXPECT_EQ(occurrences(log, " warning "), 1u) << "one warning per outage, not per retry: " << log;
  }
}

TEST_F(MdnsDiscovery, NamesakesOnTheLanAreBothKept) {
  auto& a = lan->add_host("a");
  auto& b = lan->add_host("b");
  auto& c = lan->add_host("c");
  TestPeer& twin1 = add("twin", a);
  twin1.start();
  ASSERT_TRUE(eventually([&] { return twin1.log().find("published") != std::string::npos ||
                                      twin1.log().find("mDNS") != std::string::npos; },
                         seconds(10)));
  TestPeer& twin2 = add("twin", b);
  twin2.start();
  TestPeer& carol = add("carol", c);
  carol.start();

  // The instance names collide on the LAN; Avahi's alternative name resolves it.
  const std::string h1 = "twin@" + a.address(), h2 = "twin@" + b.address();
  ASSERT_TRUE(lists(carol, h1, seconds(25)) && lists(carol, h2, seconds(5)))
      << peers_of(carol, {"--all"}) << carol.log() << "\navahi-browse on c:\n"
      << netns::run_command(c.wrap({"avahi-browse", "-prt", "_a2a._tcp"}), c.env(), seconds(10))
             .output
      << "\navahi-browse on a:\n"
      << netns::run_command(a.wrap({"avahi-browse", "-prt", "_a2a._tcp"}), a.env(), seconds(10))
             .output;
  EXPECT_TRUE(lists(twin1, "twin", seconds(10))) << twin1.log();
  EXPECT_TRUE(lists(twin2, "twin", seconds(10))) << twin2.log();
  EXPECT_NE((twin1.log() + twin2.log()).find("#2"), std::string::npos)
      << "one of them took the alternative name:\n" << twin1.log() << twin2.log();

  auto refused = carol.cli({"send", "twin", "which one?"});
  EXPECT_EQ(refused.exit_code, 13) << refused.describe();
  auto sent = carol.cli({"send", h1, "you, on host a"});
  EXPECT_EQ(sent.exit_code, 0) << sent.describe();
}

TEST_F(MdnsDiscovery, WithoutMdnsInTheConfigNothingIsPublishedOrBrowsed) {
  auto& a = lan->add_host("a");
  auto& b = lan->add_host("b");
  TestPeer& alice = add("alice", a);
  TestPeer& quiet = add("quiet", b, "none");
  alice.start();
  quiet.start();
  // alice's own service proves the LAN works; quiet's never shows up.
  auto browse = [&] {
    return netns::run_command(a.wrap({"avahi-browse", "-pt", "_a2a._tcp"}), a.env(), seconds(10))
        .output;
  };
  ASSERT_TRUE(eventually([&] { return browse().find("alice") != std::string::npos; }, seconds(10)))
      << browse();
  std::this_thread::sleep_for(seconds(2));
  EXPECT_EQ(browse().find("quiet"), std::string::npos) << browse();
  EXPECT_EQ(peers_of(alice, {"--all"}), "");
  EXPECT_EQ(peers_of(quiet, {"--all"}), "") << "quiet does not browse either";
}

TEST_F(MdnsDiscovery, NoAvahiIsOneWarningAndServingGoesOn) {
  auto& a = lan->add_host("a", /*start=*/false);  // namespace only: no bus, no avahi yet
  TestPeer& alice = add("alice", a);
  alice.start();
  std::this_thread::sleep_for(seconds(3));
  EXPECT_TRUE(alice.running());
  EXPECT_EQ(alice.cli({"peers"}).exit_code, 0);
  EXPECT_EQ(occurrences(alice.log(), " warning "), 1u) << alice.log();

  // avahi appears later: alice publishes without a restart.
  a.start();
  auto browse = [&] {
    return netns::run_command(a.wrap({"avahi-browse", "-pt", "_a2a._tcp"}), a.env(), seconds(10))
        .output;
  };
  EXPECT_TRUE(eventually([&] { return browse().find("alice") != std::string::npos; }, seconds(20)))
      << browse() << "\n" << alice.log();
}

}  // namespace
}  // namespace e2e

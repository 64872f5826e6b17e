// MdnsService against real avahi-daemons, each in its own network namespace on a private
// bridge (tests/netns). Every simulated peer is an mdns_probe process running the real
// MdnsService inside its host's namespace with that host's D-Bus: libdbus reads
// DBUS_SYSTEM_BUS_ADDRESS once per process, so peers cannot share this test process.

#include <gtest/gtest.h>

#include <iostream>
#include <memory>
#include <set>

#include "discovery/mdns_probe_client.h"
#include "netns/avahi_host.h"

namespace constellation::discovery {
namespace {

using testing::eventually;
using testing::MdnsProbe;

class MdnsAvahiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (auto why = netns::unavailable_reason(); !why.empty()) GTEST_SKIP() << why;
    lan_ = std::make_unique<netns::Lan>();
  }

  void TearDown() override {
    if (HasFailure()) {
      for (auto& [label, probe] : probes_)
        std::cerr << "---- output of probe " << label << " ----\n" << probe->output();
      for (auto* host : hosts_)
        std::cerr << "---- avahi log of " << host->netns() << " ----\n" << host->avahi_log();
    }
    probes_.clear();
    lan_.reset();
  }

  netns::AvahiHost& add_host(const std::string& label, bool start = true) {
    hosts_.push_back(&lan_->add_host(label, start));
    return *hosts_.back();
  }

  /// Starts a probe (an MdnsService) publishing `name` for `node` on `host`; returns once
  /// its first connection attempt is over, so that start order is publication order.
  MdnsProbe& start_probe(const netns::AvahiHost& host, const std::string& name,
                         const std::string& node, std::uint16_t port,
                         const std::vector<std::string>& extra = {}) {
    auto probe = std::make_unique<MdnsProbe>(host, name, node, port, extra);
    EXPECT_TRUE(eventually([&] { return probe->attempted(); })) << probe->output();
    probes_.emplace_back(node, std::move(probe));
    return *probes_.back().second;
  }

  std::unique_ptr<netns::Lan> lan_;
  std::vector<netns::AvahiHost*> hosts_;
  std::vector<std::pair<std::string, std::unique_ptr<MdnsProbe>>> probes_;
};

std::set<std::string> names_of(const std::optional<MdnsPeer>& a, const std::optional<MdnsPeer>& b) {
  return {a ? a->instance_name : "<none>", b ? b->instance_name : "<none>"};
}

TEST_F(MdnsAvahiTest, PeerOnAnotherHostIsFoundWithAddressPortAndTxt) {
  // A publishes; B, on the other end of the bridge, resolves it.
  auto& a = add_host("a");
  auto& b = add_host("b");
  auto& alice =
      start_probe(a, "Alice", "node-a", 7001,
                  {"--path", "/.well-known/agent-card.json", "--protocols", "legacy,0.3"});
  auto& bob = start_probe(b, "Bob", "node-b", 7002);

  ASSERT_TRUE(eventually([&] { return bob.found_count("node-a") > 0; }));
  auto peer = bob.last_found("node-a");
  EXPECT_EQ(peer->instance_name, "Alice");
  EXPECT_EQ(peer->address, a.address());
  EXPECT_EQ(peer->port, 7001);
  EXPECT_EQ(peer->host_name, a.host_name() + ".local");
  EXPECT_EQ(peer->agent_name, "Alice");
  EXPECT_EQ(peer->node_id, "node-a");
  EXPECT_EQ(peer->card_path, "/.well-known/agent-card.json");
  EXPECT_EQ(peer->txt, (std::map<std::string, std::string>{{"name", "Alice"},
                                                           {"node", "node-a"},
                                                           {"path", "/.well-known/agent-card.json"},
                                                           {"protocols", "legacy,0.3"}}));
  EXPECT_TRUE(eventually([&] { return alice.found_count("node-b") > 0; }));
  EXPECT_EQ(bob.last_found("node-a")->address, a.address());
  EXPECT_EQ(alice.last_found("node-b")->address, b.address());
  EXPECT_EQ(alice.logs("info", "mDNS: published as 'Alice'"), 1);
  EXPECT_EQ(alice.logs("warning", "mDNS:"), 0);
}

TEST_F(MdnsAvahiTest, LongAgentNameIsPublishedCutAtACharacterBoundary) {
  auto& a = add_host("a");
  auto& b = add_host("b");
  std::string long_name;
  for (int i = 0; i < 200; ++i) long_name += "\xC3\xA9";  // 400 bytes of "é"
  start_probe(a, "Long", "node-a", 7001, {"--agent-name", long_name});
  auto& bob = start_probe(b, "Bob", "node-b", 7002);

  ASSERT_TRUE(eventually([&] { return bob.found_count("node-a") > 0; }));
  EXPECT_EQ(bob.last_found("node-a")->agent_name, long_name.substr(0, 250));
}

TEST_F(MdnsAvahiTest, OwnServiceIsNeverReported) {
  auto& a = add_host("a");
  auto& b = add_host("b");
  auto& alice = start_probe(a, "Alice", "node-a", 7001);
  auto& bob = start_probe(b, "Bob", "node-b", 7002);

  // A's browser works (it sees B) ...
  ASSERT_TRUE(eventually([&] { return alice.found_count("node-b") > 0; }));
  ASSERT_TRUE(eventually([&] { return bob.found_count("node-a") > 0; }));
  // ... and by now its own service, resolved by the same browser, has been dropped.
  std::this_thread::sleep_for(std::chrono::seconds(1));
  EXPECT_EQ(alice.found_count("node-a"), 0);
  EXPECT_EQ(bob.found_count("node-b"), 0);
}

TEST_F(MdnsAvahiTest, SameNameOnTwoHostsGetsAnAlternative) {
  // B publishes a name A already holds. Which of the two Avahi renames depends on mDNS
  // timing (B's probe may lose, or B may win and A's established record collide), so
  // only the outcome is fixed: two names, and each side sees the other's real address.
  auto& a = add_host("a");
  auto& b = add_host("b");
  auto& first = start_probe(a, "Twin", "node-a", 7001);
  ASSERT_TRUE(eventually([&] { return first.logs("info", "published as 'Twin'") == 1; }));
  auto& second = start_probe(b, "Twin", "node-b", 7002);

  // Each side believes in exactly one peer: the other one, at its real address (a stale
  // "Twin" → other node, kept after the name moved, would be a second entry).
  auto only = [](MdnsProbe& probe, const std::string& node, const netns::AvahiHost& host,
                 std::uint16_t port) {
    auto view = probe.view();
    return view.size() == 1 && view.begin()->second.node_id == node &&
           view.begin()->second.address == host.address() && view.begin()->second.port == port;
  };
  ASSERT_TRUE(eventually([&] {
    return only(first, "node-b", b, 7002) && only(second, "node-a", a, 7001);
  })) << "first:\n"
      << first.output() << "second:\n"
      << second.output();
  EXPECT_EQ(std::set<std::string>({first.view().begin()->first, second.view().begin()->first}),
            (std::set<std::string>{"Twin", "Twin #2"}));
  EXPECT_EQ(first.logs("info", "mDNS: the name 'Twin' is taken; publishing as 'Twin #2'") +
                second.logs("info", "mDNS: the name 'Twin' is taken; publishing as 'Twin #2'"),
            1);
}

TEST_F(MdnsAvahiTest, SameNameTwiceOnOneDaemonGetsAnAlternative) {
  // Both services use A's daemon: the second add_service fails with a local collision.
  auto& a = add_host("a");
  auto& b = add_host("b");
  auto& solo1 = start_probe(a, "Solo", "node-a1", 7001);
  ASSERT_TRUE(eventually([&] { return solo1.logs("info", "published as 'Solo'") == 1; }));
  auto& solo2 = start_probe(a, "Solo", "node-a2", 7002);
  auto& bob = start_probe(b, "Bob", "node-b", 7003);

  ASSERT_TRUE(
      eventually([&] { return bob.found_count("node-a1") > 0 && bob.found_count("node-a2") > 0; }));
  EXPECT_EQ(names_of(bob.last_found("node-a1"), bob.last_found("node-a2")),
            (std::set<std::string>{"Solo", "Solo #2"}));
  EXPECT_EQ(bob.last_found("node-a2")->instance_name, "Solo #2");
  EXPECT_EQ(bob.last_found("node-a2")->port, 7002);
  EXPECT_EQ(solo2.logs("info", "mDNS: the name 'Solo' is taken; publishing as 'Solo #2'"), 1);
  // Each sees the other, not itself.
  EXPECT_TRUE(eventually([&] { return solo1.found_count("node-a2") > 0; }));
  EXPECT_EQ(solo1.found_count("node-a1"), 0);
  EXPECT_EQ(solo2.found_count("node-a2"), 0);
}

TEST_F(MdnsAvahiTest, RepublishesAndBrowsesAgainAfterAvahiRestarts) {
  auto& a = add_host("a");
  auto& b = add_host("b");
  auto& alice = start_probe(a, "Alice", "node-a", 7001);
  auto& bob = start_probe(b, "Bob", "node-b", 7002);
  ASSERT_TRUE(eventually([&] { return bob.found_count("node-a") == 1; }));
  ASSERT_TRUE(eventually([&] { return alice.found_count("node-b") == 1; }));

  a.kill_avahi(SIGTERM);  // goodbye packets: B forgets A at once
  // A loses what it saw through its daemon, and says so once.
  ASSERT_TRUE(eventually([&] { return alice.lost_count("Bob") == 1; }));
  EXPECT_TRUE(eventually([&] { return bob.lost_count("Alice") == 1; }));
  EXPECT_EQ(alice.logs("warning", "mDNS: avahi is unavailable"), 1);

  a.restart_avahi();
  EXPECT_TRUE(eventually(
      [&] { return alice.logs("info", "mDNS: avahi is back; published as 'Alice'") == 1; }));
  EXPECT_TRUE(eventually([&] { return bob.found_count("node-a") == 2; }))
      << "B did not see A re-published";
  EXPECT_TRUE(eventually([&] { return alice.found_count("node-b") == 2; }))
      << "A's browser did not come back";
  EXPECT_EQ(bob.last_found("node-a")->address, a.address());
  EXPECT_EQ(alice.logs("warning", "mDNS:"), 1);
}

TEST_F(MdnsAvahiTest, ComesBackAfterItsBusRestarts) {
  // Bus and daemon go away together (the client fails, then finds no bus to reconnect to
  // until both are back).
  auto& a = add_host("a");
  auto& b = add_host("b");
  auto& alice = start_probe(a, "Alice", "node-a", 7001);
  auto& bob = start_probe(b, "Bob", "node-b", 7002);
  ASSERT_TRUE(eventually([&] { return alice.found_count("node-b") == 1; }));

  a.stop();
  ASSERT_TRUE(eventually([&] { return alice.lost_count("Bob") == 1; }));
  std::this_thread::sleep_for(std::chrono::seconds(4));  // at least one retry without a bus
  a.start();
  EXPECT_TRUE(eventually(
      [&] { return alice.logs("info", "mDNS: avahi is back; published as 'Alice'") == 1; }));
  EXPECT_TRUE(eventually([&] { return alice.found_count("node-b") == 2; }));
  EXPECT_TRUE(eventually([&] { return bob.found_count("node-a") == 2; }));
  EXPECT_EQ(alice.logs("warning", "mDNS:"), 1);
}

TEST_F(MdnsAvahiTest, StartsWithoutABusAndConnectsWhenAvahiAppears) {
  auto& a = add_host("a", /*start=*/false);  // no bus socket yet
  auto& b = add_host("b");
  auto& bob = start_probe(b, "Bob", "node-b", 7002);
  auto& alice = start_probe(a, "Alice", "node-a", 7001);  // must neither throw nor crash
  EXPECT_EQ(alice.logs("warning", "mDNS: avahi is unavailable (no D-Bus system bus"), 1);

  // Several retries pass without another word.
  std::this_thread::sleep_for(std::chrono::seconds(7));
  EXPECT_EQ(alice.logs("warning", "mDNS:"), 1);

  a.start();
  EXPECT_TRUE(eventually(
      [&] { return alice.logs("info", "mDNS: avahi is back; published as 'Alice'") == 1; }));
  EXPECT_TRUE(eventually([&] { return bob.found_count("node-a") == 1; }));
  EXPECT_TRUE(eventually([&] { return alice.found_count("node-b") == 1; }));
  EXPECT_EQ(alice.logs("warning", "mDNS:"), 1);
}

TEST_F(MdnsAvahiTest, StopWithdrawsTheServiceAndSilencesCallbacks) {
  auto& a = add_host("a");
  auto& b = add_host("b");
  auto& alice = start_probe(a, "Alice", "node-a", 7001);
  auto& bob = start_probe(b, "Bob", "node-b", 7002);
  auto& carol = start_probe(b, "Carol", "node-c", 7003);
  ASSERT_TRUE(eventually([&] { return bob.found_count("node-a") == 1; }));
  ASSERT_TRUE(eventually([&] { return carol.found_count("node-a") == 1; }));

  // Bob stops first (twice, inside the probe) and must hear nothing of Alice leaving;
  // Carol does.
  ASSERT_TRUE(bob.stop());
  ASSERT_TRUE(alice.stop());
  EXPECT_TRUE(eventually([&] { return carol.lost_count("Alice") == 1; }));
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  EXPECT_EQ(bob.events_after_stop(), 0);
  EXPECT_EQ(bob.lost_count("Alice"), 0);
}

}  // namespace
}  // namespace constellation::discovery

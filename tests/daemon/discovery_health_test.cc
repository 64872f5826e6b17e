#include "constellation/daemon/discovery_health.h"

#include <gtest/gtest.h>

#include "constellation/node/overview.h"

namespace constellation::daemon {
namespace {

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(DiscoveryHealth, AMissingTailscaleSaysInstallItOrDropIt) {
  const auto text = explain_tailscale_failure("tailscale: not found on PATH");
  EXPECT_TRUE(has(text, "not installed (no `tailscale` on PATH)")) << text;
  EXPECT_TRUE(has(text, "install Tailscale")) << text;
  EXPECT_TRUE(has(text, "discovery = [\"mdns\"]")) << text;
}

TEST(DiscoveryHealth, AStoppedTailscaledSaysStartIt) {
  const auto text = explain_tailscale_failure(
      "tailscale status --json: exit 1: failed to connect to local tailscaled; it doesn't "
      "appear to be running");
  EXPECT_TRUE(has(text, "sudo systemctl start tailscaled")) << text;
}

TEST(DiscoveryHealth, AHungCliAndAnythingElseQuoteTheCause) {
  EXPECT_TRUE(has(explain_tailscale_failure("tailscale status --json: no answer within 5 s"),
                  "hangs"));
  const auto other = explain_tailscale_failure("tailscale status --json: exit 3: odd");
  EXPECT_TRUE(has(other, "exit 3: odd")) << other;
}

TEST(DiscoveryHealth, AvahiDownOrNoBusSaysWhatToStart) {
  const auto down = explain_mdns_failure("avahi-daemon is not running");
  EXPECT_TRUE(has(down, "sudo systemctl start avahi-daemon")) << down;
  const auto bus = explain_mdns_failure("no D-Bus system bus: Daemon not running");
  EXPECT_TRUE(has(bus, "sudo systemctl start dbus avahi-daemon")) << bus;
  EXPECT_TRUE(has(bus, "Daemon not running")) << bus;
  EXPECT_TRUE(has(bus, "discovery = [\"tailscale\"]")) << bus;
}

TEST(DiscoveryHealth, JsonHasDevicesOnlyWhenKnown) {
  auto j = health_to_json({"mdns", "working", "published", -1});
  EXPECT_FALSE(j.contains("devices_online"));
  j = health_to_json({"tailscale", "working", "3 online", 3});
  EXPECT_EQ(j["devices_online"], 3);
  EXPECT_EQ(j["state"], "working");
}

TEST(StoreOverview, CountsPeersOverallAndPerSource) {
  store::PeerRecord a, b, c;
  a.online = true;
  a.sources = {"tailscale", "static"};
  b.online = false;
  b.sources = {"tailscale"};
  c.online = true;
  c.sources = {"mdns"};
  node::StoreOverview o;
  node::count_peers({a, b, c}, o);
  EXPECT_EQ(o.peers.online, 2u);
  EXPECT_EQ(o.peers.total, 3u);
  EXPECT_EQ(o.peers_by_source["tailscale"].online, 1u);
  EXPECT_EQ(o.peers_by_source["tailscale"].total, 2u);
  EXPECT_EQ(o.peers_by_source["mdns"].online, 1u);
  const auto j = node::overview_to_json(o);
  EXPECT_EQ(j["peers"]["by_source"]["static"]["online"], 1);
  EXPECT_EQ(j["inbox"]["open"], 0);
  EXPECT_EQ(j["outbound"]["in_flight"], 0);
}

}  // namespace
}  // namespace constellation::daemon

#include "constellation/daemon/caller_resolver.h"

#include <gtest/gtest.h>

#include "support/test_data.h"

namespace constellation::daemon {
namespace {

store::PeerRecord peer(std::string name, std::string url, std::string probe_url = "") {
  store::PeerRecord p;
  p.name = std::move(name);
  p.url = std::move(url);
  p.probe_url = std::move(probe_url);
  return p;
}

discovery::TailscaleWhois fixture_whois() {
  auto whois = discovery::parse_tailscale_whois(test_support::test_data("tailscale/whois.json"));
  EXPECT_TRUE(whois.ok());
  return whois.ok() ? *whois : discovery::TailscaleWhois{};
}

TEST(MakeCaller, NothingKnownLeavesTheCallerUnverified) {
  const auto c = make_caller("::ffff:192.0.2.7", nullptr, {peer("bob", "http://192.0.2.8:7777/")});
  EXPECT_EQ(c, security::unverified_caller("192.0.2.7"));
}

TEST(MakeCaller, ADiscoveredPeerOnTheSourceAddressNamesIt) {
  const auto c = make_caller("192.168.1.20", nullptr,
                             {peer("bob", "http://192.168.1.30:7777/"),
                              peer("alice", "http://alice.local:7777/", "http://192.168.1.20:7777")});
  EXPECT_EQ(c.verified_by, "discovery");
  EXPECT_EQ(c.peer, "alice");
  EXPECT_EQ(c.node, "");
  // A callback may name the host on alice's card.
  EXPECT_TRUE(security::callback_points_at("http://alice.local:7777/push", c));
  EXPECT_FALSE(security::callback_points_at("http://192.168.1.30:7777/push", c));
}

TEST(MakeCaller, TheTailnetVouchesForNodeTagsAndTheNodesOtherNames) {
  const auto whois = fixture_whois();
  const auto c = make_caller("100.95.3.120", &whois,
                             {peer("runner", "http://agent-runner-01.tail4f2a9c.ts.net:7777/")});
  EXPECT_EQ(c.verified_by, "tailscale");
  EXPECT_EQ(c.node, "agent-runner-01");
  EXPECT_EQ(c.user, "");
  EXPECT_EQ(c.tags, (std::vector<std::string>{"tag:a2a-agent", "tag:server"}));
  EXPECT_EQ(c.peer, "runner") << "found by the node's DNS name on its card";
  EXPECT_TRUE(security::callback_points_at("http://[fd7a:115c:a1e0::8c01:378]:7777/push", c));
  EXPECT_EQ(security::display_name(c), "runner");
}

}  // namespace
}  // namespace constellation::daemon

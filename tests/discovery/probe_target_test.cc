#include "constellation/discovery/probe_target.h"

#include <gtest/gtest.h>

namespace constellation::discovery {
namespace {

TailscaleNode node(const std::string& host, const std::string& ip, bool online) {
  TailscaleNode n;
  n.host_name = host;
  n.dns_name = host + ".tail4f2a9c.ts.net";
  n.ipv4 = {ip};
  n.ipv6 = {"fd7a:115c:a1e0::1"};
  n.online = online;
  return n;
}

a2a::AgentCard card(const std::string& name, const std::string& url) {
  a2a::AgentCard c;
  c.name = name;
  c.url = url;
  c.version = "0.1.0";
  return c;
}

TEST(TailscaleTargets, OnePerOnlinePeerAndPortOnTheFirstIpv4) {
  TailscaleStatus status;
  status.backend_state = "Running";
  status.peers = {node("buildbox", "100.64.0.2", true), node("laptop", "100.64.0.3", false),
                  node("runner", "100.64.0.4", true)};
  const auto targets = tailscale_targets(status, {7777, 7778});
  std::vector<std::string> bases;
  for (const auto& t : targets) bases.push_back(t.base_url);
  EXPECT_EQ(bases, (std::vector<std::string>{"http://100.64.0.2:7777", "http://100.64.0.2:7778",
                                             "http://100.64.0.4:7777", "http://100.64.0.4:7778"}));
  EXPECT_EQ(targets[0].host_aliases,
            (std::vector<std::string>{"buildbox.tail4f2a9c.ts.net", "buildbox", "100.64.0.2"}));
  EXPECT_EQ(targets[0].origin, "tailscale peer buildbox");
  EXPECT_TRUE(targets[0].check_host);
}

TEST(TailscaleTargets, NoneUnlessRunningOrWithoutIpv4) {
  TailscaleStatus status;
  status.backend_state = "Stopped";
  status.peers = {node("buildbox", "100.64.0.2", true)};
  EXPECT_TRUE(tailscale_targets(status, {7777}).empty());
  status.backend_state = "Running";
  status.peers[0].ipv4.clear();
  EXPECT_TRUE(tailscale_targets(status, {7777}).empty());
}

TEST(MdnsTarget, CarriesTheAnnouncedNodeIdAndHost) {
  MdnsPeer p;
  p.instance_name = "atlas";
  p.host_name = "atlas-box.local";
  p.address = "10.99.0.1";
  p.port = 7777;
  p.node_id = "n-1";
  const auto t = mdns_target(p);
  EXPECT_EQ(t.base_url, "http://10.99.0.1:7777");
  EXPECT_EQ(t.expected_node_id, "n-1");
  EXPECT_EQ(t.host_aliases, std::vector<std::string>{"atlas-box.local"});
}

TEST(StaticTarget, TakenAsWrittenWithoutTrailingSlashes) {
  const auto t = static_target("http://example.org:7777//");
  EXPECT_EQ(t.base_url, "http://example.org:7777");
  EXPECT_FALSE(t.check_host);
}

TEST(CheckCard, AcceptsTheProbedHostOrAnAlias) {
  ProbeTarget t;
  t.base_url = "http://100.64.0.2:7777";
  t.host_aliases = {"buildbox.tail4f2a9c.ts.net", "buildbox"};
  EXPECT_EQ(check_card(card("b", "http://100.64.0.2:7777/"), t), std::nullopt);
  EXPECT_EQ(check_card(card("b", "http://BuildBox.tail4f2a9c.ts.net.:7777/"), t), std::nullopt);
  EXPECT_EQ(check_card(card("b", "http://buildbox:9000/a2a"), t), std::nullopt);
}

TEST(CheckCard, RefusesAUrlPointingElsewhere) {
  ProbeTarget t;
  t.base_url = "http://100.64.0.2:7777";
  EXPECT_EQ(check_card(card("b", "http://100.64.0.9:7777/"), t),
            "its card's URL 'http://100.64.0.9:7777/' points to another host");
  EXPECT_EQ(check_card(card("b", "http://localhost:7777/"), t),
            "its card's URL 'http://localhost:7777/' points to another host");
  t.check_host = false;  // a static peer: the user named it
  EXPECT_EQ(check_card(card("b", "http://100.64.0.9:7777/"), t), std::nullopt);
}

TEST(CheckCard, RefusesNamesThatWouldBreakTheListing) {
  ProbeTarget t;
  t.base_url = "http://10.0.0.1:1";
  EXPECT_EQ(check_card(card("", "http://10.0.0.1:1/"), t), "its card has an empty name");
  EXPECT_EQ(check_card(card("a\tb", "http://10.0.0.1:1/"), t),
            "its card's name contains control characters");
  EXPECT_EQ(check_card(card("a\nb", "http://10.0.0.1:1/"), t),
            "its card's name contains control characters");
  EXPECT_EQ(check_card(card(std::string(129, 'x'), "http://10.0.0.1:1/"), t),
            "its card's name is longer than 128 bytes");
  EXPECT_EQ(check_card(card("Zoë", "http://10.0.0.1:1/"), t), std::nullopt);
}

TEST(CheckCard, NodeIdMustMatchWhatMdnsAnnounced) {
  ProbeTarget t;
  t.base_url = "http://10.99.0.1:7777";
  t.expected_node_id = "n-1";
  auto c = card("atlas", "http://10.99.0.1:7777/");
  c.node_id = "n-2";
  EXPECT_EQ(check_card(c, t),
            "its card's node id 'n-2' is not the one mDNS announced ('n-1')");
  c.node_id = "n-1";
  EXPECT_EQ(check_card(c, t), std::nullopt);
}

TEST(UrlHost, LowercasedWithoutBracketsOrTrailingDot) {
  EXPECT_EQ(url_host("http://Box.Example.:80/x"), "box.example");
  EXPECT_EQ(url_host("http://[fd7a::1]:7777/"), "fd7a::1");
  EXPECT_EQ(url_host("not a url"), "");
  EXPECT_EQ(base_url("fd7a::1", 7777), "http://[fd7a::1]:7777");
}

}  // namespace
}  // namespace constellation::discovery

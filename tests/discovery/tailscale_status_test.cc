#include "constellation/discovery/tailscale_status.h"

#include <gtest/gtest.h>

#include "support/test_data.h"

#include <fstream>
#include <sstream>
#include <string>

namespace constellation::discovery {
namespace {

std::string fixture(const std::string& name) { return test_support::test_data("tailscale/" + name); }

TailscaleStatus parsed(const std::string& text) {
  auto status = parse_tailscale_status(text);
  EXPECT_TRUE(status.ok()) << status.error().message;
  return status.ok() ? *status : TailscaleStatus{};
}

std::string status_error(const std::string& text) {
  auto status = parse_tailscale_status(text);
  EXPECT_FALSE(status.ok()) << text;
  if (status.ok()) return "";
  EXPECT_EQ(status.error().kind, ErrorKind::kInternal);
  return status.error().message;
}

const TailscaleNode* peer_named(const TailscaleStatus& status, const std::string& host) {
  for (const auto& peer : status.peers) {
    if (peer.host_name == host) return &peer;
  }
  return nullptr;
}

TEST(TailscaleStatus, OnlineFixtureSelf) {
  const TailscaleStatus status = parsed(fixture("status-online.json"));
  EXPECT_EQ(status.backend_state, "Running");
  EXPECT_TRUE(status.running());
  EXPECT_TRUE(status.health.empty());
  EXPECT_EQ(status.self.host_name, "devbox");
  EXPECT_EQ(status.self.dns_name, "devbox.tail4f2a9c.ts.net");
  EXPECT_EQ(status.self.os, "linux");
  EXPECT_EQ(status.self.ipv4, (std::vector<std::string>{"100.101.102.103"}));
  EXPECT_EQ(status.self.ipv6, (std::vector<std::string>{"fd7a:115c:a1e0::ab01:6667"}));
  EXPECT_TRUE(status.self.online);
  EXPECT_EQ(status.self.user_id, 4829305716024511);
  EXPECT_EQ(status.self.login_name, "alice@example.com");
  EXPECT_TRUE(status.self.tags.empty());
}

TEST(TailscaleStatus, OnlineFixturePeersSortedByDnsName) {
  const TailscaleStatus status = parsed(fixture("status-online.json"));
  ASSERT_EQ(status.peers.size(), 3u);
  EXPECT_EQ(status.peers[0].dns_name, "agent-runner-01.tail4f2a9c.ts.net");
  EXPECT_EQ(status.peers[1].dns_name, "bobs-macbook-pro.tail4f2a9c.ts.net");
  EXPECT_EQ(status.peers[2].dns_name, "buildbox.tail4f2a9c.ts.net");
}

TEST(TailscaleStatus, OnlineFixtureBuildbox) {
  const TailscaleStatus status = parsed(fixture("status-online.json"));
  const TailscaleNode* node = peer_named(status, "buildbox");
  ASSERT_NE(node, nullptr);
  EXPECT_TRUE(node->online);
  EXPECT_EQ(node->os, "linux");
  EXPECT_EQ(node->ipv4, (std::vector<std::string>{"100.88.14.27"}));
  EXPECT_EQ(node->ipv6, (std::vector<std::string>{"fd7a:115c:a1e0::5e01:e1b"}));
  EXPECT_EQ(node->login_name, "alice@example.com");
}

TEST(TailscaleStatus, OnlineFixtureOfflineMac) {
  const TailscaleStatus status = parsed(fixture("status-online.json"));
  const TailscaleNode* node = peer_named(status, "Bobs-MacBook-Pro");
  ASSERT_NE(node, nullptr);
  EXPECT_FALSE(node->online);
  EXPECT_EQ(node->os, "macOS");
  EXPECT_EQ(node->user_id, 7310558842936101);
  EXPECT_EQ(node->login_name, "bob@example.com");
}

TEST(TailscaleStatus, OnlineFixtureTaggedNodeKeepsExactUserId) {
  const TailscaleStatus status = parsed(fixture("status-online.json"));
  const TailscaleNode* node = peer_named(status, "agent-runner-01");
  ASSERT_NE(node, nullptr);
  EXPECT_TRUE(node->online);
  EXPECT_EQ(node->tags, (std::vector<std::string>{"tag:a2a-agent", "tag:server"}));
  // 29718846102557381 > 2^53: through a double it would become ...380.
  EXPECT_EQ(node->user_id, INT64_C(29718846102557381));
  EXPECT_EQ(node->login_name, "tagged-devices");
  EXPECT_EQ(node->ipv4, (std::vector<std::string>{"100.95.3.120"}));
}

TEST(TailscaleStatus, StoppedFixtureKeepsPeers) {
  const TailscaleStatus status = parsed(fixture("status-stopped.json"));
  EXPECT_EQ(status.backend_state, "Stopped");
  EXPECT_FALSE(status.running());
  EXPECT_EQ(status.health, (std::vector<std::string>{"Tailscale is stopped."}));
  EXPECT_FALSE(status.self.online);
  EXPECT_EQ(status.self.ipv4, (std::vector<std::string>{"100.101.102.103"}));
  EXPECT_EQ(status.peers.size(), 3u);
}

TEST(TailscaleStatus, NeedsLoginFixtureWithNullPeerAndUser) {
  const TailscaleStatus status = parsed(fixture("status-needslogin.json"));
  EXPECT_EQ(status.backend_state, "NeedsLogin");
  EXPECT_FALSE(status.running());
  EXPECT_TRUE(status.peers.empty());
  EXPECT_EQ(status.self.host_name, "devbox");
  EXPECT_EQ(status.self.dns_name, "");
  EXPECT_TRUE(status.self.ipv4.empty());
  EXPECT_EQ(status.self.user_id, 0);
  EXPECT_EQ(status.self.login_name, "");
}

TEST(TailscaleStatus, MissingFieldsAreAbsentAndUnknownOnesIgnored) {
  // An older or newer client: no Peer, no User, fields we have never heard of.
  const TailscaleStatus status = parsed(
      R"({"BackendState":"Running","FutureField":{"x":[1,2]},
          "Self":{"HostName":"devbox","Shiny":true,"UserID":7}})");
  EXPECT_TRUE(status.running());
  EXPECT_TRUE(status.peers.empty());
  EXPECT_EQ(status.self.host_name, "devbox");
  EXPECT_EQ(status.self.user_id, 7);
  EXPECT_EQ(status.self.login_name, "");
}

TEST(TailscaleStatus, EmptyObjectIsAnEmptyStatus) {
  const TailscaleStatus status = parsed("{}");
  EXPECT_EQ(status.backend_state, "");
  EXPECT_FALSE(status.running());
}

TEST(TailscaleStatus, PeersWithoutDnsNameSortByHostName) {
  const TailscaleStatus status = parsed(
      R"({"Peer":{"nodekey:1":{"HostName":"zeta"},"nodekey:2":{"HostName":"alpha"},
                  "nodekey:3":null}})");
  ASSERT_EQ(status.peers.size(), 2u);
  EXPECT_EQ(status.peers[0].host_name, "alpha");
  EXPECT_EQ(status.peers[1].host_name, "zeta");
}

TEST(TailscaleStatus, EmptyInput) {
  EXPECT_EQ(status_error(""), "tailscale status --json: printed nothing");
  EXPECT_EQ(status_error(" \n"), "tailscale status --json: printed nothing");
}

TEST(TailscaleStatus, MalformedJson) {
  EXPECT_EQ(status_error("Tailscale is stopped."),
            "tailscale status --json: not JSON: parse error at line 1, column 1: syntax error "
            "while parsing value - invalid literal; last read: 'T'");
}

TEST(TailscaleStatus, TruncatedJson) {
  const std::string online = fixture("status-online.json");
  const std::string message = status_error(online.substr(0, online.size() / 2));
  EXPECT_EQ(message.rfind("tailscale status --json: not JSON: parse error at line ", 0), 0u)
      << message;
}

TEST(TailscaleStatus, TopLevelNotAnObject) {
  EXPECT_EQ(status_error("[1,2]"), "tailscale status --json: expected a JSON object, got array");
  EXPECT_EQ(status_error("null"), "tailscale status --json: expected a JSON object, got null");
}

TEST(TailscaleStatus, WrongTypesNameTheJsonPath) {
  EXPECT_EQ(status_error(R"({"Peer":{"nodekey:ab12":{"TailscaleIPs":"100.1.2.3"}}})"),
            "tailscale status --json: Peer.nodekey:ab12: TailscaleIPs: expected an array, got "
            "string");
  EXPECT_EQ(status_error(R"({"Self":{"TailscaleIPs":["100.1.2.3",7]}})"),
            "tailscale status --json: Self: TailscaleIPs[1]: expected a string, got an integer");
  EXPECT_EQ(status_error(R"({"Self":{"TailscaleIPs":["not-an-ip"]}})"),
            "tailscale status --json: Self: TailscaleIPs[0]: \"not-an-ip\" is not an IP address");
  EXPECT_EQ(status_error(R"({"BackendState":3})"),
            "tailscale status --json: BackendState: expected a string, got an integer");
  EXPECT_EQ(status_error(R"({"Self":{"Online":"yes"}})"),
            "tailscale status --json: Self: Online: expected true or false, got string");
  EXPECT_EQ(status_error(R"({"Peer":[]})"),
            "tailscale status --json: Peer: expected an object, got array");
  EXPECT_EQ(status_error(R"({"User":{"7":{"LoginName":false}}})"),
            "tailscale status --json: User.7: LoginName: expected a string, got boolean");
}

TEST(TailscaleStatus, UserIdMustBeAnExactInteger) {
  EXPECT_EQ(status_error(R"({"Self":{"UserID":1.5}})"),
            "tailscale status --json: Self: UserID: expected an integer, got a fractional number");
  EXPECT_EQ(status_error(R"({"Self":{"UserID":"12"}})"),
            "tailscale status --json: Self: UserID: expected an integer, got string");
  EXPECT_EQ(status_error(R"({"Self":{"UserID":18446744073709551615}})"),
            "tailscale status --json: Self: UserID: 18446744073709551615 is out of range");
  EXPECT_EQ(parsed(R"({"Self":{"UserID":9223372036854775807}})").self.user_id, INT64_MAX);
}

TEST(TailscaleIp4, Fixture) {
  auto ip = parse_tailscale_ip4(fixture("ip4.txt"));
  ASSERT_TRUE(ip.ok()) << ip.error().message;
  EXPECT_EQ(*ip, "100.101.102.103");
}

TEST(TailscaleIp4, FirstValidLineWins) {
  auto ip = parse_tailscale_ip4("warning: client version differs\r\n 100.64.0.1 \r\n100.64.0.2\n");
  ASSERT_TRUE(ip.ok()) << ip.error().message;
  EXPECT_EQ(*ip, "100.64.0.1");
}

TEST(TailscaleIp4, ErrorsSayWhatWasPrinted) {
  auto empty = parse_tailscale_ip4("\n");
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().message, "tailscale ip -4: printed nothing");
  auto garbage = parse_tailscale_ip4("fd7a:115c:a1e0::ab01:6667\n256.1.1.1\n");
  ASSERT_FALSE(garbage.ok());
  EXPECT_EQ(garbage.error().message,
            "tailscale ip -4: no IPv4 address in its output: "
            "\"fd7a:115c:a1e0::ab01:6667\\n256.1.1.1\"");
}

TEST(DescribeBackendState, SaysWhatToRun) {
  EXPECT_EQ(describe_backend_state("NeedsLogin"),
            "Tailscale is logged out (BackendState NeedsLogin); run 'tailscale up' to log in");
  EXPECT_EQ(describe_backend_state("Stopped"),
            "Tailscale is stopped (BackendState Stopped); run 'tailscale up' to connect");
  for (const char* state :
       {"NoState", "InUseOtherUser", "NeedsMachineAuth", "Starting", "Running", "Confused"}) {
    const std::string text = describe_backend_state(state);
    EXPECT_NE(text.find(std::string("(BackendState ") + state + ")"), std::string::npos) << text;
    if (std::string(state) != "Running") {
      EXPECT_NE(text.find("run '"), std::string::npos) << text;
    }
    EXPECT_EQ(text.find('\n'), std::string::npos);
  }
  EXPECT_NE(describe_backend_state("NeedsMachineAuth").find("admin"), std::string::npos);
  EXPECT_NE(describe_backend_state("").find("no BackendState"), std::string::npos);
}

}  // namespace
}  // namespace constellation::discovery

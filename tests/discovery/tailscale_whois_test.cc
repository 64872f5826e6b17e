#include "constellation/discovery/tailscale_whois.h"

#include <gtest/gtest.h>

#include "support/test_data.h"

#include <fstream>
#include <sstream>
#include <string>

namespace constellation::discovery {
namespace {

std::string fixture(const std::string& name) { return test_support::test_data("tailscale/" + name); }

std::string whois_error(const std::string& text) {
  auto whois = parse_tailscale_whois(text);
  EXPECT_FALSE(whois.ok()) << text;
  if (whois.ok()) return "";
  EXPECT_EQ(whois.error().kind, ErrorKind::kInternal);
  return whois.error().message;
}

TEST(TailscaleWhois, TaggedDeviceIsKnownByNodeAndTagsNotByThePlaceholderLogin) {
  auto whois = parse_tailscale_whois(fixture("whois.json"));
  ASSERT_TRUE(whois.ok()) << whois.error().message;
  EXPECT_EQ(whois->node_name, "agent-runner-01");
  EXPECT_EQ(whois->dns_name, "agent-runner-01.tail4f2a9c.ts.net");
  EXPECT_EQ(whois->login_name, "");
  EXPECT_EQ(whois->display_name, "");
  EXPECT_EQ(whois->tags, (std::vector<std::string>{"tag:a2a-agent", "tag:server"}));
  EXPECT_EQ(whois->addresses, (std::vector<std::string>{"100.95.3.120", "fd7a:115c:a1e0::8c01:378"}));
}

TEST(TailscaleWhois, PersonalDeviceCarriesItsOwnersLogin) {
  auto whois = parse_tailscale_whois(R"({
    "Node": {"Name": "laptop.tail4f2a9c.ts.net.", "Addresses": ["100.101.1.2/32"], "Tags": null},
    "UserProfile": {"ID": 7, "LoginName": "alice@example.com", "DisplayName": "Alice"}
  })");
  ASSERT_TRUE(whois.ok()) << whois.error().message;
  EXPECT_EQ(whois->node_name, "laptop");  // no ComputedName: the first label of Name
  EXPECT_EQ(whois->login_name, "alice@example.com");
  EXPECT_EQ(whois->display_name, "Alice");
  EXPECT_TRUE(whois->tags.empty());
}

TEST(TailscaleWhois, ErrorsNameTheCommandAndThePath) {
  EXPECT_EQ(whois_error(""), "tailscale whois --json: printed nothing");
  EXPECT_EQ(whois_error("[]"), "tailscale whois --json: expected a JSON object, got array");
  EXPECT_NE(whois_error("{\"Node\":").find("tailscale whois --json: not JSON: "), std::string::npos);
  EXPECT_EQ(whois_error("{}"),
            "tailscale whois --json: no Node: the address belongs to no node of this tailnet");
  EXPECT_EQ(whois_error(R"({"Node": {"ComputedName": "x", "Tags": ["tag:a", 3]}})"),
            "tailscale whois --json: Node: Tags[1]: expected a string, got an integer");
  EXPECT_EQ(whois_error(R"({"Node": {"Addresses": []}})"),
            "tailscale whois --json: Node: has neither ComputedName nor Name");
  EXPECT_EQ(whois_error(R"({"Node": {"ComputedName": "x"}, "UserProfile": "me"})"),
            "tailscale whois --json: UserProfile: expected an object, got string");
}

}  // namespace
}  // namespace constellation::discovery

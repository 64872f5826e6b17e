#include "constellation/security/allowlist.h"

#include <gtest/gtest.h>

namespace constellation::security {
namespace {

Allowlist list(const std::vector<std::string>& entries) {
  auto parsed = Allowlist::parse(entries);
  EXPECT_TRUE(parsed.ok()) << parsed.error().message;
  return parsed.ok() ? *parsed : Allowlist{};
}

Caller tailnet(std::string node, std::string user, std::vector<std::string> tags,
               std::string address = "100.95.3.120") {
  Caller c;
  c.address = std::move(address);
  c.verified_by = std::string(kVerifiedByTailscale);
  c.node = std::move(node);
  c.user = std::move(user);
  c.tags = std::move(tags);
  return c;
}

TEST(Cidr, MatchesIpv4AndIpv6NetworksAndSingleHosts) {
  auto cgnat = Cidr::parse("100.64.0.0/10");
  ASSERT_TRUE(cgnat);
  EXPECT_TRUE(cgnat->contains("100.95.3.120"));
  EXPECT_TRUE(cgnat->contains("::ffff:100.127.255.255"));
  EXPECT_FALSE(cgnat->contains("100.128.0.1"));
  EXPECT_FALSE(cgnat->contains("fd7a:115c:a1e0::1"));
  auto ts6 = Cidr::parse("fd7a:115c:a1e0::/48");
  ASSERT_TRUE(ts6);
  EXPECT_TRUE(ts6->contains("fd7a:115c:a1e0::8c01:378"));
  EXPECT_FALSE(ts6->contains("fd7a:115c:a1e1::1"));
  EXPECT_FALSE(ts6->contains("100.95.3.120"));
  auto host = Cidr::parse("10.0.0.7");
  ASSERT_TRUE(host);
  EXPECT_TRUE(host->contains("10.0.0.7"));
  EXPECT_FALSE(host->contains("10.0.0.8"));
  EXPECT_TRUE(Cidr::parse("0.0.0.0/0")->contains("192.0.2.1"));
  for (const char* bad : {"10.0.0.0/33", "10.0.0.0/", "10.0.0/8", "::/129", "10.0.0.0/8x", "buildbox", ""}) {
    EXPECT_FALSE(Cidr::parse(bad)) << bad;
  }
  EXPECT_FALSE(host->contains("not an address"));
}

TEST(Allowlist, EmptyAllowsEveryoneIncludingUnverifiedCallers) {
  EXPECT_TRUE(Allowlist{}.allows(unverified_caller("192.0.2.9")));
  EXPECT_TRUE(list({}).allows(Caller{}));
}

TEST(Allowlist, UsersTagsAndNamesMatchOnlyVerifiedIdentitiesCaseInsensitively) {
  const auto allow = list({"Alice@Example.com", "tag:a2a-agent", "buildbox"});
  EXPECT_TRUE(allow.allows(tailnet("laptop", "alice@example.com", {})));
  EXPECT_TRUE(allow.allows(tailnet("agent-runner-01", "", {"tag:server", "tag:A2A-agent"})));
  EXPECT_TRUE(allow.allows(tailnet("BuildBox", "bob@example.com", {})));
  EXPECT_FALSE(allow.allows(tailnet("laptop", "bob@example.com", {"tag:server"})));

  Caller discovered = unverified_caller("192.168.1.20");
  discovered.verified_by = std::string(kVerifiedByDiscovery);
  discovered.peer = "buildbox";
  EXPECT_TRUE(allow.allows(discovered));
  // The same names, but nothing vouches for them.
  Caller claimed = tailnet("buildbox", "alice@example.com", {"tag:a2a-agent"});
  claimed.verified_by.clear();
  EXPECT_FALSE(allow.allows(claimed));
}

TEST(Allowlist, NetworksMatchTheSourceAddressWhetherVerifiedOrNot) {
  const auto allow = list({"127.0.0.0/8", "fd7a:115c:a1e0::/48"});
  EXPECT_TRUE(allow.allows(unverified_caller("127.0.0.9")));
  EXPECT_TRUE(allow.allows(unverified_caller("::ffff:127.0.0.9")));
  EXPECT_TRUE(allow.allows(tailnet("n", "", {}, "fd7a:115c:a1e0::5")));
  EXPECT_FALSE(allow.allows(unverified_caller("10.1.2.3")));
  EXPECT_FALSE(allow.allows(Caller{}));  // no address (not over TCP): nothing to match
}

TEST(Allowlist, AnEntryOfNoKnownKindIsRefusedNamingIt) {
  auto parsed = Allowlist::parse({"buildbox", "not a name!"});
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().kind, ErrorKind::kUsage);
  EXPECT_EQ(parsed.error().message,
            "allow[1]: \"not a name!\" is not a user (name@domain), a tag (tag:name), a node "
            "name or an address/CIDR (10.0.0.0/8)");
  EXPECT_FALSE(Allowlist::parse({"tag:"}).ok());
  EXPECT_FALSE(Allowlist::parse({"@example.com"}).ok());
  EXPECT_FALSE(Allowlist::parse({"10.0.0.0/40"}).ok());
}

}  // namespace
}  // namespace constellation::security

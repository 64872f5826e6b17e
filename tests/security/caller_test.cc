#include "constellation/security/caller.h"

#include <gtest/gtest.h>

namespace constellation::security {
namespace {

TEST(Caller, AddressesAreKeptWithoutTheIpv4MappedPrefix) {
  EXPECT_EQ(unverified_caller("::ffff:10.0.0.2").address, "10.0.0.2");
  EXPECT_EQ(unverified_caller("::ffff:abcd::1").address, "::ffff:abcd::1");
  EXPECT_EQ(unverified_caller("fd7a:115c:a1e0::1").address, "fd7a:115c:a1e0::1");
  EXPECT_FALSE(unverified_caller("10.0.0.2").verified());
}

TEST(Caller, TheInboxShowsThePeerThenTheNodeThenTheBareAddress) {
  Caller c = unverified_caller("100.95.3.120");
  EXPECT_EQ(display_name(c), "unverified:100.95.3.120");
  c.verified_by = std::string(kVerifiedByTailscale);
  c.node = "agent-runner-01";
  EXPECT_EQ(display_name(c), "agent-runner-01");
  c.peer = "bob";
  EXPECT_EQ(display_name(c), "bob");
  EXPECT_EQ(display_name(Caller{}), "unknown");
}

TEST(Caller, TheSameTailnetNodeOnEitherAddressIsTheSameCaller) {
  Caller v4 = unverified_caller("100.95.3.120");
  Caller v6 = unverified_caller("fd7a:115c:a1e0::8c01:378");
  EXPECT_FALSE(same_caller(v4, v6));
  EXPECT_TRUE(same_caller(v4, unverified_caller("100.95.3.120")));
  v4.verified_by = v6.verified_by = std::string(kVerifiedByTailscale);
  v4.node = v6.node = "agent-runner-01";
  EXPECT_TRUE(same_caller(v4, v6));
  v6.node = "other";
  EXPECT_FALSE(same_caller(v4, v6));
  EXPECT_FALSE(same_caller(Caller{}, Caller{}));  // no address: nothing to tie them
}

}  // namespace
}  // namespace constellation::security

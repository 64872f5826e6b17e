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

namespace constellation::security {
namespace {

TEST(Caller, ACallbackMustPointBackAtTheCallerItself) {
  Caller c = unverified_caller("100.95.3.120");
  EXPECT_TRUE(callback_points_at("http://100.95.3.120:7777/push", c));
  EXPECT_TRUE(callback_points_at("http://100.95.3.120/push", c));
  EXPECT_FALSE(callback_points_at("http://100.95.3.121:7777/push", c));
  EXPECT_FALSE(callback_points_at("http://169.254.169.254/latest/meta-data", c));
  // Tricks with user info and host-like paths do not pass.
  EXPECT_FALSE(callback_points_at("http://100.95.3.120@10.0.0.1/push", c));
  EXPECT_FALSE(callback_points_at("http://10.0.0.1/100.95.3.120", c));
  EXPECT_FALSE(callback_points_at("not a url", c));
  c.hosts = {"agent-runner-01.tail4f2a9c.ts.net", "fd7a:115c:a1e0::8c01:378"};
  EXPECT_TRUE(callback_points_at("http://Agent-Runner-01.tail4f2a9c.ts.net.:7777/push", c));
  EXPECT_TRUE(callback_points_at("http://[fd7a:115c:a1e0::8c01:378]:7777/push", c));
  EXPECT_FALSE(callback_points_at("http://agent-runner-02.tail4f2a9c.ts.net/push", c));
}

}  // namespace
}  // namespace constellation::security

#include "constellation/server/limit_log.h"

#include <gtest/gtest.h>

namespace constellation::server {
namespace {

using namespace std::chrono_literals;

class ThrottleTest : public ::testing::Test {
 protected:
  std::chrono::steady_clock::time_point now{};
  LimitHitThrottle throttle{[this] { return now; }, 1min, 4};
};

TEST_F(ThrottleTest, FirstHitIsLoggedAndRepeatsWithinTheMinuteAreCounted) {
  EXPECT_EQ(throttle.hit("body", "10.0.0.1"), 0u);
  now += 10s;
  EXPECT_EQ(throttle.hit("body", "10.0.0.1"), std::nullopt);
  now += 49s;
  EXPECT_EQ(throttle.hit("body", "10.0.0.1"), std::nullopt);
  // A minute after the logged hit: logged again, with the two left out in between.
  now += 1s;
  EXPECT_EQ(throttle.hit("body", "10.0.0.1"), 2u);
  now += 1s;
  EXPECT_EQ(throttle.hit("body", "10.0.0.1"), std::nullopt);
  now += 2min;
  EXPECT_EQ(throttle.hit("body", "10.0.0.1"), 1u);
}

TEST_F(ThrottleTest, EachPeerAndEachLimitHasItsOwnWindow) {
  EXPECT_EQ(throttle.hit("body", "10.0.0.1"), 0u);
  EXPECT_EQ(throttle.hit("body", "10.0.0.2"), 0u);
  EXPECT_EQ(throttle.hit("header-timeout", "10.0.0.1"), 0u);
  EXPECT_EQ(throttle.hit("body", "10.0.0.1"), std::nullopt);
  EXPECT_EQ(throttle.hit("header-timeout", "10.0.0.2"), 0u);
}

TEST_F(ThrottleTest, MemoryIsBoundedByDroppingExpiredPairs) {
  for (int i = 0; i < 4; ++i) EXPECT_EQ(throttle.hit("body", "p" + std::to_string(i)), 0u);
  EXPECT_EQ(throttle.size(), 4u);
  now += 1min;
  EXPECT_EQ(throttle.hit("body", "p9"), 0u);
  EXPECT_EQ(throttle.size(), 1u);
  // Pairs still inside their window are kept even beyond the bound: forgetting them
  // would let a peer log once per hit.
  for (int i = 0; i < 4; ++i) EXPECT_EQ(throttle.hit("body", "q" + std::to_string(i)), 0u);
  EXPECT_EQ(throttle.size(), 5u);
  EXPECT_EQ(throttle.hit("body", "p9"), std::nullopt);
}

TEST(LimitHitLine, SaysWhichLimitWhichPeerAndHowManyWereLeftOut) {
  EXPECT_EQ(limit_hit_line("body-size", "10.0.0.1", "body over 1048576 bytes", 0),
            "limit body-size hit by 10.0.0.1: body over 1048576 bytes");
  EXPECT_EQ(limit_hit_line("body-size", "10.0.0.1", "body over 1048576 bytes", 1),
            "limit body-size hit by 10.0.0.1: body over 1048576 bytes; 1 more hit since the "
            "last line about this peer and limit");
  EXPECT_EQ(limit_hit_line("connections", "10.0.0.1", "512 open", 7),
            "limit connections hit by 10.0.0.1: 512 open; 7 more hits since the last line "
            "about this peer and limit");
}

}  // namespace
}  // namespace constellation::server

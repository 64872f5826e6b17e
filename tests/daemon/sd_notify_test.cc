#include "constellation/daemon/sd_notify.h"

#include <gtest/gtest.h>

#include <cstddef>
#include <string>

namespace constellation::daemon {
namespace {

TEST(NotifySocket, APathIsUsedAsGivenWithItsTerminator) {
  auto a = parse_notify_socket("/run/user/1000/systemd/notify");
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_STREQ(a->addr.sun_path, "/run/user/1000/systemd/notify");
  EXPECT_EQ(a->length, offsetof(sockaddr_un, sun_path) + 30);
}

TEST(NotifySocket, AnAtSignIsTheAbstractNamespace) {
  auto a = parse_notify_socket("@/org/freedesktop/systemd1/notify/123");
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_EQ(a->addr.sun_path[0], '\0');
  EXPECT_EQ(std::string(a->addr.sun_path + 1, 36), "/org/freedesktop/systemd1/notify/123");
  // No terminator is counted: abstract names are compared byte for byte.
  EXPECT_EQ(a->length, offsetof(sockaddr_un, sun_path) + 37);
}

TEST(NotifySocket, RelativeEmptyAndOverlongValuesAreRefused) {
  EXPECT_FALSE(parse_notify_socket(""));
  EXPECT_FALSE(parse_notify_socket("run/notify"));
  EXPECT_FALSE(parse_notify_socket("/" + std::string(sizeof(sockaddr_un{}.sun_path), 'x')));
  auto e = parse_notify_socket("notify");
  ASSERT_FALSE(e);
  EXPECT_NE(e.error().message.find("NOTIFY_SOCKET=notify"), std::string::npos) << e.error().message;
}

TEST(NotifySocket, MonotonicClockMovesForward) {
  const auto a = monotonic_usec();
  const auto b = monotonic_usec();
  EXPECT_GT(a, 0u);
  EXPECT_GE(b, a);
}

}  // namespace
}  // namespace constellation::daemon

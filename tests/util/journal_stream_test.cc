#include "constellation/util/journal_stream.h"

#include <gtest/gtest.h>

namespace constellation {
namespace {

TEST(JournalStream, MatchesOnlyTheSameDeviceAndInode) {
  EXPECT_TRUE(journal_stream_matches("8:12345", 8, 12345));
  EXPECT_FALSE(journal_stream_matches("8:12345", 8, 12346));
  EXPECT_FALSE(journal_stream_matches("9:12345", 8, 12345));
}

TEST(JournalStream, MalformedValuesNeverMatch) {
  for (const char* value : {"", ":", "8:", ":12345", "8", "8:12345x", "x8:12345", "8:-1",
                            "8 :12345", "18446744073709551616:1"}) {
    EXPECT_FALSE(journal_stream_matches(value, 8, 12345)) << value;
  }
}

TEST(JournalStream, SyslogPrefixFollowsTheLevel) {
  EXPECT_STREQ(syslog_prefix(1), "<7>");  // debug
  EXPECT_STREQ(syslog_prefix(2), "<6>");  // info
  EXPECT_STREQ(syslog_prefix(3), "<4>");  // warning
  EXPECT_STREQ(syslog_prefix(4), "<3>");  // error
  EXPECT_STREQ(syslog_prefix(5), "<2>");  // critical
}

}  // namespace
}  // namespace constellation

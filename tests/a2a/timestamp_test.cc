#include "constellation/a2a/timestamp.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

namespace constellation::a2a {
namespace {

using std::chrono::April;
using std::chrono::February;
using std::chrono::hours;
using std::chrono::microseconds;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::nanoseconds;
using std::chrono::seconds;
using std::chrono::sys_days;
using std::chrono::year;

Timestamp at(std::chrono::year_month_day day, std::chrono::nanoseconds time_of_day) {
  return Timestamp{sys_days{day}} + std::chrono::duration_cast<Timestamp::duration>(time_of_day);
}

std::string parse_error(std::string_view text) {
  std::string err;
  const auto t = parse_timestamp(text, &err);
  EXPECT_FALSE(t.has_value()) << text;
  return err;
}

TEST(FormatTimestamp, EpochHasMillisecondsAndZ) {
  EXPECT_EQ(format_timestamp(Timestamp{}), "1970-01-01T00:00:00.000Z");
}

TEST(FormatTimestamp, TruncatesToMilliseconds) {
  const auto t = at(year{2026} / April / 29, hours{18} + nanoseconds{412873118});
  EXPECT_EQ(format_timestamp(t), "2026-04-29T18:00:00.412Z");
}

TEST(FormatTimestamp, BeforeEpochRoundsDown) {
  EXPECT_EQ(format_timestamp(Timestamp{} - milliseconds{1}), "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(format_timestamp(Timestamp{} - nanoseconds{1}), "1969-12-31T23:59:59.999Z");
}

TEST(FormatTimestamp, PadsEveryField) {
  const auto t =
      at(year{2024} / February / 9, hours{1} + minutes{2} + seconds{3} + milliseconds{4});
  EXPECT_EQ(format_timestamp(t), "2024-02-09T01:02:03.004Z");
}

TEST(ParseTimestamp, WholeSecondsZ) {
  std::string err;
  const auto t = parse_timestamp("2026-04-29T18:00:00Z", &err);
  ASSERT_TRUE(t.has_value()) << err;
  EXPECT_EQ(*t, at(year{2026} / April / 29, hours{18}));
}

TEST(ParseTimestamp, NineFractionDigitsTruncateToMicroseconds) {
  std::string err;
  const auto t = parse_timestamp("2026-04-29T18:00:00.412873118Z", &err);
  ASSERT_TRUE(t.has_value()) << err;
  EXPECT_EQ(*t, at(year{2026} / April / 29, hours{18} + microseconds{412873}));
}

TEST(ParseTimestamp, AnyNumberOfFractionDigits) {
  std::string err;
  EXPECT_EQ(parse_timestamp("2026-04-29T18:00:00.4Z", &err),
            at(year{2026} / April / 29, hours{18} + milliseconds{400}));
  EXPECT_EQ(parse_timestamp("2026-04-29T18:00:00.41Z", &err),
            at(year{2026} / April / 29, hours{18} + milliseconds{410}));
  EXPECT_EQ(parse_timestamp("2026-04-29T18:00:00.123456789012345Z", &err),
            at(year{2026} / April / 29, hours{18} + microseconds{123456}));
}

TEST(ParseTimestamp, LowercaseSeparatorAndZone) {
  std::string err;
  EXPECT_EQ(parse_timestamp("2026-04-29t18:00:00.5z", &err),
            at(year{2026} / April / 29, hours{18} + milliseconds{500}));
}

TEST(ParseTimestamp, OffsetsAreConvertedToUtc) {
  std::string err;
  EXPECT_EQ(parse_timestamp("2026-04-29T20:00:00+02:00", &err),
            at(year{2026} / April / 29, hours{18}));
  EXPECT_EQ(parse_timestamp("2026-04-29T12:30:00-05:30", &err),
            at(year{2026} / April / 29, hours{18}));
  EXPECT_EQ(parse_timestamp("2026-04-29T18:00:00+00:00", &err),
            at(year{2026} / April / 29, hours{18}));
  EXPECT_EQ(parse_timestamp("2026-04-29T18:00:00-00:00", &err),
            at(year{2026} / April / 29, hours{18}));
  // Crossing midnight backwards.
  EXPECT_EQ(parse_timestamp("2026-04-30T01:00:00+07:00", &err),
            at(year{2026} / April / 29, hours{18}));
}

TEST(ParseTimestamp, LeapDayOnlyInLeapYears) {
  std::string err;
  EXPECT_TRUE(parse_timestamp("2024-02-29T00:00:00Z", &err).has_value()) << err;
  EXPECT_EQ(parse_error("2023-02-29T00:00:00Z"),
            "not an RFC 3339 timestamp (\"2023-02-29T00:00:00Z\"): day out of range");
}

TEST(ParseTimestamp, LeapSecondFoldsIntoPreviousSecond) {
  std::string err;
  EXPECT_EQ(parse_timestamp("2016-12-31T23:59:60.5Z", &err),
            at(year{2016} / std::chrono::December / 31,
               hours{23} + minutes{59} + seconds{59} + milliseconds{500}));
}

TEST(ParseTimestamp, RoundTripsFormattedValues) {
  const auto t = at(year{2026} / April / 29, hours{18} + milliseconds{412});
  std::string err;
  EXPECT_EQ(parse_timestamp(format_timestamp(t), &err), t);
}

TEST(ParseTimestamp, RejectsMissingZoneLikeTheRustOriginal) {
  EXPECT_EQ(parse_error("2026-04-29T18:00:00"),
            "not an RFC 3339 timestamp (\"2026-04-29T18:00:00\"): missing zone (Z or +HH:MM)");
  EXPECT_EQ(parse_error("2026-04-29T18:00:00.123"),
            "not an RFC 3339 timestamp (\"2026-04-29T18:00:00.123\"): missing zone (Z or +HH:MM)");
}

TEST(ParseTimestamp, RejectsOutOfRangeFields) {
  EXPECT_EQ(parse_error("2026-13-01T00:00:00Z"),
            "not an RFC 3339 timestamp (\"2026-13-01T00:00:00Z\"): month out of range");
  EXPECT_EQ(parse_error("2026-00-01T00:00:00Z"),
            "not an RFC 3339 timestamp (\"2026-00-01T00:00:00Z\"): month out of range");
  EXPECT_EQ(parse_error("2026-04-31T00:00:00Z"),
            "not an RFC 3339 timestamp (\"2026-04-31T00:00:00Z\"): day out of range");
  EXPECT_EQ(parse_error("2026-04-00T00:00:00Z"),
            "not an RFC 3339 timestamp (\"2026-04-00T00:00:00Z\"): day out of range");
  EXPECT_EQ(parse_error("2026-04-29T24:00:00Z"),
            "not an RFC 3339 timestamp (\"2026-04-29T24:00:00Z\"): hour out of range");
  EXPECT_EQ(parse_error("2026-04-29T18:60:00Z"),
            "not an RFC 3339 timestamp (\"2026-04-29T18:60:00Z\"): minute out of range");
  EXPECT_EQ(parse_error("2026-04-29T18:00:61Z"),
            "not an RFC 3339 timestamp (\"2026-04-29T18:00:61Z\"): second out of range");
  EXPECT_EQ(parse_error("2026-04-29T18:00:00+24:00"),
            "not an RFC 3339 timestamp (\"2026-04-29T18:00:00+24:00\"): zone offset out of range");
  EXPECT_EQ(parse_error("2026-04-29T18:00:00+02:60"),
            "not an RFC 3339 timestamp (\"2026-04-29T18:00:00+02:60\"): zone offset out of range");
}

TEST(ParseTimestamp, RejectsYearsTimestampCannotHold) {
  // system_clock counts int64 nanoseconds: about 1678..2261.
  EXPECT_EQ(
      parse_error("9999-12-31T23:59:59Z"),
      "not an RFC 3339 timestamp (\"9999-12-31T23:59:59Z\"): year out of the supported range");
  EXPECT_EQ(
      parse_error("0000-01-01T00:00:00Z"),
      "not an RFC 3339 timestamp (\"0000-01-01T00:00:00Z\"): year out of the supported range");
  std::string err;
  EXPECT_TRUE(parse_timestamp("2200-01-01T00:00:00Z", &err).has_value()) << err;
  EXPECT_TRUE(parse_timestamp("1700-01-01T00:00:00Z", &err).has_value()) << err;
}

TEST(ParseTimestamp, RejectsMalformedText) {
  EXPECT_EQ(parse_error(""), "not an RFC 3339 timestamp (\"\"): expected a YYYY-MM-DD date");
  EXPECT_EQ(parse_error("2026-4-29T18:00:00Z"),
            "not an RFC 3339 timestamp (\"2026-4-29T18:00:00Z\"): expected a YYYY-MM-DD date");
  EXPECT_EQ(parse_error("2026-04-29"),
            "not an RFC 3339 timestamp (\"2026-04-29\"): expected 'T' after the date");
  EXPECT_EQ(parse_error("2026-04-29 18:00:00Z"),
            "not an RFC 3339 timestamp (\"2026-04-29 18:00:00Z\"): expected 'T' after the date");
  EXPECT_EQ(parse_error("2026-04-29T18:00Z"),
            "not an RFC 3339 timestamp (\"2026-04-29T18:00Z\"): expected an HH:MM:SS time");
  EXPECT_EQ(parse_error("2026-04-29T18:00:00.Z"),
            "not an RFC 3339 timestamp (\"2026-04-29T18:00:00.Z\"): expected digits after '.'");
  EXPECT_EQ(parse_error("2026-04-29T18:00:00+0200"),
            "not an RFC 3339 timestamp (\"2026-04-29T18:00:00+0200\"): expected a +HH:MM zone "
            "offset");
  EXPECT_EQ(parse_error("2026-04-29T18:00:00ZZ"),
            "not an RFC 3339 timestamp (\"2026-04-29T18:00:00ZZ\"): unexpected characters after "
            "the zone");
  EXPECT_EQ(parse_error("2026-04-29T18:00:00UTC"),
            "not an RFC 3339 timestamp (\"2026-04-29T18:00:00UTC\"): missing zone (Z or +HH:MM)");
  EXPECT_FALSE(parse_timestamp("+2026-04-29T18:00:00Z", nullptr).has_value());
  EXPECT_FALSE(parse_timestamp(std::string_view("2026-04-29T18:00:00\0Z", 21), nullptr));
}

TEST(ParseTimestamp, QuotesOnlyTheStartOfLongInput) {
  const std::string text = "2026-04-29T18:00:00" + std::string(10000, '9');
  const std::string err = parse_error(text);
  EXPECT_LT(err.size(), 200u);
  EXPECT_EQ(err, "not an RFC 3339 timestamp (\"" + text.substr(0, 64) +
                     "...\"): missing zone (Z or +HH:MM)");
}

TEST(Timestamp, IsThreadSafe) {
  std::vector<std::thread> threads;
  std::vector<int> failures(4, 0);
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([i, &failures] {
      for (int k = 0; k < 2000; ++k) {
        const auto t = at(year{2026} / April / 29, milliseconds(i * 100000 + k));
        const auto back = parse_timestamp(format_timestamp(t), nullptr);
        if (!back || *back != t) ++failures[i];
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures, std::vector<int>(4, 0));
}

}  // namespace
}  // namespace constellation::a2a

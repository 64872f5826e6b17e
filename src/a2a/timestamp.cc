#include "constellation/a2a/timestamp.h"

#include <cstdint>
#include <cstdio>

namespace constellation::a2a {
namespace {

namespace chr = std::chrono;

// Quoting the whole input would let a hostile peer put megabytes into an error message.
constexpr std::size_t kMaxQuoted = 64;

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Reads exactly `n` ASCII digits at text[*pos].
bool read_digits(std::string_view text, std::size_t* pos, int n, int* value) {
  if (text.size() - *pos < static_cast<std::size_t>(n)) return false;
  int v = 0;
  for (int i = 0; i < n; ++i) {
    const char c = text[*pos + i];
    if (!is_digit(c)) return false;
    v = v * 10 + (c - '0');
  }
  *pos += n;
  *value = v;
  return true;
}

bool read_char(std::string_view text, std::size_t* pos, char a, char b = '\0') {
  if (*pos >= text.size()) return false;
  const char c = text[*pos];
  if (c != a && (b == '\0' || c != b)) return false;
  ++*pos;
  return true;
}

}  // namespace

std::string format_timestamp(Timestamp t) {
  const auto ms = chr::floor<chr::milliseconds>(t);
  const auto day = chr::floor<chr::days>(ms);
  const chr::year_month_day ymd{day};
  const chr::hh_mm_ss hms{ms - day};
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ",
                static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()), static_cast<int>(hms.hours().count()),
                static_cast<int>(hms.minutes().count()), static_cast<int>(hms.seconds().count()),
                static_cast<int>(hms.subseconds().count()));
  return buf;
}

std::optional<Timestamp> parse_timestamp(std::string_view text, std::string* err) {
  const auto fail = [&](std::string_view why) -> std::optional<Timestamp> {
    if (err != nullptr) {
      std::string quoted(text.substr(0, kMaxQuoted));
      if (text.size() > kMaxQuoted) quoted += "...";
      *err = "not an RFC 3339 timestamp (\"" + quoted + "\"): " + std::string(why);
    }
    return std::nullopt;
  };

  std::size_t pos = 0;
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!read_digits(text, &pos, 4, &year) || !read_char(text, &pos, '-') ||
      !read_digits(text, &pos, 2, &month) || !read_char(text, &pos, '-') ||
      !read_digits(text, &pos, 2, &day)) {
    return fail("expected a YYYY-MM-DD date");
  }
  if (!read_char(text, &pos, 'T', 't')) return fail("expected 'T' after the date");
  if (!read_digits(text, &pos, 2, &hour) || !read_char(text, &pos, ':') ||
      !read_digits(text, &pos, 2, &minute) || !read_char(text, &pos, ':') ||
      !read_digits(text, &pos, 2, &second)) {
    return fail("expected an HH:MM:SS time");
  }

  std::int64_t micros = 0;
  if (read_char(text, &pos, '.')) {
    int digits = 0;
    for (; pos < text.size() && is_digit(text[pos]); ++pos, ++digits) {
      if (digits < 6) micros = micros * 10 + (text[pos] - '0');
    }
    if (digits == 0) return fail("expected digits after '.'");
    for (; digits < 6; ++digits) micros *= 10;
  }

  int offset_minutes = 0;
  if (pos >= text.size()) return fail("missing zone (Z or +HH:MM)");
  if (read_char(text, &pos, 'Z', 'z')) {
    // UTC.
  } else if (text[pos] == '+' || text[pos] == '-') {
    const int sign = text[pos] == '-' ? -1 : 1;
    ++pos;
    int off_h = 0, off_m = 0;
    if (!read_digits(text, &pos, 2, &off_h) || !read_char(text, &pos, ':') ||
        !read_digits(text, &pos, 2, &off_m)) {
      return fail("expected a +HH:MM zone offset");
    }
    if (off_h > 23 || off_m > 59) return fail("zone offset out of range");
    offset_minutes = sign * (off_h * 60 + off_m);
  } else {
    return fail("missing zone (Z or +HH:MM)");
  }
  if (pos != text.size()) return fail("unexpected characters after the zone");

  const chr::year_month_day ymd{chr::year{year}, chr::month{static_cast<unsigned>(month)},
                                chr::day{static_cast<unsigned>(day)}};
  if (!ymd.month().ok()) return fail("month out of range");
  if (!ymd.ok()) return fail("day out of range");
  if (hour > 23) return fail("hour out of range");
  if (minute > 59) return fail("minute out of range");
  // RFC 3339 allows a leap second (:60) and chrono accepts it; fold it into :59 so that
  // it still sorts before the next minute.
  if (second > 60) return fail("second out of range");
  if (second == 60) second = 59;

  // Four-digit years cannot overflow int64 microseconds, so compute there and check
  // against Timestamp's narrower (nanosecond, about 1678..2261) range afterwards.
  const std::int64_t days = chr::sys_days{ymd}.time_since_epoch().count();
  const std::int64_t seconds = days * 86400 + hour * 3600 + minute * 60 + second -
                               static_cast<std::int64_t>(offset_minutes) * 60;
  const std::int64_t total = seconds * 1'000'000 + micros;
  const auto min_us = chr::ceil<chr::microseconds>(Timestamp::min().time_since_epoch()).count();
  const auto max_us = chr::floor<chr::microseconds>(Timestamp::max().time_since_epoch()).count();
  if (total < min_us || total > max_us) return fail("year out of the supported range");
  return Timestamp{chr::duration_cast<Timestamp::duration>(chr::microseconds{total})};
}

}  // namespace constellation::a2a

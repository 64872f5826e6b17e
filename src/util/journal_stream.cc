#include "constellation/util/journal_stream.h"

#include <charconv>

namespace constellation {

namespace {
bool parse_number(std::string_view text, std::uint64_t& out) {
  if (text.empty()) return false;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size();
}
}  // namespace

bool journal_stream_matches(std::string_view value, std::uint64_t device, std::uint64_t inode) {
  const auto colon = value.find(':');
  if (colon == std::string_view::npos) return false;
  std::uint64_t dev = 0, ino = 0;
  if (!parse_number(value.substr(0, colon), dev) || !parse_number(value.substr(colon + 1), ino)) {
    return false;
  }
  return dev == device && ino == inode;
}

const char* syslog_prefix(int spdlog_level) {
  // spdlog: trace 0, debug 1, info 2, warn 3, err 4, critical 5.
  // syslog: crit 2, err 3, warning 4, notice 5, info 6, debug 7.
  switch (spdlog_level) {
    case 0:
    case 1: return "<7>";
    case 2: return "<6>";
    case 3: return "<4>";
    case 4: return "<3>";
    default: return "<2>";
  }
}

}  // namespace constellation

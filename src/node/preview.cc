#include "constellation/node/preview.h"

#include <vector>

namespace constellation::node {

namespace {

/// Length of the well-formed UTF-8 sequence at s[i], or 0 when there is none. Well-formed
/// as RFC 3629 says: no overlong forms, no surrogates, nothing above U+10FFFF.
std::size_t sequence_length(std::string_view s, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[i + k]); };
  const unsigned char c = byte(0);
  if (c < 0x80) return 1;
  std::size_t len = 0;
  unsigned char lo = 0x80, hi = 0xBF;  // the range allowed for the second byte
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    if (c == 0xE0) lo = 0xA0;  // overlong
    if (c == 0xED) hi = 0x9F;  // surrogates
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    if (c == 0xF0) lo = 0x90;  // overlong
    if (c == 0xF4) hi = 0x8F;  // above U+10FFFF
  } else {
    return 0;
  }
  if (i + len > s.size() || byte(1) < lo || byte(1) > hi) return 0;
  for (std::size_t k = 2; k < len; ++k) {
    if ((byte(k) & 0xC0) != 0x80) return 0;
  }
  return len;
}

/// Splits UTF-8 into code points (as byte strings); invalid sequences → U+FFFD.
std::vector<std::string> code_points(std::string_view s) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < s.size()) {
    const std::size_t len = sequence_length(s, i);
    if (len == 0) {
      out.emplace_back("\xEF\xBF\xBD");
      ++i;
      continue;
    }
    out.emplace_back(s.substr(i, len));
    i += len;
  }
  return out;
}

bool is_space(const std::string& cp) {
  return cp == " " || cp == "\n" || cp == "\r" || cp == "\t" || cp == "\v" || cp == "\f";
}

}  // namespace

std::string preview(std::string_view text, std::size_t max_chars) {
  std::vector<std::string> folded;
  for (auto& cp : code_points(text)) {
    if (is_space(cp)) {
      if (!folded.empty() && folded.back() != " ") folded.emplace_back(" ");
    } else if (static_cast<unsigned char>(cp[0]) < 0x20 || cp == "\x7f") {
      continue;  // other control characters would garble a terminal
    } else {
      folded.push_back(std::move(cp));
    }
  }
  if (!folded.empty() && folded.back() == " ") folded.pop_back();
  if (max_chars == 0) return {};
  std::string out;
  if (folded.size() <= max_chars) {
    for (const auto& cp : folded) out += cp;
    return out;
  }
  for (std::size_t i = 0; i + 1 < max_chars; ++i) out += folded[i];
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out + "\xE2\x80\xA6";  // …
}

}  // namespace constellation::node

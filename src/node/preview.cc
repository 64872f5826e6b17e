#include "constellation/node/preview.h"

#include <vector>

namespace constellation::node {

namespace {

/// Splits UTF-8 into code points (as byte strings); invalid sequences → U+FFFD.
std::vector<std::string> code_points(std::string_view s) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    bool valid = len > 0 && i + len <= s.size();
    for (std::size_t k = 1; valid && k < len; ++k) {
      valid = (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80;
    }
    if (!valid) {
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

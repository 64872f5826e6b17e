#pragma once
/// The one-line preview `inbox` shows for a task's text.

#include <cstddef>
#include <string>
#include <string_view>

namespace constellation::node {

inline constexpr std::size_t kPreviewChars = 80;

/// Whitespace runs (newlines and tabs included) become one space, the ends are trimmed,
/// and the result is cut to at most `max_chars` characters (code points, never a byte
/// in the middle of one), the last being "…" when something was cut. Invalid UTF-8
/// bytes become U+FFFD so the line is always valid UTF-8.
std::string preview(std::string_view text, std::size_t max_chars = kPreviewChars);

}  // namespace constellation::node

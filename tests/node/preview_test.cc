#include "constellation/node/preview.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <random>
#include <string>

namespace constellation::node {
namespace {

const std::string kEllipsis = "\xE2\x80\xA6";     // …
const std::string kReplacement = "\xEF\xBF\xBD";  // U+FFFD

std::string repeat(const std::string& s, std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += s;
  return out;
}

/// Strict check: nlohmann refuses to dump invalid UTF-8 (overlong forms and surrogates
/// included) with its default error handler.
bool is_valid_utf8(const std::string& s) {
  try {
    (void)nlohmann::json(s).dump();
    return true;
  } catch (const nlohmann::json::exception&) {
    return false;
  }
}

/// Code points in valid UTF-8 (counts the bytes that do not continue a sequence).
std::size_t code_point_count(const std::string& s) {
  std::size_t n = 0;
  for (const char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

TEST(Preview, ShortTextIsUnchanged) {
  EXPECT_EQ(preview("research Cedric the shrimp"), "research Cedric the shrimp");
  EXPECT_EQ(preview("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\xA6\x90"),
            "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\xA6\x90");
}

TEST(Preview, EmptyAndBlankBecomeEmpty) {
  EXPECT_EQ(preview(""), "");
  EXPECT_EQ(preview(" \n\t\r\v\f "), "");
}

TEST(Preview, WhitespaceRunsBecomeOneSpaceAndEndsAreTrimmed) {
  EXPECT_EQ(preview("  line one\n\n\tline two \r\n  line three\t"), "line one line two line three");
  EXPECT_EQ(preview("a\r\nb"), "a b");
  EXPECT_EQ(preview("a\vb\fc"), "a b c");
}

TEST(Preview, ControlCharactersAreDropped) {
  // An escape sequence in a task's text must not reach the terminal as one.
  EXPECT_EQ(preview("a\x1b[31mred\x07 b\x7f"
                    "c"),
            "a[31mred bc");
  EXPECT_EQ(preview("a \x01 b"), "a b");
  EXPECT_EQ(preview("\x01\x02 x"), "x");
}

TEST(Preview, ExactlyMaxCharsIsNotCut) {
  const std::string text(kPreviewChars, 'a');
  EXPECT_EQ(preview(text), text);
}

TEST(Preview, LongerTextIsCutToMaxCharsEndingInEllipsis) {
  EXPECT_EQ(preview(std::string(81, 'a')), std::string(79, 'a') + kEllipsis);
  const std::string cut = preview(std::string(1000, 'b'));
  EXPECT_EQ(cut, std::string(79, 'b') + kEllipsis);
  EXPECT_EQ(code_point_count(cut), 80u);
}

TEST(Preview, CountsWhitespaceAfterCollapsing) {
  // 80 characters once the newline runs collapse: not cut.
  const std::string text = std::string(40, 'a') + "\n\n\n\n" + std::string(39, 'b');
  EXPECT_EQ(preview(text), std::string(40, 'a') + " " + std::string(39, 'b'));
}

TEST(Preview, CutNeverSplitsAMultiByteCharacter) {
  for (const std::string cp : {"\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x98\x80"}) {
    SCOPED_TRACE(cp.size());
    const std::string cut = preview(repeat(cp, 100));
    EXPECT_EQ(cut, repeat(cp, 79) + kEllipsis);
    EXPECT_TRUE(is_valid_utf8(cut));
  }
  // Mixed widths, so the cut does not fall on a multiple of one width.
  const std::string mixed = "a" + repeat("\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80", 40);
  const std::string cut = preview(mixed);
  EXPECT_TRUE(is_valid_utf8(cut));
  EXPECT_EQ(code_point_count(cut), 80u);
  EXPECT_EQ(cut, "a" + repeat("\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80", 26) + kEllipsis);
}

TEST(Preview, NoSpaceBeforeTheEllipsis) {
  // The 79th character is a space: it is dropped rather than left dangling.
  const std::string text = std::string(78, 'a') + " bbbbbbbbbb";
  EXPECT_EQ(preview(text), std::string(78, 'a') + kEllipsis);
}

TEST(Preview, MaxCharsParameter) {
  EXPECT_EQ(preview("abcdef", 3), "ab" + kEllipsis);
  EXPECT_EQ(preview("abc", 3), "abc");
  EXPECT_EQ(preview("abcd", 1), kEllipsis);
  EXPECT_EQ(preview("a", 1), "a");
  EXPECT_EQ(preview("abc", 0), "");
  EXPECT_EQ(preview("\xE2\x82\xAC\xE2\x82\xAC\xE2\x82\xAC", 2), "\xE2\x82\xAC" + kEllipsis);
  EXPECT_EQ(preview(std::string(300, 'x'), 200), std::string(199, 'x') + kEllipsis);
}

TEST(Preview, InvalidBytesBecomeReplacementCharacters) {
  EXPECT_EQ(preview("a\xFF"
                    "b"),
            "a" + kReplacement + "b");
  EXPECT_EQ(preview("\x80"), kReplacement);
  // A sequence cut short by the end of the text, or by a byte that does not continue it.
  EXPECT_EQ(preview("ab\xE2\x82"), "ab" + kReplacement + kReplacement);
  EXPECT_EQ(preview("\xE2"
                    "x"),
            kReplacement + "x");
}

TEST(Preview, IllFormedSequencesBecomeReplacementCharacters) {
  // Well-formed in shape but forbidden by RFC 3629; passing them through would make
  // the line invalid UTF-8.
  struct Case {
    std::string in;
    std::size_t replacements;
  };
  for (const Case& c : {Case{"\xC0\xAF", 2},                 // overlong '/'
                        Case{"\xC1\xBF", 2},                 // overlong
                        Case{"\xE0\x80\xAF", 3},             // overlong '/'
                        Case{"\xED\xA0\x80", 3},             // UTF-16 surrogate D800
                        Case{"\xED\xBF\xBF", 3},             // surrogate DFFF
                        Case{"\xF0\x80\x80\xAF", 4},         // overlong
                        Case{"\xF4\x90\x80\x80", 4},         // U+110000
                        Case{"\xF5\x80\x80\x80", 4},         // lead byte above F4
                        Case{"\xF8\x88\x80\x80\x80", 5}}) {  // 5-byte form
    SCOPED_TRACE(
        nlohmann::json(c.in).dump(-1, ' ', true, nlohmann::json::error_handler_t::replace));
    const std::string out = preview("<" + c.in + ">");
    EXPECT_EQ(out, "<" + repeat(kReplacement, c.replacements) + ">");
    EXPECT_TRUE(is_valid_utf8(out));
  }
}

TEST(Preview, BoundaryCodePointsPassThrough) {
  for (const std::string cp : {"\xC2\xA0",             // U+00A0
                               "\xDF\xBF",             // U+07FF
                               "\xE0\xA0\x80",         // U+0800
                               "\xED\x9F\xBF",         // U+D7FF
                               "\xEE\x80\x80",         // U+E000
                               "\xEF\xBF\xBF",         // U+FFFF
                               "\xF0\x90\x80\x80",     // U+10000
                               "\xF4\x8F\xBF\xBF"}) {  // U+10FFFF
    SCOPED_TRACE(cp.size());
    EXPECT_EQ(preview("<" + cp + ">"), "<" + cp + ">");
  }
}

TEST(Preview, AnyBytesGiveOneValidLineOfAtMostMaxChars) {
  // Random bytes biased towards UTF-8 lead and continuation bytes and whitespace.
  std::mt19937 rng(20260429);
  const std::string alphabet = std::string("ab \n\t\r\x01\x7f") +
                               "\x80\xBF\xC0\xC2\xDF\xE0\xED\xEF"
                               "\xF0\xF4\xF5\xFF\xA0\x9F\x90\x8F";
  std::uniform_int_distribution<std::size_t> pick(0, alphabet.size() - 1);
  std::uniform_int_distribution<std::size_t> length(0, 300);
  for (int round = 0; round < 2000; ++round) {
    std::string in(length(rng), '\0');
    for (char& c : in) c = alphabet[pick(rng)];
    const std::string out = preview(in);
    ASSERT_TRUE(is_valid_utf8(out)) << "round " << round;
    ASSERT_LE(code_point_count(out), kPreviewChars) << "round " << round;
    ASSERT_EQ(out.find_first_of("\n\r\t\v\f"), std::string::npos) << "round " << round;
    ASSERT_EQ(out.find("  "), std::string::npos) << "round " << round;
    if (!out.empty()) {
      ASSERT_NE(out.front(), ' ') << "round " << round;
      ASSERT_NE(out.back(), ' ') << "round " << round;
    }
  }
}

}  // namespace
}  // namespace constellation::node

// The incremental SSE parser (a2a/sse.h) on every framing the standard allows, fed in
// one piece and byte by byte, and the writers for our own streams.

#include "constellation/a2a/sse.h"

#include <gtest/gtest.h>

namespace constellation::a2a {
namespace {

std::vector<SseEvent> parse_whole(std::string_view text) {
  SseParser parser;
  std::vector<SseEvent> out;
  std::string err;
  EXPECT_TRUE(parser.feed(text, &out, &err)) << err;
  return out;
}

/// Every split must give the same events: byte by byte is the worst case.
std::vector<SseEvent> parse_bytewise(std::string_view text) {
  SseParser parser;
  std::vector<SseEvent> out;
  std::string err;
  for (char c : text) EXPECT_TRUE(parser.feed(std::string_view(&c, 1), &out, &err)) << err;
  return out;
}

void expect_events(std::string_view text, const std::vector<SseEvent>& expected) {
  EXPECT_EQ(parse_whole(text), expected) << text;
  EXPECT_EQ(parse_bytewise(text), expected) << text;
}

TEST(SseParser, OneEventPerBlankLine) {
  expect_events("data: {\"a\":1}\n\ndata: {\"b\":2}\n\n",
                {SseEvent{"message", "{\"a\":1}"}, SseEvent{"message", "{\"b\":2}"}});
}

TEST(SseParser, CrLfAndLoneCrEndLinesToo) {
  expect_events("data: one\r\n\r\ndata: two\r\rdata: three\n\n",
                {SseEvent{"message", "one"}, SseEvent{"message", "two"},
                 SseEvent{"message", "three"}});
}

TEST(SseParser, CrLfSplitAcrossFeedsIsOneLineEnd) {
  SseParser parser;
  std::vector<SseEvent> out;
  std::string err;
  ASSERT_TRUE(parser.feed("data: x\r", &out, &err));
  ASSERT_TRUE(parser.feed("\n\r", &out, &err));
  EXPECT_EQ(out, (std::vector<SseEvent>{SseEvent{"message", "x"}}));
  ASSERT_TRUE(parser.feed("\ndata: y\r\n\r\n", &out, &err));
  EXPECT_EQ(out.size(), 2u);  // the "\r\n" after the first blank line dispatched nothing extra
}

TEST(SseParser, CommentsAreIgnored) {
  expect_events(": keep-alive\n\n:\n: another\ndata: after\n\n", {SseEvent{"message", "after"}});
}

TEST(SseParser, DataLinesJoinWithNewlines) {
  expect_events("data: {\"a\":\ndata:  1}\ndata\n\n", {SseEvent{"message", "{\"a\":\n 1}\n"}});
}

TEST(SseParser, EventNamesApplyToOneEvent) {
  expect_events("event: error\ndata: {\"error\":{}}\n\ndata: next\n\n",
                {SseEvent{"error", "{\"error\":{}}"}, SseEvent{"message", "next"}});
}

TEST(SseParser, IdRetryAndUnknownFieldsAreIgnored) {
  expect_events("id: 7\nretry: 1000\nfoo: bar\ndata:x\n\n", {SseEvent{"message", "x"}});
}

TEST(SseParser, EventWithoutDataIsDropped) {
  expect_events("event: ping\n\ndata: real\n\n", {SseEvent{"message", "real"}});
}

TEST(SseParser, UnfinishedEventIsNotDispatched) {
  expect_events("data: complete\n\ndata: cut off", {SseEvent{"message", "complete"}});
}

TEST(SseParser, LeadingByteOrderMarkIsSkipped) {
  expect_events("\xEF\xBB\xBF" "data: x\n\n", {SseEvent{"message", "x"}});
}

TEST(SseParser, OversizedEventStopsTheParser) {
  SseParser parser(16);
  std::vector<SseEvent> out;
  std::string err;
  EXPECT_TRUE(parser.feed("data: 0123456789\n", &out, &err));
  EXPECT_FALSE(parser.feed("data: 0123456789\n\n", &out, &err));
  EXPECT_EQ(err, "event larger than 16 bytes");
  EXPECT_FALSE(parser.feed("data: x\n\n", &out, &err));
  EXPECT_TRUE(out.empty());
}

TEST(SseParser, GarbageNeverCrashes) {
  // Fuzz-style: every prefix of a noisy stream, fed in odd splits.
  const std::string noise = "\r\n\r:data\n:\revent:\ndata:\xff\xfe\r\r\n\ndata: a\rb\n\n\n";
  for (std::size_t split = 1; split < noise.size(); ++split) {
    SseParser parser;
    std::vector<SseEvent> out;
    std::string err;
    for (std::size_t i = 0; i < noise.size(); i += split) {
      parser.feed(std::string_view(noise).substr(i, split), &out, &err);
    }
    EXPECT_EQ(out, parse_whole(noise)) << "split " << split;
  }
}

TEST(SseWriters, EventsAndComments) {
  EXPECT_EQ(sse_event("{\"a\":1}"), "data: {\"a\":1}\n\n");
  EXPECT_EQ(sse_event("{}", "error"), "event: error\ndata: {}\n\n");
  EXPECT_EQ(sse_comment("keep-alive"), ": keep-alive\n\n");
  // What we write reads back.
  expect_events(sse_comment("keep-alive") + sse_event("{}", "error") + sse_event("[1]"),
                {SseEvent{"error", "{}"}, SseEvent{"message", "[1]"}});
}

}  // namespace
}  // namespace constellation::a2a

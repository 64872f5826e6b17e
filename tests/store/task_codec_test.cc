#include "../../src/store/task_codec.h"

#include <stdexcept>

#include <gtest/gtest.h>

namespace constellation::store {
namespace {

using a2a::Message;
using a2a::Part;
using a2a::Role;

TEST(TaskCodec, HistoryFormatIsStable) {
  // Rows already on disk are in this format; changing it needs a migration.
  std::vector<Message> history{Message{Role::kUser, {Part{"hi"}}, "m1"},
                               Message{Role::kAgent, {Part{"a"}, Part{"b"}}, ""}};
  EXPECT_EQ(encode_history(history),
            R"([{"messageId":"m1","parts":[{"text":"hi"}],"role":"user"},)"
            R"({"messageId":"","parts":[{"text":"a"},{"text":"b"}],"role":"agent"}])");
  EXPECT_EQ(decode_history(encode_history(history)), history);
  EXPECT_EQ(encode_history({}), "[]");
  EXPECT_TRUE(decode_history("[]").empty());
}

TEST(TaskCodec, HistoryRoundTripsAnyText) {
  std::vector<Message> history{
      Message{Role::kUser, {Part{"ünïcødé, \"quotes\", \\, \n, \t, \x01, emoji 🛰"}}, "id"},
      Message{Role::kAgent, {}, ""}};
  EXPECT_EQ(decode_history(encode_history(history)), history);
}

TEST(TaskCodec, InvalidUtf8IsReplacedNotRefused) {
  std::vector<Message> history{Message{Role::kUser, {Part{"bad \xff byte"}}, ""}};
  std::vector<Message> decoded = decode_history(encode_history(history));
  ASSERT_EQ(decoded.size(), 1u);
  EXPECT_EQ(decoded[0].parts[0].text, "bad \xEF\xBF\xBD byte");
}

TEST(TaskCodec, DecodeToleratesAMissingMessageId) {
  auto history = decode_history(R"([{"role":"agent","parts":[{"text":"x"}]}])");
  ASSERT_EQ(history.size(), 1u);
  EXPECT_EQ(history[0].role, Role::kAgent);
  EXPECT_EQ(history[0].message_id, "");
}

TEST(TaskCodec, MalformedHistoryThrowsWithTheReason) {
  auto reason = [](const char* text) -> std::string {
    try {
      decode_history(text);
    } catch (const std::runtime_error& e) {
      return e.what();
    }
    return "no exception";
  };
  EXPECT_EQ(reason("not json"), "task history is not valid JSON");
  EXPECT_EQ(reason("{}"), "task history is not a JSON array");
  EXPECT_EQ(reason("[1]"), "task history[0] is not an object");
  EXPECT_EQ(reason(R"([{"parts":[]}])"), "task history[0].role is missing");
  EXPECT_EQ(reason(R"([{"role":"robot","parts":[]}])"), R"(task history[0].role is "robot")");
  EXPECT_EQ(reason(R"([{"role":"user"}])"), "task history[0].parts is not an array");
  EXPECT_EQ(reason(R"([{"role":"user","parts":[{"data":1}]}])"),
            "task history[0].parts holds a part without text");
}

TEST(TaskCodec, Strings) {
  std::vector<std::string> items{"bash", "re\"search", ""};
  EXPECT_EQ(encode_strings(items), R"(["bash","re\"search",""])");
  EXPECT_EQ(decode_strings(encode_strings(items)), items);
  EXPECT_EQ(encode_strings({}), "[]");
  EXPECT_THROW(decode_strings("[1]"), std::runtime_error);
  EXPECT_THROW(decode_strings("\"x\""), std::runtime_error);
}

TEST(TaskCodec, TimestampsSortAsText) {
  auto t1 = a2a::Timestamp{} + std::chrono::milliseconds(1'777'000'000'001);
  auto t2 = a2a::Timestamp{} + std::chrono::milliseconds(1'777'000'000'010);
  EXPECT_LT(encode_timestamp(t1), encode_timestamp(t2));
  EXPECT_EQ(decode_timestamp(encode_timestamp(t1)), t1);
  EXPECT_THROW(decode_timestamp("yesterday"), std::runtime_error);
}

TEST(TaskCodec, States) {
  EXPECT_EQ(encode_state(a2a::TaskState::kInputRequired), "input-required");
  EXPECT_EQ(decode_state("completed"), a2a::TaskState::kCompleted);
  EXPECT_EQ(decode_state("from-the-future"), a2a::TaskState::kUnknown);
}

}  // namespace
}  // namespace constellation::store

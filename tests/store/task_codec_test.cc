#include "../../src/store/task_codec.h"

#include <stdexcept>

#include <gtest/gtest.h>

namespace constellation::store {
namespace {

using a2a::Message;
using a2a::Part;
using a2a::Role;
using a2a::Artifact;
using a2a::data_part;
using a2a::file_part;
using a2a::uri_part;

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
            "task history[0].parts[0] is a part without text");
  EXPECT_EQ(reason(R"([{"role":"user","parts":[{"kind":"file","bytes":"a!"}]}])"),
            "task history[0].parts[0].bytes: not valid base64: unexpected character at offset 1");
  EXPECT_EQ(reason(R"([{"role":"user","parts":[{"kind":"video"}]}])"),
            "task history[0].parts[0] has unknown kind \"video\"");
}

// Rows written before files existed ({"text"} parts only) read as they always did, and
// file and data parts survive a round trip byte for byte (NUL and high bytes included).
TEST(TaskCodec, FileAndDataPartsRoundTripAndOldRowsStillRead) {
  const std::string old_row = R"([{"role":"user","messageId":"m1","parts":[{"text":"hi"}]}])";
  EXPECT_EQ(decode_history(old_row), (std::vector<Message>{Message{Role::kUser, {Part{"hi"}}, "m1"}}));

  const std::string bytes("\0\x01\xff\xfe binary\n\0", 13);
  Message m{Role::kUser, {Part{"see attached"}, file_part("r.bin", "application/octet-stream", bytes),
                          uri_part("https://h/x.png", "x.png", "image/png"),
                          data_part(R"({"ticket":"REQ1","n":[1,2]})"), data_part("42")},
            "m2"};
  const std::string text = encode_history({m});
  EXPECT_EQ(text,
            R"([{"messageId":"m2","parts":[{"text":"see attached"},)"
            R"({"bytes":"AAH//iBiaW5hcnkKAA==","kind":"file","mediaType":"application/octet-stream","name":"r.bin"},)"
            R"({"kind":"file","mediaType":"image/png","name":"x.png","uri":"https://h/x.png"},)"
            R"({"data":{"n":[1,2],"ticket":"REQ1"},"kind":"data"},{"data":42,"kind":"data"}],"role":"user"}])");
  auto back = decode_history(text);
  ASSERT_EQ(back.size(), 1u);
  EXPECT_EQ(back[0].parts[1].bytes, bytes);
  // Data comes back as compact JSON (object keys sorted, as nlohmann writes them).
  EXPECT_EQ(back[0].parts[3].data, R"({"n":[1,2],"ticket":"REQ1"})");
  m.parts[3].data = R"({"n":[1,2],"ticket":"REQ1"})";
  EXPECT_EQ(back[0], m);

  // saved_path is local: never stored.
  Message saved = m;
  saved.parts[1].saved_path = "/tmp/x";
  EXPECT_EQ(encode_history({saved}), text);

  std::vector<Artifact> artifacts{Artifact{"a1", "answer", {file_part("", "", "")}}};
  EXPECT_EQ(decode_artifacts(encode_artifacts(artifacts)), artifacts);
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

#include "constellation/a2a/task.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace constellation::a2a {
namespace {

const std::vector<TaskState> kAllStates = {
    TaskState::kSubmitted, TaskState::kWorking,      TaskState::kInputRequired,
    TaskState::kCompleted, TaskState::kCanceled,     TaskState::kFailed,
    TaskState::kRejected,  TaskState::kAuthRequired, TaskState::kUnknown,
};

TEST(TaskState, TerminalStatesAreExactlyTheFourFinalOnes) {
  EXPECT_TRUE(is_terminal(TaskState::kCompleted));
  EXPECT_TRUE(is_terminal(TaskState::kCanceled));
  EXPECT_TRUE(is_terminal(TaskState::kFailed));
  EXPECT_TRUE(is_terminal(TaskState::kRejected));
  EXPECT_FALSE(is_terminal(TaskState::kSubmitted));
  EXPECT_FALSE(is_terminal(TaskState::kWorking));
  EXPECT_FALSE(is_terminal(TaskState::kInputRequired));
  EXPECT_FALSE(is_terminal(TaskState::kAuthRequired));
  EXPECT_FALSE(is_terminal(TaskState::kUnknown));
}

TEST(TaskState, NamesAreKebabCase) {
  EXPECT_STREQ(state_name(TaskState::kSubmitted), "submitted");
  EXPECT_STREQ(state_name(TaskState::kWorking), "working");
  EXPECT_STREQ(state_name(TaskState::kInputRequired), "input-required");
  EXPECT_STREQ(state_name(TaskState::kCompleted), "completed");
  EXPECT_STREQ(state_name(TaskState::kCanceled), "canceled");
  EXPECT_STREQ(state_name(TaskState::kFailed), "failed");
  EXPECT_STREQ(state_name(TaskState::kRejected), "rejected");
  EXPECT_STREQ(state_name(TaskState::kAuthRequired), "auth-required");
  EXPECT_STREQ(state_name(TaskState::kUnknown), "unknown");
}

TEST(TaskState, NameRoundTripsForEveryState) {
  for (const TaskState state : kAllStates) {
    EXPECT_EQ(state_from_name(state_name(state)), state) << state_name(state);
  }
}

TEST(TaskState, UnknownNamesAreRefused) {
  EXPECT_EQ(state_from_name("Completed"), std::nullopt);
  EXPECT_EQ(state_from_name("input_required"), std::nullopt);
  EXPECT_EQ(state_from_name("TASK_STATE_COMPLETED"), std::nullopt);
  EXPECT_EQ(state_from_name(""), std::nullopt);
  EXPECT_EQ(state_from_name("cancelled"), std::nullopt);
}

TEST(Role, Names) {
  EXPECT_STREQ(role_name(Role::kUser), "user");
  EXPECT_STREQ(role_name(Role::kAgent), "agent");
}

TEST(Message, TextConcatenatesPartsWithoutSeparator) {
  Message m;
  m.parts = {Part{"Cedric "}, Part{""}, Part{"is a shrimp."}};
  EXPECT_EQ(message_text(m), "Cedric is a shrimp.");
  EXPECT_EQ(message_text(Message{}), "");
}

TEST(Message, TextMessageHasOnePart) {
  const Message m = text_message(Role::kAgent, "hello");
  EXPECT_EQ(m.role, Role::kAgent);
  ASSERT_EQ(m.parts.size(), 1u);
  EXPECT_EQ(m.parts[0].text, "hello");
  EXPECT_TRUE(m.message_id.empty());
  EXPECT_NE(m, text_message(Role::kUser, "hello"));
}

TEST(AnswerText, LegacyAnswerIsTheLastAgentMessage) {
  Task t;
  EXPECT_EQ(answer_text(t), std::nullopt);
  t.history = {text_message(Role::kUser, "q"), text_message(Role::kAgent, "first"),
               text_message(Role::kAgent, "last"), text_message(Role::kUser, "thanks")};
  EXPECT_EQ(answer_text(t), "last");
}

TEST(AnswerText, ArtifactsThenStatusMessageEachOnItsOwnLine) {
  Task t;
  t.history = {text_message(Role::kUser, "q"), text_message(Role::kAgent, "ignored")};
  t.artifacts = {Artifact{"a1", "", {Part{"one "}, Part{"two"}}}, Artifact{"a2", "", {Part{"three\n"}}}};
  EXPECT_EQ(answer_text(t), "one two\nthree\n");
  t.status_message = text_message(Role::kAgent, "done");
  EXPECT_EQ(answer_text(t), "one two\nthree\ndone");
  t.artifacts.clear();
  EXPECT_EQ(answer_text(t), "done");
}

TEST(Message, TextSkipsFileAndDataParts) {
  Message m;
  m.parts = {Part{"a"}, file_part("f", "", "bytes"), data_part("1"), Part{"b"}};
  EXPECT_EQ(message_text(m), "ab");
  EXPECT_TRUE(has_non_text(m.parts));
  EXPECT_FALSE(has_non_text({Part{"x"}}));
  EXPECT_EQ(inline_file_bytes({file_part("f", "", "12345"), uri_part("u", "", ""),
                               file_part("g", "", "123")}),
            8u);
}

// The attachments of an answer come from where its text does: artifacts and status
// message, else the last agent message.
TEST(AnswerAttachments, FollowAnswerText) {
  Task t;
  t.history = {Message{Role::kUser, {Part{"q"}, file_part("in", "", "x")}, "m1"},
               Message{Role::kAgent, {Part{"old"}, file_part("old", "", "y")}, "m2"},
               Message{Role::kAgent, {Part{"new"}, data_part("2")}, "m3"}};
  EXPECT_EQ(answer_attachments(t), std::vector<Part>{data_part("2")});
  EXPECT_EQ(answer_text(t), "new");

  t.artifacts = {Artifact{"a1", "answer", {file_part("out.bin", "", "z")}}};
  t.status_message = Message{Role::kAgent, {Part{"done"}, uri_part("https://h/u", "", "")}, "s"};
  EXPECT_EQ(answer_attachments(t),
            (std::vector<Part>{file_part("out.bin", "", "z"), uri_part("https://h/u", "", "")}));
  // An artifact of files only adds no line to the text.
  EXPECT_EQ(answer_text(t), "done");
  t.status_message.reset();
  EXPECT_EQ(answer_text(t), "");
}

TEST(Uuid, FreshAndWellFormed) {
  const std::string a = new_uuid(), b = new_uuid();
  EXPECT_NE(a, b);
  ASSERT_EQ(a.size(), 36u);
  EXPECT_EQ(a[8], '-');
  EXPECT_EQ(a[14], '4') << "version 4";
}

}  // namespace
}  // namespace constellation::a2a

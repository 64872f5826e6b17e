// Stream events (a2a/stream_events.h): the SDK's captured streams decode and apply to
// the task they describe; what our server would send for each stored change; and our
// encoding reads back.

#include "constellation/a2a/stream_events.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "constellation/a2a/jsonrpc.h"

namespace constellation::a2a {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

const fs::path kFixtures = fs::path(CONSTELLATION_TEST_DATA) / "a2a-js-wire";

/// The `result` of every SSE event of a captured stream, in order.
std::vector<json> captured_events(const std::string& file) {
  std::ifstream in(kFixtures / file);
  std::stringstream text;
  text << in.rdbuf();
  const json j = json::parse(text.str());
  std::vector<json> out;
  for (const auto& event : j.at("response").at("body")) out.push_back(event.at("data").at("result"));
  EXPECT_FALSE(out.empty()) << file;
  return out;
}

/// Decodes and applies a whole captured stream; returns the task it leaves.
Task replay(Dialect dialect, const std::string& file, std::vector<StreamEvent::Kind>* kinds) {
  Task task;
  for (const json& result : captured_events(file)) {
    std::string err;
    auto event = stream_event_from_json(dialect, result, &err);
    EXPECT_TRUE(event) << file << ": " << err << "\n" << result;
    if (!event) continue;
    kinds->push_back(event->kind);
    apply_stream_event(&task, *event);
  }
  return task;
}

using Kind = StreamEvent::Kind;

TEST(StreamEventsFixtures, V03MessageStream) {
  std::vector<Kind> kinds;
  Task task = replay(Dialect::kV03, "v03-stream.01.message_stream.json", &kinds);
  EXPECT_EQ(kinds, (std::vector<Kind>{Kind::kTask, Kind::kStatusUpdate, Kind::kArtifactUpdate,
                                      Kind::kStatusUpdate}));
  EXPECT_EQ(task.id, "38da3901-824f-4d08-9bcb-2147cab12a74");
  EXPECT_EQ(task.state, TaskState::kCompleted);
  ASSERT_EQ(task.artifacts.size(), 1u);
  EXPECT_EQ(task.artifacts[0].parts, (std::vector<Part>{Part{"stream from v03"}}));
  ASSERT_TRUE(task.status_message);
  EXPECT_EQ(message_text(*task.status_message), "stream from v03");
  EXPECT_EQ(task.history.size(), 1u);  // kept from the first event
}

TEST(StreamEventsFixtures, V03FinalFlagIsRead) {
  const auto events = captured_events("v03-subscribe.01.tasks_resubscribe.json");
  std::string err;
  auto last = stream_event_from_json(Dialect::kV03, events.back(), &err);
  ASSERT_TRUE(last) << err;
  EXPECT_TRUE(last->final);
  EXPECT_EQ(last->task.state, TaskState::kCanceled);
}

TEST(StreamEventsFixtures, V10StreamAndSubscribe) {
  std::vector<Kind> kinds;
  Task task = replay(Dialect::kV10, "v1-stream.01.SendStreamingMessage.json", &kinds);
  EXPECT_EQ(kinds, (std::vector<Kind>{Kind::kTask, Kind::kStatusUpdate, Kind::kArtifactUpdate,
                                      Kind::kStatusUpdate}));
  EXPECT_EQ(task.state, TaskState::kCompleted);
  EXPECT_EQ(answer_text(task), "stream from v1\nstream from v1");
  kinds.clear();
  Task canceled = replay(Dialect::kV10, "v1-subscribe.01.SubscribeToTask.json", &kinds);
  EXPECT_EQ(canceled.state, TaskState::kCanceled);
}

TEST(StreamEvents, UnknownShapesAreRefusedWithAPath) {
  std::string err;
  EXPECT_FALSE(stream_event_from_json(Dialect::kV10, json{{"nothing", 1}}, &err));
  EXPECT_EQ(err, "result: expected one of task, message, statusUpdate, artifactUpdate");
  EXPECT_FALSE(stream_event_from_json(Dialect::kV03, json{{"kind", "bogus"}}, &err));
  EXPECT_EQ(err,
            "result.kind: expected \"task\", \"message\", \"status-update\" or "
            "\"artifact-update\", got \"bogus\"");
  EXPECT_FALSE(stream_event_from_json(
      Dialect::kV10, json{{"statusUpdate", {{"taskId", "t"}, {"status", {{"state", "NOPE"}}}}}},
      &err));
  EXPECT_TRUE(err.starts_with("result.statusUpdate: ")) << err;
  EXPECT_FALSE(stream_event_from_json(Dialect::kV03, json::array(), &err));
}

// ---- what our server sends for stored changes ---------------------------------------

Task submitted() {
  Task t;
  t.id = "t-1";
  t.context_id = "c-1";
  t.state = TaskState::kSubmitted;
  Message m = text_message(Role::kUser, "question");
  m.message_id = "m-1";
  t.history.push_back(m);
  return t;
}

TEST(TaskEvents, FirstEventIsTheTask) {
  const Task t = submitted();
  auto events = task_events(nullptr, t);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].kind, Kind::kTask);
  EXPECT_EQ(events[0].task.id, "t-1");
}

TEST(TaskEvents, NothingNewNoEvents) {
  const Task t = submitted();
  EXPECT_TRUE(task_events(&t, t).empty());
}

TEST(TaskEvents, AnswerIsArtifactThenFinalStatus) {
  const Task before = submitted();
  Task after = before;
  after.artifacts.push_back(Artifact{"a-1", "answer", {Part{"yes"}}});
  after.history.push_back(text_message(Role::kAgent, "yes"));
  after.state = TaskState::kCompleted;
  auto events = task_events(&before, after);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].kind, Kind::kArtifactUpdate);
  EXPECT_EQ(events[0].artifact.artifact_id, "a-1");
  EXPECT_EQ(events[1].kind, Kind::kStatusUpdate);
  EXPECT_TRUE(events[1].final);
  EXPECT_TRUE(events[1].task.history.empty());

  EXPECT_EQ(stream_event_to_json(Dialect::kV03, events[1]),
            json::parse(R"({"kind":"status-update","taskId":"t-1","contextId":"c-1",
                            "status":{"state":"completed"},"final":true})"));
  EXPECT_EQ(stream_event_to_json(Dialect::kV10, events[1]),
            json::parse(R"({"statusUpdate":{"taskId":"t-1","contextId":"c-1",
                            "status":{"state":"TASK_STATE_COMPLETED"}}})"));
  EXPECT_EQ(stream_event_to_json(Dialect::kV03, events[0]),
            json::parse(R"({"kind":"artifact-update","taskId":"t-1","contextId":"c-1",
                            "artifact":{"artifactId":"a-1","name":"answer",
                                        "parts":[{"kind":"text","text":"yes"}]},
                            "append":false,"lastChunk":true})"));
  EXPECT_EQ(stream_event_to_json(Dialect::kV10, events[0]),
            json::parse(R"({"artifactUpdate":{"taskId":"t-1","contextId":"c-1",
                            "artifact":{"artifactId":"a-1","name":"answer","parts":[{"text":"yes"}]},
                            "lastChunk":true}})"));
}

TEST(TaskEvents, QuestionIsAStatusWithItsMessageAndEndsTheStream) {
  const Task before = submitted();
  Task after = before;
  Message asked = text_message(Role::kAgent, "which one?");
  asked.message_id = "m-2";
  after.history.push_back(asked);
  after.status_message = asked;
  after.state = TaskState::kInputRequired;
  auto events = task_events(&before, after);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].kind, Kind::kStatusUpdate);
  EXPECT_TRUE(events[0].final);
  EXPECT_TRUE(ends_stream(after.state));
  const json v03 = stream_event_to_json(Dialect::kV03, events[0]);
  EXPECT_EQ(v03["status"]["state"], "input-required");
  EXPECT_EQ(v03["status"]["message"]["parts"][0]["text"], "which one?");
}

TEST(TaskEvents, WorkingIsNotFinal) {
  const Task before = submitted();
  Task after = before;
  after.state = TaskState::kWorking;
  auto events = task_events(&before, after);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_FALSE(events[0].final);
  EXPECT_FALSE(ends_stream(after.state));
  EXPECT_EQ(stream_event_to_json(Dialect::kV03, events[0])["final"], false);
}

TEST(TaskEvents, AFurtherTurnResendsTheTask) {
  const Task before = submitted();
  Task after = before;
  after.history.push_back(text_message(Role::kUser, "more"));
  auto events = task_events(&before, after);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].kind, Kind::kTask);
  EXPECT_EQ(events[0].task.history.size(), 2u);
}

TEST(TaskEvents, OurEncodingReadsBackAndAppliesToTheSameTask) {
  for (Dialect d : {Dialect::kV03, Dialect::kV10}) {
    SCOPED_TRACE(dialect_name(d));
    const Task before = submitted();
    Task after = before;
    after.artifacts.push_back(Artifact{"a-1", "answer", {Part{"yes"}}});
    after.state = TaskState::kCompleted;
    after.updated_at = *parse_timestamp("2026-05-01T10:00:03.000Z", nullptr);
    Task client;
    for (const auto& ev : task_events(nullptr, before)) {
      std::string err;
      auto back = stream_event_from_json(d, stream_event_to_json(d, ev), &err);
      ASSERT_TRUE(back) << err;
      apply_stream_event(&client, *back);
    }
    for (const auto& ev : task_events(&before, after)) {
      std::string err;
      auto back = stream_event_from_json(d, stream_event_to_json(d, ev), &err);
      ASSERT_TRUE(back) << err;
      apply_stream_event(&client, *back);
    }
    EXPECT_EQ(client.state, TaskState::kCompleted);
    EXPECT_EQ(client.artifacts, after.artifacts);
    EXPECT_EQ(client.updated_at, after.updated_at);
    EXPECT_EQ(client.history.size(), 1u);
  }
}

TEST(ApplyStreamEvent, AppendExtendsAnArtifact) {
  Task t = submitted();
  StreamEvent first;
  first.kind = Kind::kArtifactUpdate;
  first.artifact = Artifact{"a", "", {Part{"one "}}};
  apply_stream_event(&t, first);
  StreamEvent more = first;
  more.artifact.parts = {Part{"two"}};
  more.append = true;
  apply_stream_event(&t, more);
  ASSERT_EQ(t.artifacts.size(), 1u);
  EXPECT_EQ(t.artifacts[0].parts, (std::vector<Part>{Part{"one "}, Part{"two"}}));
  more.append = false;
  apply_stream_event(&t, more);
  EXPECT_EQ(t.artifacts[0].parts, (std::vector<Part>{Part{"two"}}));
}

}  // namespace
}  // namespace constellation::a2a

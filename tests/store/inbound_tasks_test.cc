#include "constellation/store/inbound_tasks.h"

#include "store/record_expectations.h"
#include "store/store_fixture.h"

namespace constellation::store {
namespace {

using a2a::TaskState;
using test_support::at_ms;
using test_support::expect_same;

class InboundTasksTest : public test_support::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    db_ = open_store();
    ASSERT_TRUE(db_);
    tasks_ = std::make_unique<InboundTasks>(*db_);
  }

  void insert(const InboundTask& task) {
    auto inserted = tasks_->insert_if_absent(task);
    ASSERT_TRUE(inserted.ok()) << inserted.error().message;
    EXPECT_TRUE(*inserted);
  }

  std::optional<InboundTask> get(const std::string& id) {
    auto found = tasks_->get(id);
    EXPECT_TRUE(found.ok()) << found.error().message;
    return found.ok() ? *found : std::nullopt;
  }

  std::vector<std::string> open_ids() {
    auto open = tasks_->list_open();
    EXPECT_TRUE(open.ok()) << open.error().message;
    std::vector<std::string> ids;
    if (open.ok())
      for (const InboundTask& in : *open) ids.push_back(in.task.id);
    return ids;
  }

  std::unique_ptr<Database> db_;
  std::unique_ptr<InboundTasks> tasks_;
};

InboundTask inbound(const std::string& id, TaskState state = TaskState::kSubmitted,
                    a2a::Timestamp received = at_ms(0)) {
  InboundTask in;
  in.task.id = id;
  in.task.context_id = "ctx-" + id;
  in.task.state = state;
  in.task.updated_at = received;
  in.task.history = {
      a2a::Message{a2a::Role::kUser, {a2a::Part{"What is "}, a2a::Part{"2+2?"}}, "msg-" + id}};
  in.dialect = "legacy";
  in.from_name = "alpha";
  in.from_url = "http://127.0.0.3:7777";
  in.received_at = received;
  return in;
}


TEST_F(InboundTasksTest, InsertIfAbsentStoresEveryField) {
  InboundTask in = inbound("t1", TaskState::kWorking, at_ms(123));
  in.task.history.push_back(a2a::Message{a2a::Role::kAgent, {a2a::Part{"ünïcødé \"q\"\n"}}, ""});
  insert(in);
  auto found = get("t1");
  ASSERT_TRUE(found);
  expect_same(*found, in);
}

TEST_F(InboundTasksTest, ResentTaskChangesNothing) {
  insert(inbound("t1"));
  InboundTask again = inbound("t1", TaskState::kWorking, at_ms(999));
  again.task.history[0].parts[0].text = "changed";
  auto inserted = tasks_->insert_if_absent(again);
  ASSERT_TRUE(inserted.ok()) << inserted.error().message;
  EXPECT_FALSE(*inserted);
  auto found = get("t1");
  ASSERT_TRUE(found);
  expect_same(*found, inbound("t1"));
}

TEST_F(InboundTasksTest, GetUnknownIsNotFound) { EXPECT_FALSE(get("nope")); }

TEST_F(InboundTasksTest, ListOpenIsSubmittedAndWorkingInInsertionOrder) {
  // received_at runs backwards to show that order is insertion order, not the clock.
  insert(inbound("c", TaskState::kSubmitted, at_ms(300)));
  insert(inbound("done", TaskState::kCompleted, at_ms(250)));
  insert(inbound("a", TaskState::kWorking, at_ms(200)));
  insert(inbound("input", TaskState::kInputRequired, at_ms(150)));
  insert(inbound("b", TaskState::kSubmitted, at_ms(100)));
  insert(inbound("gone", TaskState::kCanceled, at_ms(50)));
  EXPECT_EQ(open_ids(), (std::vector<std::string>{"c", "a", "b"}));

  ASSERT_TRUE(tasks_->respond("a", "done", false, at_ms(400)).ok());
  insert(inbound("d", TaskState::kSubmitted, at_ms(0)));
  EXPECT_EQ(open_ids(), (std::vector<std::string>{"c", "b", "d"}));
}

TEST_F(InboundTasksTest, ListOpenEmpty) { EXPECT_TRUE(open_ids().empty()); }

TEST_F(InboundTasksTest, RespondAppendsTheAnswerAndCompletes) {
  InboundTask in = inbound("t1", TaskState::kWorking);
  insert(in);
  auto answered = tasks_->respond("t1", "4", false, at_ms(5000));
  ASSERT_TRUE(answered.ok()) << answered.error().message;

  // The answer gets fresh ids; take them from the result, check everything else.
  ASSERT_EQ(answered->task.history.size(), 2u);
  ASSERT_EQ(answered->task.artifacts.size(), 1u);
  const std::string message_id = answered->task.history[1].message_id;
  const std::string artifact_id = answered->task.artifacts[0].artifact_id;
  EXPECT_EQ(message_id.size(), 36u) << "a uuid";
  EXPECT_EQ(artifact_id.size(), 36u) << "a uuid";
  InboundTask expected = in;
  expected.task.state = TaskState::kCompleted;
  expected.task.updated_at = at_ms(5000);
  expected.task.history.push_back(a2a::Message{a2a::Role::kAgent, {a2a::Part{"4"}}, message_id});
  // v0.3/v1.0 read a result from the artifacts; the legacy dialect from the history.
  expected.task.artifacts.push_back(a2a::Artifact{artifact_id, "answer", {a2a::Part{"4"}}});
  expect_same(*answered, expected);
  auto stored = get("t1");
  ASSERT_TRUE(stored);
  expect_same(*stored, expected);
}

TEST_F(InboundTasksTest, RespondFailed) {
  insert(inbound("t1"));
  auto answered = tasks_->respond("t1", "cannot do that", true, at_ms(7));
  ASSERT_TRUE(answered.ok()) << answered.error().message;
  EXPECT_EQ(answered->task.state, TaskState::kFailed);
  ASSERT_EQ(answered->task.history.size(), 2u);
  EXPECT_EQ(a2a::message_text(answered->task.history[1]), "cannot do that");
  // A failure is said with the state, not delivered as a result.
  EXPECT_TRUE(answered->task.artifacts.empty());
  ASSERT_TRUE(answered->task.status_message);
  EXPECT_EQ(*answered->task.status_message, answered->task.history[1]);
  EXPECT_EQ(get("t1")->task.state, TaskState::kFailed);
  EXPECT_EQ(get("t1")->task.status_message, answered->task.status_message);
}

TEST_F(InboundTasksTest, RespondToUnknownTask) {
  auto answered = tasks_->respond("nope", "x", false, at_ms(0));
  ASSERT_FALSE(answered.ok());
  EXPECT_EQ(answered.error().kind, ErrorKind::kUnknownTask);
  EXPECT_EQ(answered.error().message,
            "no inbound task nope; run 'constellation inbox' to see open tasks");
}

TEST_F(InboundTasksTest, RespondToAFinishedTaskChangesNothing) {
  insert(inbound("answered"));
  ASSERT_TRUE(tasks_->respond("answered", "first", false, at_ms(10)).ok());
  insert(inbound("failed"));
  ASSERT_TRUE(tasks_->respond("failed", "first", true, at_ms(10)).ok());
  insert(inbound("canceled", TaskState::kCanceled));

  for (const auto& [id, state] : std::vector<std::pair<std::string, std::string>>{
           {"answered", "completed"}, {"failed", "failed"}, {"canceled", "canceled"}}) {
    InboundTask before = *get(id);
    auto again = tasks_->respond(id, "second", false, at_ms(20));
    ASSERT_FALSE(again.ok()) << id;
    EXPECT_EQ(again.error().kind, ErrorKind::kTaskNotOpen);
    EXPECT_EQ(again.error().message, "task " + id + " is already " + state + "; nothing changed");
    expect_same(*get(id), before);
  }
}

TEST_F(InboundTasksTest, InputRequiredCanBeAnswered) {
  insert(inbound("t1", TaskState::kInputRequired));
  auto answered = tasks_->respond("t1", "more", false, at_ms(1));
  ASSERT_TRUE(answered.ok()) << answered.error().message;
  EXPECT_EQ(answered->task.state, TaskState::kCompleted);
}

TEST_F(InboundTasksTest, AskPutsTheTaskInInputRequiredWithTheQuestion) {
  insert(inbound("t1"));
  auto asked = tasks_->ask("t1", "which branch?", at_ms(20));
  ASSERT_TRUE(asked) << asked.error().message;
  EXPECT_EQ(asked->task.state, TaskState::kInputRequired);
  ASSERT_TRUE(asked->task.status_message);
  EXPECT_EQ(a2a::message_text(*asked->task.status_message), "which branch?");
  EXPECT_EQ(asked->task.history.back(), *asked->task.status_message);
  EXPECT_TRUE(open_ids().empty()) << "waiting for the sender, not for us";
  ASSERT_TRUE(tasks_->respond("t1", "done", false, at_ms(30)));
  EXPECT_EQ(tasks_->ask("t1", "again?", at_ms(40)).error().kind, ErrorKind::kTaskNotOpen);
}

TEST_F(InboundTasksTest, ModifyWritesTheChangeOrNothing) {
  insert(inbound("t1"));
  auto changed = tasks_->modify("t1", [](InboundTask& in) -> std::optional<Error> {
    in.task.state = TaskState::kCanceled;
    in.task.updated_at = at_ms(9);
    in.task.status_message = a2a::text_message(a2a::Role::kAgent, "stopped");
    return std::nullopt;
  });
  ASSERT_TRUE(changed) << changed.error().message;
  EXPECT_EQ(get("t1")->task.state, TaskState::kCanceled);
  EXPECT_EQ(get("t1")->task.status_message, a2a::text_message(a2a::Role::kAgent, "stopped"));

  auto refused = tasks_->modify("t1", [](InboundTask& in) -> std::optional<Error> {
    in.task.state = TaskState::kCompleted;
    return Error{ErrorKind::kTaskNotOpen, "no"};
  });
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().message, "no");
  EXPECT_EQ(get("t1")->task.state, TaskState::kCanceled) << "a refusal writes nothing";

  auto missing = tasks_->modify("nope", [](InboundTask&) -> std::optional<Error> { return std::nullopt; });
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().kind, ErrorKind::kUnknownTask);
}

TEST_F(InboundTasksTest, QueryIsNewestFirstFilteredAndPagedWithoutGapsOrRepeats) {
  // Five tasks; two share a timestamp, so the insertion order must break the tie.
  insert(inbound("a", TaskState::kSubmitted, at_ms(100)));
  insert(inbound("b", TaskState::kCompleted, at_ms(300)));
  insert(inbound("c", TaskState::kSubmitted, at_ms(300)));
  insert(inbound("d", TaskState::kWorking, at_ms(200)));
  InboundTask e = inbound("e", TaskState::kSubmitted, at_ms(400));
  e.task.context_id = "ctx-a";
  insert(e);

  std::vector<std::string> seen;
  InboundQuery q;
  q.limit = 2;
  for (int page = 0; page < 5; ++page) {
    auto got = tasks_->query(q);
    ASSERT_TRUE(got) << got.error().message;
    EXPECT_EQ(got->total, 5);
    for (const auto& t : got->tasks) seen.push_back(t.task.id);
    if (got->next_after.empty()) break;
    q.after = got->next_after;
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"e", "c", "b", "d", "a"}));

  InboundQuery filtered;
  filtered.context_id = "ctx-a";
  auto by_context = tasks_->query(filtered);
  ASSERT_TRUE(by_context);
  ASSERT_EQ(by_context->tasks.size(), 2u);
  EXPECT_EQ(by_context->tasks[0].task.id, "e");
  EXPECT_EQ(by_context->tasks[1].task.id, "a");
  EXPECT_EQ(by_context->total, 2);

  InboundQuery since;
  since.state = TaskState::kSubmitted;
  since.updated_at_or_after = at_ms(300);
  auto recent = tasks_->query(since);
  ASSERT_TRUE(recent);
  ASSERT_EQ(recent->tasks.size(), 2u) << "e and c: submitted, at or after 300 ms";
  EXPECT_EQ(recent->tasks[1].task.id, "c");
  EXPECT_TRUE(recent->next_after.empty());
}

TEST_F(InboundTasksTest, QueryRefusesACursorItDidNotMake) {
  for (const char* bad : {"x", "/1", "2026-01-01T00:00:00.000Z/", "2026-01-01T00:00:00.000Z/1a",
                          "yesterday/3", "2026-01-01T00:00:00.000Z/99999999999999999999"}) {
    InboundQuery q;
    q.after = bad;
    auto got = tasks_->query(q);
    ASSERT_FALSE(got) << bad;
    EXPECT_EQ(got.error().kind, ErrorKind::kUsage) << bad;
  }
}

TEST_F(InboundTasksTest, InsertWithinCountsTheOpenTasksOfTheCallersAddress) {
  const auto from = [](const std::string& id, const std::string& address,
                       TaskState state = TaskState::kSubmitted) {
    InboundTask in = inbound(id, state);
    in.caller.address = address;
    return in;
  };
  auto admit = [&](const InboundTask& in) {
    auto admitted = tasks_->insert_within(in, 2);
    EXPECT_TRUE(admitted.ok()) << admitted.error().message;
    return admitted.ok() ? *admitted : Admission::kExists;
  };
  // Finished tasks and other callers' do not count; submitted and working do.
  insert(from("t-done", "10.0.0.1", TaskState::kCompleted));
  insert(from("t-other", "10.0.0.2"));
  EXPECT_EQ(admit(from("t1", "10.0.0.1")), Admission::kInserted);
  EXPECT_EQ(admit(from("t2", "10.0.0.1", TaskState::kWorking)), Admission::kInserted);
  EXPECT_EQ(admit(from("t3", "10.0.0.1")), Admission::kFull);
  EXPECT_FALSE(get("t3")) << "a refused task is not written";
  // A known id is reported as such, full or not: re-sending changes nothing.
  EXPECT_EQ(admit(from("t1", "10.0.0.1")), Admission::kExists);
  EXPECT_EQ(admit(from("t4", "10.0.0.2")), Admission::kInserted);
  // Tasks with no address (not over TCP) are not counted.
  EXPECT_EQ(admit(from("t5", "")), Admission::kInserted);
  EXPECT_EQ(admit(from("t6", "")), Admission::kInserted);
  EXPECT_EQ(admit(from("t7", "")), Admission::kInserted);
  // An answer makes room.
  ASSERT_TRUE(tasks_->respond("t1", "4", false, {}).ok());
  EXPECT_EQ(admit(from("t3", "10.0.0.1")), Admission::kInserted);
}

}  // namespace
}  // namespace constellation::store

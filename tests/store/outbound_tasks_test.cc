#include "constellation/store/outbound_tasks.h"

#include "store/record_expectations.h"
#include "store/store_fixture.h"

namespace constellation::store {
namespace {

using a2a::TaskState;
using test_support::at_ms;
using test_support::expect_same;

class OutboundTasksTest : public test_support::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    db_ = open_store();
    ASSERT_TRUE(db_);
    tasks_ = std::make_unique<OutboundTasks>(*db_);
  }

  std::optional<OutboundTask> get(const std::string& id) {
    auto found = tasks_->get(id);
    EXPECT_TRUE(found.ok()) << found.error().message;
    return found.ok() ? *found : std::nullopt;
  }

  std::vector<std::string> active_ids() {
    auto active = tasks_->list_active();
    EXPECT_TRUE(active.ok()) << active.error().message;
    std::vector<std::string> ids;
    if (active.ok())
      for (const OutboundTask& out : *active) ids.push_back(out.task.id);
    return ids;
  }

  std::unique_ptr<Database> db_;
  std::unique_ptr<OutboundTasks> tasks_;
};

OutboundTask outbound(const std::string& id, TaskState state = TaskState::kSubmitted,
                      a2a::Timestamp created = at_ms(0)) {
  OutboundTask out;
  out.task.id = id;
  out.task.context_id = "ctx";
  out.task.state = state;
  out.task.updated_at = created;
  out.task.history = {a2a::Message{a2a::Role::kUser, {a2a::Part{"review my PR"}}, "m1"}};
  out.peer_name = "bravo";
  out.peer_url = "http://127.0.0.4:7777/a2a";
  out.dialect = "legacy";
  out.created_at = created;
  return out;
}


TEST_F(OutboundTasksTest, InsertAndGet) {
  OutboundTask out = outbound("t1", TaskState::kWorking, at_ms(42));
  out.last_error = "earlier trouble";
  ASSERT_TRUE(tasks_->insert(out).ok());
  auto found = get("t1");
  ASSERT_TRUE(found);
  expect_same(*found, out);
  EXPECT_FALSE(get("nope"));
}

TEST_F(OutboundTasksTest, DuplicateIdIsAStoreError) {
  ASSERT_TRUE(tasks_->insert(outbound("t1")).ok());
  Status again = tasks_->insert(outbound("t1"));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().kind, ErrorKind::kStore);
  EXPECT_EQ(again.error().message, "record outbound task: UNIQUE constraint failed: tasks_out.id "
                                   "(store " + store_file().string() + ")");
}

TEST_F(OutboundTasksTest, UpdateTaskReplacesWhatThePeerReported) {
  OutboundTask out = outbound("t1", TaskState::kSubmitted, at_ms(1));
  ASSERT_TRUE(tasks_->insert(out).ok());
  ASSERT_TRUE(tasks_->set_error("t1", "connect: timed out").ok());

  a2a::Task reported = out.task;
  reported.state = TaskState::kCompleted;
  reported.updated_at = at_ms(2);
  reported.context_id = "ctx-from-peer";
  reported.history.push_back(a2a::Message{a2a::Role::kAgent, {a2a::Part{"LGTM"}}, "m2"});
  reported.artifacts.push_back(a2a::Artifact{"a1", "review", {a2a::Part{"ship it"}}});
  reported.status_message = a2a::Message{a2a::Role::kAgent, {a2a::Part{"done"}}, "m3"};
  ASSERT_TRUE(tasks_->update_task(reported).ok());

  OutboundTask expected = out;
  expected.task = reported;
  expected.last_error = "";  // the peer answered
  auto found = get("t1");
  ASSERT_TRUE(found);
  expect_same(*found, expected);
}

TEST_F(OutboundTasksTest, RemoteIdAndTenantAreKept) {
  OutboundTask out = outbound("t1");
  out.tenant = "team-a";
  ASSERT_TRUE(tasks_->insert(out).ok());
  EXPECT_EQ(out.wire_id(), "t1") << "no remote id: the peer uses ours";
  ASSERT_TRUE(tasks_->set_remote_id("t1", "peer-task-7").ok());
  auto found = get("t1");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->remote_id, "peer-task-7");
  EXPECT_EQ(found->tenant, "team-a");
  EXPECT_EQ(found->wire_id(), "peer-task-7");
  EXPECT_EQ(tasks_->set_remote_id("nope", "x").error().kind, ErrorKind::kUnknownTask);
}

TEST_F(OutboundTasksTest, AdoptRemoteIdRenamesUnlessTheIdIsTaken) {
  ASSERT_TRUE(tasks_->insert(outbound("t-local")).ok());
  auto adopted = tasks_->adopt_remote_id("t-local", "uuid-from-peer");
  ASSERT_TRUE(adopted) << adopted.error().message;
  EXPECT_EQ(*adopted, "uuid-from-peer");
  EXPECT_FALSE(get("t-local")) << "renamed";
  auto found = get("uuid-from-peer");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->remote_id, "") << "ours and the peer's are the same";
  EXPECT_EQ(found->wire_id(), "uuid-from-peer");

  // A second peer that also calls its task "uuid-from-peer": ours keeps its own id.
  ASSERT_TRUE(tasks_->insert(outbound("t-second")).ok());
  adopted = tasks_->adopt_remote_id("t-second", "uuid-from-peer");
  ASSERT_TRUE(adopted);
  EXPECT_EQ(*adopted, "t-second");
  EXPECT_EQ(get("t-second")->wire_id(), "uuid-from-peer");
  EXPECT_EQ(tasks_->adopt_remote_id("nope", "x").error().kind, ErrorKind::kUnknownTask);
}

TEST_F(OutboundTasksTest, SetErrorKeepsTheTask) {
  OutboundTask out = outbound("t1");
  ASSERT_TRUE(tasks_->insert(out).ok());
  ASSERT_TRUE(tasks_->set_error("t1", "connect to bravo: refused").ok());
  out.last_error = "connect to bravo: refused";
  expect_same(*get("t1"), out);
}

TEST_F(OutboundTasksTest, UnknownIdsAreReported) {
  a2a::Task task;
  task.id = "nope";
  for (Status status : {tasks_->update_task(task), tasks_->set_error("nope", "x"),
                        tasks_->remove("nope")}) {
    ASSERT_FALSE(status.ok());
    EXPECT_EQ(status.error().kind, ErrorKind::kUnknownTask);
    EXPECT_EQ(status.error().message, "no outbound task nope");
  }
}

TEST_F(OutboundTasksTest, Remove) {
  ASSERT_TRUE(tasks_->insert(outbound("t1")).ok());
  ASSERT_TRUE(tasks_->insert(outbound("t2")).ok());
  ASSERT_TRUE(tasks_->remove("t1").ok());
  EXPECT_FALSE(get("t1"));
  EXPECT_TRUE(get("t2"));
}

TEST_F(OutboundTasksTest, ListActiveIsNonTerminalOldestFirst) {
  ASSERT_TRUE(tasks_->insert(outbound("late", TaskState::kWorking, at_ms(300))).ok());
  ASSERT_TRUE(tasks_->insert(outbound("done", TaskState::kCompleted, at_ms(50))).ok());
  ASSERT_TRUE(tasks_->insert(outbound("early", TaskState::kSubmitted, at_ms(100))).ok());
  ASSERT_TRUE(tasks_->insert(outbound("input", TaskState::kInputRequired, at_ms(200))).ok());
  ASSERT_TRUE(tasks_->insert(outbound("failed", TaskState::kFailed, at_ms(60))).ok());
  ASSERT_TRUE(tasks_->insert(outbound("canceled", TaskState::kCanceled, at_ms(70))).ok());
  ASSERT_TRUE(tasks_->insert(outbound("rejected", TaskState::kRejected, at_ms(80))).ok());
  ASSERT_TRUE(tasks_->insert(outbound("same-ms-1", TaskState::kWorking, at_ms(400))).ok());
  ASSERT_TRUE(tasks_->insert(outbound("same-ms-2", TaskState::kWorking, at_ms(400))).ok());
  EXPECT_EQ(active_ids(),
            (std::vector<std::string>{"early", "input", "late", "same-ms-1", "same-ms-2"}));

  a2a::Task finished = get("early")->task;
  finished.state = TaskState::kCompleted;
  ASSERT_TRUE(tasks_->update_task(finished).ok());
  EXPECT_EQ(active_ids(), (std::vector<std::string>{"input", "late", "same-ms-1", "same-ms-2"}));
}

}  // namespace
}  // namespace constellation::store

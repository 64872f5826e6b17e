// What the daemon does with a push delivery to its callback: only the token it issued
// for a task may change that task, only with an event about that task, and never by
// reopening it once finished. Here because it lives in the runtime library the node
// tests link.
#include "constellation/daemon/push_receiver.h"

#include <gtest/gtest.h>

#include <string>

#include "constellation/store/outbound_tasks.h"
#include "store/store_fixture.h"

namespace constellation::daemon {
namespace {

class PushReceiverTest : public store::test_support::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    db_ = open_store();
    ASSERT_TRUE(db_);
    store::OutboundTask out;
    out.task.id = "t-1";
    out.task.state = a2a::TaskState::kSubmitted;
    out.task.updated_at = std::chrono::system_clock::now();
    out.task.history = {a2a::text_message(a2a::Role::kUser, "what is 6 x 7?")};
    out.peer_name = "atlas";
    out.peer_url = "http://127.0.0.9:7/";
    out.dialect = "1.0";
    out.remote_id = "r-1";  // the peer's name for it
    out.follow = store::FollowMode::kPush;
    out.push_token = "secret-token";
    out.created_at = out.task.updated_at;
    ASSERT_TRUE(store::OutboundTasks(*db_).insert(out));
  }

  a2a::Task stored() { return (*store::OutboundTasks(*db_).get("t-1"))->task; }

  static std::string completed(const std::string& remote_id, const std::string& text) {
    return R"({"task":{"id":")" + remote_id +
           R"(","contextId":"c-1","status":{"state":"TASK_STATE_COMPLETED"},)"
           R"("artifacts":[{"artifactId":"a","parts":[{"text":")" + text + R"("}]}]}})";
  }

  std::unique_ptr<store::Database> db_;
};

TEST_F(PushReceiverTest, TheRightTokenStoresTheAnswer) {
  const PushReceipt r = receive_push(*db_, "secret-token", completed("r-1", "42"));
  EXPECT_EQ(r.http_status, 200) << r.message;
  ASSERT_TRUE(r.changed_task_id);
  EXPECT_EQ(*r.changed_task_id, "t-1") << "our id, not the peer's";
  EXPECT_EQ(r.peer_name, "atlas");
  EXPECT_EQ(r.state, a2a::TaskState::kCompleted);
  EXPECT_EQ(stored().state, a2a::TaskState::kCompleted);
  EXPECT_EQ(a2a::answer_text(stored()), "42");
  EXPECT_EQ(stored().history.size(), 1u) << "our copy of the request stays";
}

TEST_F(PushReceiverTest, NoTokenOrAnotherTokenChangesNothing) {
  EXPECT_EQ(receive_push(*db_, "", completed("r-1", "forged")).http_status, 401);
  const PushReceipt guessed = receive_push(*db_, "secret-tokeN", completed("r-1", "forged"));
  EXPECT_EQ(guessed.http_status, 401);
  EXPECT_FALSE(guessed.changed_task_id);
  EXPECT_EQ(stored().state, a2a::TaskState::kSubmitted);
}

TEST_F(PushReceiverTest, TheEventMustBeAboutThatTaskAndReadable) {
  EXPECT_EQ(receive_push(*db_, "secret-token", completed("r-2", "other")).http_status, 400);
  EXPECT_EQ(receive_push(*db_, "secret-token", "not json").http_status, 400);
  EXPECT_EQ(receive_push(*db_, "secret-token", R"({"weird":1})").http_status, 400);
  EXPECT_EQ(stored().state, a2a::TaskState::kSubmitted);
}

TEST_F(PushReceiverTest, StatusUpdatesApplyAndAFinishedTaskStaysFinished) {
  const std::string asked = R"({"statusUpdate":{"taskId":"r-1","contextId":"c-1","status":{)"
                            R"("state":"TASK_STATE_INPUT_REQUIRED","message":{"messageId":"q",)"
                            R"("role":"ROLE_AGENT","parts":[{"text":"which units?"}]}}}})";
  EXPECT_EQ(receive_push(*db_, "secret-token", asked).http_status, 200);
  EXPECT_EQ(stored().state, a2a::TaskState::kInputRequired);
  EXPECT_EQ(a2a::answer_text(stored()), "which units?");

  ASSERT_EQ(receive_push(*db_, "secret-token", completed("r-1", "42")).http_status, 200);
  // A late or repeated delivery of an older state is accepted (200) and ignored.
  const std::string working = R"({"statusUpdate":{"taskId":"r-1","status":{"state":"TASK_STATE_WORKING"}}})";
  const PushReceipt late = receive_push(*db_, "secret-token", working);
  EXPECT_EQ(late.http_status, 200);
  EXPECT_FALSE(late.changed_task_id);
  EXPECT_EQ(stored().state, a2a::TaskState::kCompleted);
}

}  // namespace
}  // namespace constellation::daemon

// The daemon's follower of outbound tasks polls each task in the dialect it was sent in
// and stores every change of state or answer. Here because it lives in the runtime
// library the node tests link.
#include "constellation/daemon/outbound_tracker.h"

#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "constellation/daemon/task_waiters.h"
#include "node/fake_peer.h"
#include "store/store_fixture.h"

namespace constellation::daemon {
namespace {

using nlohmann::json;
using test_support::FakePeer;
using Request = FakePeer::Request;

class TrackerTest : public store::test_support::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    db_ = open_store();
    ASSERT_TRUE(db_);
  }

  /// A v1.0 task we sent to `url`, which the peer calls "r-1".
  store::OutboundTask v10_task(const std::string& url) {
    store::OutboundTask out;
    out.task.id = "t-1";
    out.task.state = a2a::TaskState::kSubmitted;
    out.task.updated_at = std::chrono::system_clock::now();
    out.task.history = {a2a::text_message(a2a::Role::kUser, "what is 6 x 7?")};
    out.peer_name = "atlas";
    out.peer_url = url;
    out.dialect = "1.0";
    out.remote_id = "r-1";
    out.tenant = "acme";
    out.created_at = out.task.updated_at;
    EXPECT_TRUE(store::OutboundTasks(*db_).insert(out));
    return out;
  }

  /// Follows the task until the tracker lets go of it (it ended) or 10 s pass.
  void follow(const store::OutboundTask& task) {
    PollSchedule fast;
    fast.first = std::chrono::milliseconds(5);
    fast.cap = std::chrono::milliseconds(5);
    OutboundTracker tracker(ioc_, pool_.get_executor(), *db_, waiters_, fast);
    tracker.track(task);
    ioc_.run_for(std::chrono::seconds(10));
  }

  store::OutboundTask stored() {
    auto t = store::OutboundTasks(*db_).get("t-1");
    EXPECT_TRUE(t && *t);
    return t && *t ? **t : store::OutboundTask{};
  }

  std::unique_ptr<store::Database> db_;
  boost::asio::io_context ioc_;
  boost::asio::thread_pool pool_{1};
  TaskWaiters waiters_;
};

json v10_status(const char* state, const char* status_text = nullptr) {
  json status = {{"state", state}};
  if (status_text != nullptr) {
    status["message"] = {
        {"messageId", "m"}, {"role", "ROLE_AGENT"}, {"parts", {{{"text", status_text}}}}};
  }
  return status;
}

TEST_F(TrackerTest, PollsInTheTasksDialectAndStoresEveryChangeOfTheAnswer) {
  std::atomic<int> polls = 0;
  std::optional<std::string> status_seen_at_third_poll;
  FakePeer peer([&](const Request& req) {
    const int n = ++polls;
    if (n == 3) {
      // The status message alone changed at poll 2: it must be in the store by now.
      const auto now = stored();
      if (now.task.status_message)
        status_seen_at_third_poll = a2a::message_text(*now.task.status_message);
    }
    json task = {{"id", "r-1"}, {"contextId", "c-1"}};
    if (n == 1) task["status"] = v10_status("TASK_STATE_WORKING");
    if (n == 2) task["status"] = v10_status("TASK_STATE_WORKING", "half way");
    if (n >= 3) {
      task["status"] = v10_status("TASK_STATE_COMPLETED");
      task["artifacts"] = {{{"artifactId", "a-1"}, {"parts", {{{"text", "42"}}}}}};
    }
    return FakePeer::result(req, task);
  });
  follow(v10_task(peer.url()));

  const store::OutboundTask done = stored();
  EXPECT_EQ(done.task.state, a2a::TaskState::kCompleted);
  EXPECT_EQ(a2a::answer_text(done.task), "42");
  EXPECT_EQ(done.task.context_id, "c-1");
  ASSERT_EQ(done.task.history.size(), 1u) << "the peer sent no history: ours stays";
  EXPECT_EQ(status_seen_at_third_poll, "half way");
  ASSERT_EQ(polls.load(), 3) << "it stops at the terminal state";
  for (const auto& req : peer.requests()) {
    EXPECT_EQ(req.header("a2a-version"), "1.0");
    EXPECT_EQ(req.json()["method"], "GetTask");
    EXPECT_EQ(req.json()["params"], json::parse(R"({"id":"r-1","tenant":"acme"})"));
  }
}

TEST_F(TrackerTest, APeerThatForgotTheTaskFailsItWithAnAnswerSayingSo) {
  FakePeer peer(
      [](const Request& req) { return FakePeer::rpc_error(req, -32001, "Task not found"); });
  store::OutboundTask task = v10_task(peer.url());
  // A stale status message from the peer must not pass for the answer.
  task.task.status_message = a2a::text_message(a2a::Role::kAgent, "working on it");
  ASSERT_TRUE(store::OutboundTasks(*db_).update_task(task.task));
  follow(task);

  const store::OutboundTask failed = stored();
  EXPECT_EQ(failed.task.state, a2a::TaskState::kFailed);
  EXPECT_EQ(a2a::answer_text(failed.task), "peer 'atlas' no longer knows this task");
  EXPECT_EQ(peer.requests().size(), 1u);
}

}  // namespace
}  // namespace constellation::daemon

// stream_task (server/task_stream.h) on a real store and real TaskWaiters, writing into
// a recording StreamWriter instead of a socket: which events go out when, keep-alives,
// and every way a stream ends, including being cancelled (the client went away).

#include "constellation/server/task_stream.h"

#include <gtest/gtest.h>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_future.hpp>
#include <future>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "constellation/daemon/task_waiters.h"
#include "constellation/store/inbound_tasks.h"
#include "store/store_fixture.h"

namespace constellation::server {
namespace {

namespace asio = boost::asio;
using nlohmann::json;
using namespace std::chrono_literals;

class RecordingWriter : public StreamWriter {
 public:
  asio::awaitable<bool> write(std::string data) override {
    std::lock_guard lock(mutex_);
    if (fail_) co_return false;
    writes_.push_back(std::move(data));
    co_return true;
  }
  std::vector<std::string> writes() {
    std::lock_guard lock(mutex_);
    return writes_;
  }
  void fail() {
    std::lock_guard lock(mutex_);
    fail_ = true;
  }

 private:
  std::mutex mutex_;
  std::vector<std::string> writes_;
  bool fail_ = false;
};

/// The JSON-RPC replies among the writes (keep-alive comments skipped).
std::vector<json> events(const std::vector<std::string>& writes) {
  std::vector<json> out;
  for (const auto& w : writes) {
    if (w.starts_with("data: ")) out.push_back(json::parse(w.substr(6)));
    if (w.starts_with("event: error\ndata: ")) out.push_back(json::parse(w.substr(19)));
  }
  return out;
}

class TaskStreamTest : public store::test_support::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    db_ = open_store();
    ASSERT_TRUE(db_);
    rpc_ = std::make_unique<RpcService>(*db_);
    io_thread_ = std::thread([this] { ioc_.run(); });
  }
  void TearDown() override {
    work_.reset();
    io_thread_.join();
    pool_.join();
    StoreTest::TearDown();
  }

  /// Starts a streaming send (v0.3 when `v03`) and returns its plan.
  StreamPlan start(bool v03 = false) {
    HttpRequest http;
    http.headers = {{"content-type", "application/json"}};
    if (!v03) http.headers["a2a-version"] = "1.0";
    const json message =
        v03 ? json{{"kind", "message"}, {"messageId", "m-1"}, {"role", "user"},
                   {"parts", {{{"kind", "text"}, {"text", "hi"}}}}}
            : json{{"messageId", "m-1"}, {"role", "ROLE_USER"}, {"parts", {{{"text", "hi"}}}}};
    const json request = {{"jsonrpc", "2.0"},
                          {"id", 5},
                          {"method", v03 ? "message/stream" : "SendStreamingMessage"},
                          {"params", {{"message", message}}}};
    RpcOutcome out = rpc_->handle(request.dump(), http);
    EXPECT_TRUE(out.stream) << out.body;
    return out.stream ? *out.stream : StreamPlan{};
  }

  TaskStreamDeps deps(std::chrono::milliseconds keepalive = 10s) {
    TaskStreamDeps d;
    d.rpc = rpc_.get();
    d.blocking = pool_.get_executor();
    d.watch_task = [this](const std::string& id, const asio::any_io_executor& ex) {
      return std::unique_ptr<TaskWatch>(waiters_.enter(id, ex));
    };
    d.keepalive = keepalive;
    d.counter = counter_;
    return d;
  }

  std::future<void> run(TaskStreamDeps d, StreamPlan plan) {
    return asio::co_spawn(ioc_, stream_task(std::move(d), std::move(plan), writer_),
                          asio::bind_cancellation_slot(signal_.slot(), asio::use_future));
  }

  /// Waits until the writer holds at least `n` writes.
  bool writes_reach(std::size_t n) {
    for (int i = 0; i < 500; ++i) {
      if (writer_.writes().size() >= n) return true;
      std::this_thread::sleep_for(10ms);
    }
    return false;
  }

  void respond(const std::string& id, const std::string& text) {
    ASSERT_TRUE(store::InboundTasks(*db_).respond(id, text, false, std::chrono::system_clock::now()));
    waiters_.notify(id);
  }

  asio::io_context ioc_;
  asio::executor_work_guard<asio::io_context::executor_type> work_{ioc_.get_executor()};
  std::thread io_thread_;
  asio::thread_pool pool_{1};
  asio::cancellation_signal signal_;
  daemon::TaskWaiters waiters_;
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<RpcService> rpc_;
  RecordingWriter writer_;
  std::shared_ptr<StreamCounter> counter_ = std::make_shared<StreamCounter>();
};

TEST_F(TaskStreamTest, TaskFirstThenTheAnswerThenTheEnd) {
  StreamPlan plan = start();
  const std::string id = plan.task_id;
  auto done = run(deps(), plan);
  ASSERT_TRUE(writes_reach(1));
  EXPECT_EQ(counter_->open, 1);
  respond(id, "hello back");
  ASSERT_EQ(done.wait_for(5s), std::future_status::ready);
  done.get();
  const auto ev = events(writer_.writes());
  ASSERT_EQ(ev.size(), 3u) << writer_.writes().size();
  for (const auto& e : ev) EXPECT_EQ(e["id"], 5);
  EXPECT_EQ(ev[0]["result"]["task"]["id"], id);
  EXPECT_EQ(ev[0]["result"]["task"]["status"]["state"], "TASK_STATE_SUBMITTED");
  EXPECT_EQ(ev[1]["result"]["artifactUpdate"]["artifact"]["parts"][0]["text"], "hello back");
  EXPECT_EQ(ev[2]["result"]["statusUpdate"]["status"]["state"], "TASK_STATE_COMPLETED");
  // Every write is one whole SSE event with a single-line data.
  for (const auto& w : writer_.writes()) {
    EXPECT_TRUE(w.ends_with("\n\n")) << w;
    EXPECT_EQ(w.find('\n'), w.size() - 2) << w;
  }
  EXPECT_EQ(counter_->open, 0);
}

TEST_F(TaskStreamTest, V03MarksTheLastStatusFinal) {
  StreamPlan plan = start(/*v03=*/true);
  const std::string id = plan.task_id;
  auto done = run(deps(), plan);
  ASSERT_TRUE(writes_reach(1));
  ASSERT_TRUE(store::InboundTasks(*db_).ask(id, "which?", std::chrono::system_clock::now()));
  waiters_.notify(id);
  ASSERT_EQ(done.wait_for(5s), std::future_status::ready);
  const auto ev = events(writer_.writes());
  ASSERT_EQ(ev.size(), 2u);
  EXPECT_EQ(ev[0]["result"]["kind"], "task");
  EXPECT_EQ(ev[1]["result"]["kind"], "status-update");
  EXPECT_EQ(ev[1]["result"]["status"]["state"], "input-required");
  EXPECT_EQ(ev[1]["result"]["status"]["message"]["parts"][0]["text"], "which?");
  EXPECT_EQ(ev[1]["result"]["final"], true);
}

TEST_F(TaskStreamTest, KeepAliveCommentsWhileNothingHappens) {
  StreamPlan plan = start();
  auto done = run(deps(30ms), plan);
  ASSERT_TRUE(writes_reach(4));
  const auto writes = writer_.writes();
  EXPECT_EQ(writes[1], ": keep-alive\n\n");
  EXPECT_EQ(writes[2], ": keep-alive\n\n");
  respond(plan.task_id, "done");
  ASSERT_EQ(done.wait_for(5s), std::future_status::ready);
}

TEST_F(TaskStreamTest, CancellationEndsItAtOnceAndLeavesNothingBehind) {
  // What the HTTP session does when the client goes away.
  StreamPlan plan = start();
  auto done = run(deps(), plan);
  ASSERT_TRUE(writes_reach(1));
  asio::post(ioc_, [this] { signal_.emit(asio::cancellation_type::terminal); });
  ASSERT_EQ(done.wait_for(5s), std::future_status::ready);
  EXPECT_NO_THROW(done.get()) << "cancellation ends the stream quietly";
  EXPECT_EQ(events(writer_.writes()).size(), 1u);
  EXPECT_EQ(counter_->open, 0);
  // The watch is gone: a notify finds nobody (and does not crash).
  waiters_.notify(plan.task_id);
}

TEST_F(TaskStreamTest, AFailedWriteEndsIt) {
  StreamPlan plan = start();
  auto done = run(deps(20ms), plan);
  ASSERT_TRUE(writes_reach(1));
  writer_.fail();
  ASSERT_EQ(done.wait_for(5s), std::future_status::ready);
  EXPECT_EQ(counter_->open, 0);
}

TEST_F(TaskStreamTest, ShutdownEndsIt) {
  StreamPlan plan = start();
  auto done = run(deps(), plan);
  ASSERT_TRUE(writes_reach(1));
  waiters_.notify_all();
  ASSERT_EQ(done.wait_for(5s), std::future_status::ready);
  EXPECT_EQ(events(writer_.writes()).size(), 1u);
}

TEST_F(TaskStreamTest, ATaskThatVanishesEndsWithAnErrorEvent) {
  StreamPlan plan = start();
  plan.task_id = "t-gone";
  auto done = run(deps(), plan);
  ASSERT_EQ(done.wait_for(5s), std::future_status::ready);
  const auto writes = writer_.writes();
  ASSERT_EQ(writes.size(), 1u);
  EXPECT_TRUE(writes[0].starts_with("event: error\ndata: ")) << writes[0];
  EXPECT_EQ(events(writes)[0]["error"]["code"], -32001);
}

}  // namespace
}  // namespace constellation::server

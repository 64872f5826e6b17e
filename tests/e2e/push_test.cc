// Push-based completion between two real daemons: the sender registers a callback with a
// per-task token, the receiver posts the answer the moment `respond` returns, and the
// sender's `wait` wakes on it with no GetTask ever reaching the receiver. A sender that
// is down when the answer comes still gets it once it is back: the receiver keeps the
// delivery in its store and retries.

#include <future>

#include "e2e/mesh_fixture.h"
#include "e2e/raw_http.h"

namespace e2e {
namespace {

class PushPeers : public TwoPeers {
 protected:
  // Own addresses, so these run beside the other two-peer tests; bob logs every call.
  void SetUp() override {
    start_pair("127.0.0.70", "127.0.0.71", [](TestPeer& bob) { bob.set_verbose(true); });
  }

  std::size_t count(const std::string& haystack, const std::string& needle) {
    std::size_t n = 0;
    for (auto at = haystack.find(needle); at != std::string::npos; at = haystack.find(needle, at + 1)) ++n;
    return n;
  }
};

TEST_F(PushPeers, WaitWakesOnPushAndThePeerIsNeverAsked) {
  const std::string id = send_to_bob("What is the capital of Peru?");
  ASSERT_FALSE(id.empty());
  auto waiting = std::async(std::launch::async, [&] {
    return alice->cli({"wait", id, "--timeout", "30"}, "", std::chrono::seconds(40));
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  ASSERT_EQ(bob->cli({"respond", id, "Lima"}).exit_code, 0);
  const auto responded = std::chrono::steady_clock::now();
  const RunResult wait = waiting.get();
  EXPECT_EQ(wait.exit_code, 0) << wait.describe();
  EXPECT_EQ(wait.out, "Lima\n");
  // Polling would take a minute to start for a pushed task; push takes milliseconds.
  EXPECT_LT(std::chrono::steady_clock::now() - responded, std::chrono::seconds(10));

  const std::string log = bob->log();
  EXPECT_EQ(count(log, "A2A call SendMessage"), 1u) << "the send itself";
  EXPECT_EQ(count(log, "A2A call GetTask"), 0u) << "nobody polled bob";
  EXPECT_EQ(count(log, "A2A call tasks/get"), 0u);
  EXPECT_NE(alice->log().find("task " + id + " to bob: completed (pushed)"), std::string::npos);

  // Questions travel the same way: input-required wakes `wait` with exit 14.
  const std::string asked = send_to_bob("Book a table");
  auto waiting2 = std::async(std::launch::async, [&] {
    return alice->cli({"wait", asked, "--timeout", "30"}, "", std::chrono::seconds(40));
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  ASSERT_EQ(bob->cli({"respond", "--ask", asked, "For how many?"}).exit_code, 0);
  const RunResult question = waiting2.get();
  EXPECT_EQ(question.exit_code, 14) << question.describe();
  EXPECT_EQ(question.out, "For how many?\n");
  EXPECT_EQ(count(bob->log(), "A2A call GetTask"), 0u);
}

TEST_F(PushPeers, ASenderThatWasDownStillGetsTheAnswer) {
  const std::string id = send_to_bob("Summarise the report");
  ASSERT_FALSE(id.empty());
  ASSERT_EQ(alice->stop().exit_code, 0);

  // bob answers while alice is down: the delivery fails and waits in bob's store.
  ASSERT_EQ(bob->cli({"respond", id, "It says: ship it."}).exit_code, 0);
  ASSERT_TRUE(eventually([&] { return bob->log().find("cannot deliver 'completed'") != std::string::npos; }))
      << bob->log();
  // (No `wait` here: without its daemon, alice's `wait` would ask bob itself.)

  alice->start();
  const auto restarted = std::chrono::steady_clock::now();
  auto wait = alice->cli({"wait", id, "--timeout", "30"}, "", std::chrono::seconds(40));
  EXPECT_EQ(wait.exit_code, 0) << wait.describe();
  EXPECT_EQ(wait.out, "It says: ship it.\n");
  EXPECT_LT(std::chrono::steady_clock::now() - restarted, std::chrono::seconds(20));
  EXPECT_NE(alice->log().find("(pushed)"), std::string::npos) << "it came by push, not by a poll";
  EXPECT_EQ(count(bob->log(), "A2A call GetTask"), 0u);
  EXPECT_TRUE(eventually([&] { return bob->log().find("after 1 failed attempt") != std::string::npos ||
                                      bob->log().find("failed attempt(s)") != std::string::npos; }));
}

TEST_F(PushPeers, ACallbackWithoutTheRightTokenChangesNothing) {
  const std::string id = send_to_bob("Count to three");
  const std::string forged = R"({"task":{"id":")" + id +
                             R"(","contextId":"c","status":{"state":"TASK_STATE_COMPLETED"},)"
                             R"("artifacts":[{"artifactId":"a","parts":[{"text":"forged"}]}]}})";
  auto post = [&](const std::string& token_header) {
    return http_request(alice->address(), alice->port(),
                        "POST /push HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n" +
                            token_header + "Content-Length: " + std::to_string(forged.size()) +
                            "\r\nConnection: close\r\n\r\n" + forged);
  };
  EXPECT_EQ(post("").status, 401);
  EXPECT_EQ(post("X-A2A-Notification-Token: guessed\r\n").status, 401);
  auto still = alice->cli({"wait", id, "--timeout", "0.2"});
  EXPECT_EQ(still.exit_code, 9) << "still open: " << still.describe();

  ASSERT_EQ(bob->cli({"respond", id, "one two three"}).exit_code, 0);
  auto wait = alice->cli({"wait", id, "--timeout", "30"});
  EXPECT_EQ(wait.out, "one two three\n") << wait.describe();
}

}  // namespace
}  // namespace e2e

// `constellation cancel`: the sender cancels at the peer; the receiver's inbox drops the
// task, its `respond` says so, and the sender's `wait` ends with exit code 11.

#include <future>

#include "e2e/mesh_fixture.h"

namespace e2e {
namespace {

TEST_F(TwoPeers, CancelEndsTheTaskOnBothSides) {
  const std::string id = send_to_bob("Translate the whole manual");
  ASSERT_FALSE(id.empty());
  ASSERT_EQ(bob->cli({"inbox"}).out.find(id), 0u) << "bob has the task";

  // A wait already running when the cancel comes ends at once, with its own exit code.
  auto waiting = std::async(std::launch::async, [&] {
    return alice->cli({"wait", id, "--timeout", "30"}, "", std::chrono::seconds(40));
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  const auto started = std::chrono::steady_clock::now();
  auto cancel = alice->cli({"cancel", id});
  ASSERT_EQ(cancel.exit_code, 0) << cancel.describe();
  EXPECT_EQ(cancel.out, "canceled\n");
  const RunResult wait = waiting.get();
  EXPECT_EQ(wait.exit_code, 11) << wait.describe();
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(10));
  EXPECT_NE(wait.err.find("canceled"), std::string::npos) << wait.err;

  // bob: gone from the inbox, and a late answer is refused saying why.
  EXPECT_EQ(bob->cli({"inbox"}).out, "");
  auto late = bob->cli({"respond", id, "done anyway"});
  EXPECT_EQ(late.exit_code, 12) << late.describe();
  EXPECT_NE(late.err.find("already canceled"), std::string::npos) << late.err;

  // Cancelling again: the task has ended, nothing to do (exit 12), and it says so.
  auto again = alice->cli({"cancel", id});
  EXPECT_EQ(again.exit_code, 12) << again.describe();
  EXPECT_NE(again.err.find("already ended (canceled)"), std::string::npos) << again.err;
}

TEST_F(TwoPeers, CancelWorksTheOtherWayAndNotOnAnsweredTasks) {
  auto sent = bob->cli({"send", "alice", "Review my patch"});
  ASSERT_EQ(sent.exit_code, 0) << sent.describe();
  const std::string to_alice = sent.out.substr(0, sent.out.size() - 1);
  auto cancel = bob->cli({"cancel", to_alice});
  ASSERT_EQ(cancel.exit_code, 0) << cancel.describe();
  EXPECT_EQ(alice->cli({"inbox"}).out, "");

  // An answered task cannot be canceled: the peer refuses (-32002) or we know already.
  const std::string answered = send_to_bob("2+2?");
  ASSERT_EQ(bob->cli({"respond", answered, "4"}).exit_code, 0);
  auto too_late = alice->cli({"cancel", answered});
  EXPECT_EQ(too_late.exit_code, 12) << too_late.describe();
  auto wait = alice->cli({"wait", answered});
  EXPECT_EQ(wait.exit_code, 0) << wait.describe();
  EXPECT_EQ(wait.out, "4\n");
}

TEST_F(TwoPeers, CancelOfAnUnknownTaskSaysWhichIdsWork) {
  auto r = alice->cli({"cancel", "t-00000000-0000-4000-8000-000000000000"});
  EXPECT_EQ(r.exit_code, 6) << r.describe();
  EXPECT_NE(r.err.find("use the id 'constellation send' printed"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace e2e

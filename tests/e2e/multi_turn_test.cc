// Multi-turn: the receiver asks (`respond --ask`), the sender's `wait` prints the
// question with exit code 14, `send --task` answers in the same task, and the task is
// back in the receiver's inbox with the new turn.

#include <nlohmann/json.hpp>

#include "e2e/mesh_fixture.h"

namespace e2e {
namespace {

using nlohmann::json;

TEST_F(TwoPeers, AQuestionAndItsAnswerStayInOneTask) {
  const std::string id = send_to_bob("Deploy the service");
  ASSERT_FALSE(id.empty());

  auto ask = bob->cli({"respond", "--ask", id, "Which environment: staging or prod?"});
  ASSERT_EQ(ask.exit_code, 0) << ask.describe();
  EXPECT_EQ(bob->cli({"inbox"}).out, "") << "waiting for alice, not for bob";

  auto question = alice->cli({"wait", id, "--timeout", "20"});
  EXPECT_EQ(question.exit_code, 14) << question.describe();
  EXPECT_EQ(question.out, "Which environment: staging or prod?\n");
  EXPECT_NE(question.err.find("constellation send --task " + id), std::string::npos)
      << question.err;

  auto turn = alice->cli({"send", "--task", id, "staging"});
  ASSERT_EQ(turn.exit_code, 0) << turn.describe();
  EXPECT_EQ(turn.out, id + "\n") << "the same task";

  // Back in bob's inbox, showing the new turn; the history holds all three messages.
  auto inbox = bob->cli({"inbox"});
  EXPECT_EQ(inbox.out, id + "\talice\tstaging\n");
  auto full = json::parse(bob->cli({"inbox", "--json"}).out);
  ASSERT_EQ(full.size(), 1u);
  ASSERT_EQ(full[0]["history"].size(), 3u) << full.dump();
  EXPECT_EQ(full[0]["history"][1]["role"], "agent");
  EXPECT_EQ(full[0]["context_id"].get<std::string>().empty(), false);

  ASSERT_EQ(bob->cli({"respond", id, "Deployed to staging."}).exit_code, 0);
  auto answer = alice->cli({"wait", id, "--timeout", "20"});
  EXPECT_EQ(answer.exit_code, 0) << answer.describe();
  EXPECT_EQ(answer.out, "Deployed to staging.\n");

  // The task has ended: no more turns.
  auto late = alice->cli({"send", "--task", id, "and prod too"});
  EXPECT_EQ(late.exit_code, 12) << late.describe();
  EXPECT_NE(late.err.find("constellation send bob <text>"), std::string::npos) << late.err;
}

TEST_F(TwoPeers, SendTaskUsageIsChecked) {
  auto both = alice->cli({"send", "--task", "t-x", "bob", "text"});
  EXPECT_EQ(both.exit_code, 2) << both.describe();
  auto none = alice->cli({"send", "bob"});
  EXPECT_EQ(none.exit_code, 2) << none.describe();
  auto unknown = alice->cli({"send", "--task", "t-unknown", "hello"});
  EXPECT_EQ(unknown.exit_code, 6) << unknown.describe();
  auto conflicting = bob->cli({"respond", "--ask", "--failed", "t-x", "?"});
  EXPECT_EQ(conflicting.exit_code, 2) << conflicting.describe();
}

}  // namespace
}  // namespace e2e

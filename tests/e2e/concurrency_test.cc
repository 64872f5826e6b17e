// Many verb processes on one store at once, with no daemon to serialise them: every one
// finishes without a lock error and no write is lost (SQLite's busy timeout, WAL and
// IMMEDIATE transactions are what make this hold).

#include <future>
#include <set>
#include <sstream>
#include <vector>

#include "e2e/mesh_fixture.h"

namespace e2e {
namespace {

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

TEST_F(TwoPeers, FiftyConcurrentVerbsOnOneStoreLoseNothing) {
  constexpr int kTasks = 25;
  std::vector<std::string> ids;
  for (int i = 0; i < kTasks; ++i) {
    ids.push_back(send_to_bob("task " + std::to_string(i)));
    ASSERT_FALSE(ids.back().empty());
  }
  // bob's daemon goes away: from now on each verb opens bob's store itself.
  ASSERT_EQ(bob->stop().exit_code, 0);

  // 25 respond and 25 inbox processes at once, plus 10 sends to alice from bob's store.
  std::vector<std::future<RunResult>> running;
  for (int i = 0; i < kTasks; ++i) {
    running.push_back(std::async(std::launch::async, [this, id = ids[i], i] {
      return bob->cli({"respond", id, "answer " + std::to_string(i)}, "", std::chrono::seconds(60));
    }));
    running.push_back(std::async(std::launch::async, [this] {
      return bob->cli({"inbox"}, "", std::chrono::seconds(60));
    }));
  }
  constexpr int kSends = 10;
  std::vector<std::future<RunResult>> sends;
  for (int i = 0; i < kSends; ++i) {
    sends.push_back(std::async(std::launch::async, [this, i] {
      return bob->cli({"send", "alice", "from bob " + std::to_string(i)}, "",
                      std::chrono::seconds(60));
    }));
  }
  for (auto& r : running) {
    const RunResult done = r.get();
    EXPECT_EQ(done.exit_code, 0) << done.describe();
    EXPECT_EQ(done.err.find("locked"), std::string::npos) << done.err;
  }
  std::set<std::string> sent_ids;
  for (auto& s : sends) {
    const RunResult done = s.get();
    EXPECT_EQ(done.exit_code, 0) << done.describe();
    if (done.exit_code == 0) sent_ids.insert(done.out.substr(0, done.out.size() - 1));
  }

  // Every answer is stored: bob's inbox is empty, and once bob's daemon serves again,
  // alice gets each one.
  EXPECT_EQ(bob->cli({"inbox"}).out, "");
  bob->start();
  for (int i = 0; i < kTasks; ++i) {
    auto wait = alice->cli({"wait", ids[i], "--timeout", "20"}, "", std::chrono::seconds(30));
    EXPECT_EQ(wait.exit_code, 0) << wait.describe();
    EXPECT_EQ(wait.out, "answer " + std::to_string(i) + "\n");
  }
  // Every send reached alice, each under the id bob printed.
  EXPECT_EQ(sent_ids.size(), static_cast<std::size_t>(kSends));
  std::set<std::string> inbox_ids;
  for (const auto& line : lines_of(alice->cli({"inbox"}).out)) inbox_ids.insert(line.substr(0, line.find('\t')));
  EXPECT_EQ(inbox_ids, sent_ids);
}

}  // namespace
}  // namespace e2e

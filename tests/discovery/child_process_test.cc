#include "constellation/discovery/child_process.h"

#include <gtest/gtest.h>

#include <sys/wait.h>

#include <cerrno>
#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace constellation::discovery {
namespace {

using namespace std::chrono_literals;

Result<ProcessOutput> sh(const std::string& script, ProcessOptions options = {}) {
  return run_process_sync({"/bin/sh", "-c", script}, options);
}

// Every child of this test process has been reaped: no zombie left behind.
void expect_no_children() {
  errno = 0;
  EXPECT_EQ(waitpid(-1, nullptr, WNOHANG), -1);
  EXPECT_EQ(errno, ECHILD);
}

std::size_t open_fds() {
  std::size_t n = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator("/proc/self/fd")) {
    ++n;
  }
  return n;
}

TEST(ChildProcess, CapturesExitCodeAndBothStreamsSeparately) {
  auto run = sh("echo out1; echo err1 >&2; echo out2; exit 3");
  ASSERT_TRUE(run.ok()) << run.error().message;
  EXPECT_EQ(run->exit_code, 3);
  EXPECT_EQ(run->out, "out1\nout2\n");
  EXPECT_EQ(run->err, "err1\n");
  expect_no_children();
}

TEST(ChildProcess, ExitZeroWithNoOutput) {
  auto run = sh("true");
  ASSERT_TRUE(run.ok()) << run.error().message;
  EXPECT_EQ(run->exit_code, 0);
  EXPECT_EQ(run->out, "");
  EXPECT_EQ(run->err, "");
}

TEST(ChildProcess, KilledBySignalIs128PlusN) {
  auto run = sh("kill -TERM $$");
  ASSERT_TRUE(run.ok()) << run.error().message;
  EXPECT_EQ(run->exit_code, 128 + SIGTERM);
}

TEST(ChildProcess, StdinIsDevNull) {
  auto run = sh("cat; echo done");
  ASSERT_TRUE(run.ok()) << run.error().message;
  EXPECT_EQ(run->out, "done\n");
}

TEST(ChildProcess, ReadsOneMegabyteFromEachStream) {
  // Both streams at once: a runner that read them in turn would deadlock on a full pipe.
  auto run =
      sh("head -c 1048576 /dev/zero; head -c 1048576 /dev/zero >&2; "
         "head -c 1048576 /dev/zero");
  ASSERT_TRUE(run.ok()) << run.error().message;
  EXPECT_EQ(run->exit_code, 0);
  EXPECT_EQ(run->out.size(), 2u * 1048576u);
  EXPECT_EQ(run->err.size(), 1048576u);
}

TEST(ChildProcess, TimeoutKillsTheChildAndReapsIt) {
  ProcessOptions options;
  options.timeout = 200ms;
  const auto start = std::chrono::steady_clock::now();
  auto run = run_process_sync({"sleep", "30"}, options);
  const auto took = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(run.ok());
  EXPECT_EQ(run.error().message, "sleep 30: no answer within 200 ms");
  EXPECT_LT(took, 10s);
  expect_no_children();
}

TEST(ChildProcess, TimeoutAlsoKillsWhatTheShellStarted) {
  // The shell's own child holds the pipes open; killing only the shell would leave us
  // waiting for EOF until `sleep` ends.
  ProcessOptions options;
  options.timeout = 200ms;
  const auto start = std::chrono::steady_clock::now();
  auto run = sh("sleep 30; echo never", options);
  ASSERT_FALSE(run.ok());
  EXPECT_LT(std::chrono::steady_clock::now() - start, 10s);
  expect_no_children();
}

TEST(ChildProcess, TimeoutIsNamedInSeconds) {
  ProcessOptions options;
  options.timeout = 1s;
  auto run = sh("sleep 30", options);
  ASSERT_FALSE(run.ok());
  EXPECT_EQ(run.error().message, "/bin/sh -c sleep 30: no answer within 1 s");
}

TEST(ChildProcess, MissingExecutable) {
  auto run = run_process_sync({"constellation-no-such-tool", "status"}, {});
  ASSERT_FALSE(run.ok());
  EXPECT_EQ(run.error().message, "constellation-no-such-tool: not found on PATH");
  auto by_path = run_process_sync({"/nonexistent/tailscale", "status"}, {});
  ASSERT_FALSE(by_path.ok());
  EXPECT_EQ(by_path.error().message, "/nonexistent/tailscale: not found");
  expect_no_children();
}

TEST(ChildProcess, OutputOverTheCapKillsTheChild) {
  ProcessOptions options;
  options.max_output = 1000;
  const auto start = std::chrono::steady_clock::now();
  auto run = sh("yes", options);  // never stops by itself
  ASSERT_FALSE(run.ok());
  EXPECT_EQ(run.error().message, "/bin/sh -c yes: printed more than 1000 bytes on stdout");
  EXPECT_LT(std::chrono::steady_clock::now() - start, 10s);
  expect_no_children();
}

TEST(ChildProcess, StderrHasTheSameCap) {
  ProcessOptions options;
  options.max_output = 1000;
  auto run = sh("yes >&2", options);
  ASSERT_FALSE(run.ok());
  EXPECT_EQ(run.error().message, "/bin/sh -c yes >&2: printed more than 1000 bytes on stderr");
}

TEST(ChildProcess, OutputExactlyAtTheCapIsFine) {
  ProcessOptions options;
  options.max_output = 1000;
  auto run = sh("head -c 1000 /dev/zero", options);
  ASSERT_TRUE(run.ok()) << run.error().message;
  EXPECT_EQ(run->out.size(), 1000u);
}

TEST(ChildProcess, LeavesNoFileDescriptorsOpen) {
  const std::size_t before = open_fds();
  ProcessOptions quick;
  quick.timeout = 100ms;
  ProcessOptions capped;
  capped.max_output = 10;
  EXPECT_TRUE(sh("echo hi; echo there >&2").ok());
  EXPECT_FALSE(sh("sleep 30", quick).ok());
  EXPECT_FALSE(sh("yes", capped).ok());
  EXPECT_FALSE(run_process_sync({"constellation-no-such-tool"}, {}).ok());
  EXPECT_EQ(open_fds(), before);
}

TEST(ChildProcess, EmptyArgv) {
  auto run = run_process_sync({}, {});
  ASSERT_FALSE(run.ok());
  EXPECT_EQ(run.error().kind, ErrorKind::kUsage);
}

}  // namespace
}  // namespace constellation::discovery

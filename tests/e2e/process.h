#pragma once
/// Runs the real `constellation` binary as a child process: one-shot commands with their
/// stdin, stdout, stderr and exit code captured, and long-running daemons.
///
/// Written on posix_spawn rather than Boost.Process because Boost.Process 1.81 needs the
/// compiled Boost.Filesystem library, which nothing else in the project uses.

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace e2e {

using Env = std::map<std::string, std::string>;

struct RunResult {
  int exit_code = -1;  ///< -1 when killed by a signal or by the timeout
  int signal = 0;
  bool timed_out = false;
  std::string out;
  std::string err;
  /// For failure messages: the whole picture in one string.
  std::string describe() const;
};

/// Runs argv[0] (an absolute path) with exactly `env` as its environment (plus the
/// sanitizer runtimes' ASAN_/LSAN_/UBSAN_ variables of this process, if set), feeds `input`
/// on stdin, and kills it after scaled(`timeout`).
RunResult run(const std::vector<std::string>& argv, const Env& env, const std::string& input = "",
              std::chrono::milliseconds timeout = std::chrono::seconds(30));

/// A child that keeps running (a daemon); stdout and stderr go to `log_path`.
/// The destructor kills it (SIGKILL) if it is still alive, so a failing test never
/// leaves a daemon behind.
class Background {
 public:
  Background(const std::vector<std::string>& argv, const Env& env,
             const std::filesystem::path& log_path);
  ~Background();
  Background(const Background&) = delete;
  Background& operator=(const Background&) = delete;

  pid_t pid() const { return pid_; }
  bool running();
  /// Sends `sig` and waits up to scaled(`timeout`) for the exit; returns the RunResult-style
  /// status (exit_code/signal/timed_out; out/err empty: they are in the log).
  RunResult stop(int sig, std::chrono::milliseconds timeout);

 private:
  pid_t pid_ = -1;
  bool reaped_ = false;
  RunResult status_;
};

/// `timeout` times CONSTELLATION_TEST_TIME_SCALE (default 1): the deadlines here are set
/// for a normal build, and a sanitized one (scripts/sanitize.sh sets the scale) starts
/// and answers several times slower. Only ever lengthens a deadline, so a test that
/// passes at scale 1 means the same at any scale.
std::chrono::milliseconds scaled(std::chrono::milliseconds timeout);

/// Polls `pred` every 50 ms until it is true or scaled(`timeout`) passes; returns its
/// last value.
template <class Pred>
bool eventually(Pred pred, std::chrono::milliseconds timeout = std::chrono::seconds(10));

std::string read_file(const std::filesystem::path& p);

}  // namespace e2e

#include <thread>

namespace e2e {
template <class Pred>
bool eventually(Pred pred, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + scaled(timeout);
  for (;;) {
    if (pred()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}
}  // namespace e2e

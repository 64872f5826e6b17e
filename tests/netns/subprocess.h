#pragma once
/// Child processes for the namespace harness: short commands whose output we want, and
/// daemons that must die with the test. Plain fork/exec (not e2e/process.h) so the
/// harness is a library of its own that both discovery_tests and e2e_tests link.

#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace netns {

/// Variables to set (or override) on top of this process's environment.
using EnvOverrides = std::map<std::string, std::string>;

struct CommandResult {
  int exit_code = -1;  ///< -1 when killed by a signal or the timeout
  bool timed_out = false;
  std::string output;  ///< stdout and stderr, interleaved
  std::string describe(const std::vector<std::string>& argv) const;
};

/// Runs argv (argv[0] looked up in PATH, then /usr/sbin, /sbin, /usr/bin, /bin) and
/// kills it after `timeout`.
CommandResult run_command(const std::vector<std::string>& argv, const EnvOverrides& env = {},
                          std::chrono::milliseconds timeout = std::chrono::seconds(10));

/// Runs argv and throws std::runtime_error naming the command and its output unless it
/// exits 0.
std::string check_command(const std::vector<std::string>& argv, const EnvOverrides& env = {},
                          std::chrono::milliseconds timeout = std::chrono::seconds(10));

/// The absolute path of `program`, or "" when it is not installed.
std::string find_program(const std::string& program);

/// A long-running child with stdout and stderr appended to `log`. It gets SIGKILL if the
/// thread that started it dies (PR_SET_PDEATHSIG), so a crashed test leaves no daemon
/// behind; start and stop daemons from the test's main thread.
class Daemon {
 public:
  Daemon(const std::vector<std::string>& argv, const EnvOverrides& env,
         const std::filesystem::path& log);
  ~Daemon();  ///< stop(SIGKILL)
  Daemon(const Daemon&) = delete;
  Daemon& operator=(const Daemon&) = delete;

  pid_t pid() const { return pid_; }
  /// False once it has exited (and been reaped).
  bool running();
  /// Sends `sig`, waits up to `grace` for the exit, then SIGKILLs. Safe when already gone.
  void stop(int sig, std::chrono::milliseconds grace = std::chrono::seconds(3));

 private:
  pid_t pid_ = -1;
  bool reaped_ = false;
};

/// A child we talk to in lines: we write its stdin, a thread of ours reads its stdout.
/// stderr goes to `stderr_log`, or to our own stderr when that is empty. Like Daemon, it
/// dies with the thread that started it.
class LineProcess {
 public:
  LineProcess(const std::vector<std::string>& argv, const EnvOverrides& env,
              const std::filesystem::path& stderr_log = {});
  ~LineProcess();  ///< closes stdin, gives the child 5 s to exit, then SIGKILL
  LineProcess(const LineProcess&) = delete;
  LineProcess& operator=(const LineProcess&) = delete;

  pid_t pid() const { return pid_; }
  /// Writes `line` and a newline to the child's stdin (ignored once stdin is closed).
  void write_line(const std::string& line);
  /// EOF on the child's stdin.
  void close_stdin();
  /// Every stdout line so far, without newlines.
  std::vector<std::string> lines();
  /// Waits until a line at index >= `from` satisfies `pred`; returns its index.
  std::optional<std::size_t> wait_for(const std::function<bool(const std::string&)>& pred,
                                      std::chrono::milliseconds timeout, std::size_t from = 0);
  /// Waits up to `timeout` for the exit; SIGKILL after that. Returns the exit code
  /// (-1: killed).
  int wait(std::chrono::milliseconds timeout);

 private:
  void read_loop(int fd);

  pid_t pid_ = -1;
  int stdin_fd_ = -1;
  bool reaped_ = false;
  int exit_code_ = -1;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::string> lines_;
  std::thread reader_;
};

}  // namespace netns

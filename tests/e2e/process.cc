#include "e2e/process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <utility>

namespace e2e {

namespace {

struct Pipe {
  int fd[2] = {-1, -1};
  Pipe() {
    if (pipe2(fd, O_CLOEXEC) != 0) throw std::runtime_error(std::string("pipe: ") + strerror(errno));
  }
  ~Pipe() {
    close_read();
    close_write();
  }
  void close_read() {
    if (fd[0] >= 0) ::close(fd[0]), fd[0] = -1;
  }
  void close_write() {
    if (fd[1] >= 0) ::close(fd[1]), fd[1] = -1;
  }
};

/// argv/envp arrays for posix_spawn; they point into the strings they were built from.
struct CArgs {
  std::vector<std::string> env_strings;
  std::vector<char*> argv, envp;
  CArgs(const std::vector<std::string>& args, const Env& env) {
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    for (const auto& [k, v] : env) env_strings.push_back(k + "=" + v);
    // Under scripts/sanitize.sh the children are sanitized too and must report with the
    // suite's settings (leak suppressions, symbolizer); a normal build ignores these.
    for (const char* key : {"ASAN_OPTIONS", "LSAN_OPTIONS", "UBSAN_OPTIONS", "ASAN_SYMBOLIZER_PATH"}) {
      const char* value = std::getenv(key);
      if (value != nullptr && env.find(key) == env.end()) {
        env_strings.push_back(std::string(key).append("=").append(value));
      }
    }
    for (auto& s : env_strings) envp.push_back(s.data());
    envp.push_back(nullptr);
  }
};

void decode_status(int status, RunResult& r) {
  if (WIFEXITED(status)) r.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) r.signal = WTERMSIG(status);
}

pid_t spawn(const std::vector<std::string>& argv, const Env& env,
            posix_spawn_file_actions_t* actions) {
  CArgs c(argv, env);
  pid_t pid = -1;
  // Own process group: the destructor's kill reaches anything the child starts.
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&attr, 0);
  int rc = posix_spawn(&pid, c.argv[0], actions, &attr, c.argv.data(), c.envp.data());
  posix_spawnattr_destroy(&attr);
  if (rc != 0) throw std::runtime_error("spawn " + argv[0] + ": " + strerror(rc));
  return pid;
}

}  // namespace

std::string RunResult::describe() const {
  std::ostringstream s;
  s << "exit=" << exit_code << " signal=" << signal << (timed_out ? " TIMED OUT" : "")
    << "\n--- stdout ---\n" << out << "\n--- stderr ---\n" << err;
  return s.str();
}

std::chrono::milliseconds scaled(std::chrono::milliseconds timeout) {
  const char* text = std::getenv("CONSTELLATION_TEST_TIME_SCALE");
  const double scale = text != nullptr ? std::atof(text) : 1.0;
  if (!(scale > 1.0)) return timeout;  // also for a scale that does not parse
  return std::chrono::milliseconds(static_cast<std::int64_t>(static_cast<double>(timeout.count()) * scale));
}

RunResult run(const std::vector<std::string>& argv, const Env& env, const std::string& input,
              std::chrono::milliseconds timeout) {
  Pipe in, out, err;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in.fd[0], 0);
  posix_spawn_file_actions_adddup2(&actions, out.fd[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err.fd[1], 2);
  pid_t pid = spawn(argv, env, &actions);
  posix_spawn_file_actions_destroy(&actions);
  in.close_read();
  out.close_write();
  err.close_write();

  // Feed stdin from a thread so a child that writes a lot before reading cannot deadlock us.
  // The feeder owns the write end and closes it when done: the child sees EOF then.
  const int stdin_fd = std::exchange(in.fd[1], -1);
  std::thread feeder([fd = stdin_fd, &input] {
    signal(SIGPIPE, SIG_IGN);
    std::size_t done = 0;
    while (done < input.size()) {
      ssize_t n = ::write(fd, input.data() + done, input.size() - done);
      if (n <= 0) break;
      done += static_cast<std::size_t>(n);
    }
    ::close(fd);
  });

  RunResult r;
  const auto deadline = std::chrono::steady_clock::now() + scaled(timeout);
  std::array<pollfd, 2> fds{pollfd{out.fd[0], POLLIN, 0}, pollfd{err.fd[0], POLLIN, 0}};
  std::array<std::string*, 2> sinks{&r.out, &r.err};
  int open_fds = 2;
  while (open_fds > 0) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      r.timed_out = true;
      kill(-pid, SIGKILL);
      break;
    }
    int n = poll(fds.data(), fds.size(), static_cast<int>(left.count()));
    if (n < 0 && errno == EINTR) continue;
    for (std::size_t i = 0; i < fds.size(); ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      char buf[65536];
      ssize_t got = ::read(fds[i].fd, buf, sizeof buf);
      if (got > 0) {
        sinks[i]->append(buf, static_cast<std::size_t>(got));
      } else {
        fds[i].fd = -1;
        --open_fds;
      }
    }
  }
  feeder.join();
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  decode_status(status, r);
  if (r.timed_out) r.exit_code = -1;
  return r;
}

Background::Background(const std::vector<std::string>& argv, const Env& env,
                       const std::filesystem::path& log_path) {
  int log = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log < 0) throw std::runtime_error("open " + log_path.string() + ": " + strerror(errno));
  int devnull = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, devnull, 0);
  posix_spawn_file_actions_adddup2(&actions, log, 1);
  posix_spawn_file_actions_adddup2(&actions, log, 2);
  try {
    pid_ = spawn(argv, env, &actions);
  } catch (...) {
    posix_spawn_file_actions_destroy(&actions);
    ::close(log);
    ::close(devnull);
    throw;
  }
  posix_spawn_file_actions_destroy(&actions);
  ::close(log);
  ::close(devnull);
}

Background::~Background() {
  if (!reaped_ && pid_ > 0) stop(SIGKILL, std::chrono::seconds(5));
}

bool Background::running() {
  if (reaped_) return false;
  int status = 0;
  pid_t r = waitpid(pid_, &status, WNOHANG);
  if (r == pid_) {
    reaped_ = true;
    decode_status(status, status_);
    return false;
  }
  return true;
}

RunResult Background::stop(int sig, std::chrono::milliseconds timeout) {
  if (!running()) return status_;
  kill(pid_, sig);
  if (!eventually([this] { return !running(); }, timeout)) {
    kill(-pid_, SIGKILL);
    int status = 0;
    waitpid(pid_, &status, 0);
    reaped_ = true;
    decode_status(status, status_);
    status_.timed_out = true;
  }
  return status_;
}

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace e2e

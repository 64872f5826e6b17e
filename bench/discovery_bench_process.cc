// The parent's handle on the card-serving child, and the fd limit both roles raise.

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

#include "discovery_bench.h"

extern char** environ;

namespace constellation::bench {
namespace {

/// Closes a file descriptor when it goes.
struct Fd {
  int fd = -1;
  Fd() = default;
  ~Fd() { reset(); }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  void reset() {
    if (fd >= 0) ::close(fd);
    fd = -1;
  }
};

std::runtime_error failure(const std::string& what) {
  return std::runtime_error("card server: " + what);
}

/// Reads the child's first line ("ready <port>") within `timeout`.
std::string read_line(int fd, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::string line;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) throw failure("not ready within " + std::to_string(timeout.count()) + " ms");
    pollfd p{fd, POLLIN, 0};
    const int r = ::poll(&p, 1, static_cast<int>(left.count()));
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) throw failure(std::string("poll: ") + std::strerror(errno));
    if (r == 0) continue;
    char c = 0;
    const auto n = ::read(fd, &c, 1);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw failure("exited before it was ready (see its message above)");
    if (c == '\n') return line;
    line += c;
  }
}

}  // namespace

std::uint64_t raise_fd_limit() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return 0;
  if (limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &limit);
    ::getrlimit(RLIMIT_NOFILE, &limit);
  }
  return limit.rlim_cur;
}

KilledOnExit::~KilledOnExit() {
  if (pid <= 0) return;
  ::kill(pid, SIGKILL);  // nothing to flush: the child only holds sockets
  while (::waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
  }
}

CardServerProcess::CardServerProcess(std::size_t peers, std::chrono::milliseconds slow_delay) {
  int fds[2];
  // O_CLOEXEC: only the child's stdout (a dup2 copy, which drops the flag) stays open in
  // it, so EOF on our end means the child is gone.
  if (::pipe2(fds, O_CLOEXEC) != 0) throw failure(std::string("pipe: ") + std::strerror(errno));
  Fd read_end;
  Fd write_end;
  read_end.fd = fds[0];
  write_end.fd = fds[1];

  // argv[0] names the role, so ps and pgrep tell the child from the parent.
  std::vector<std::string> args{"discovery_bench-cards", "--serve-cards", std::to_string(peers),
                                "--slow-ms", std::to_string(slow_delay.count()),
                                "--parent-pid", std::to_string(::getpid())};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, write_end.fd, STDOUT_FILENO);
  const int rc = ::posix_spawn(&child_.pid, "/proc/self/exe", &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    child_.pid = -1;
    throw failure(std::string("posix_spawn: ") + std::strerror(rc));
  }
  write_end.reset();

  const std::string line = read_line(read_end.fd, std::chrono::seconds(15));
  if (line.rfind("ready ", 0) != 0) throw failure("unexpected first line \"" + line + "\"");
  const unsigned long port = std::stoul(line.substr(6));
  if (port == 0 || port > 65535) throw failure("bad port in \"" + line + "\"");
  port_ = static_cast<std::uint16_t>(port);
}

}  // namespace constellation::bench

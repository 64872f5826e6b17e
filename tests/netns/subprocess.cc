#include "netns/subprocess.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace netns {

namespace {

std::runtime_error sys_error(const std::string& what) {
  return std::runtime_error(what + ": " + std::strerror(errno));
}

/// Everything exec needs, built before fork: the child may only make async-signal-safe
/// calls, so no allocation after fork.
struct ExecImage {
  std::string path;
  std::vector<std::string> args, env;
  std::vector<char*> argv, envp;

  ExecImage(const std::vector<std::string>& a, const EnvOverrides& overrides) : args(a) {
    if (args.empty()) throw std::runtime_error("run: empty command");
    path = find_program(args[0]);
    if (path.empty()) throw std::runtime_error("run: '" + args[0] + "' is not installed");
    for (char** e = environ; *e; ++e) {
      std::string entry = *e;
      if (!overrides.contains(entry.substr(0, entry.find('=')))) env.push_back(entry);
    }
    for (const auto& [k, v] : overrides) env.push_back(k + "=" + v);
    for (auto& s : args) argv.push_back(s.data());
    argv.push_back(nullptr);
    for (auto& s : env) envp.push_back(s.data());
    envp.push_back(nullptr);
  }
};

/// fork + exec with the given stdin/stdout/stderr (-1: /dev/null for stdin, ours for
/// stderr); the child dies with the calling thread.
pid_t spawn(ExecImage& image, int in_fd, int out_fd, int err_fd) {
  const pid_t parent = getpid();
  pid_t pid = fork();
  if (pid < 0) throw sys_error("fork for " + image.args[0]);
  if (pid == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(127);  // the parent died before prctl
    setpgid(0, 0);
    if (in_fd < 0) in_fd = open("/dev/null", O_RDONLY);
    if (in_fd >= 0) dup2(in_fd, 0);
    dup2(out_fd, 1);
    if (err_fd >= 0) dup2(err_fd, 2);
    execve(image.path.c_str(), image.argv.data(), image.envp.data());
    _exit(127);
  }
  return pid;
}

int decode(int status) { return WIFEXITED(status) ? WEXITSTATUS(status) : -1; }

}  // namespace

std::string find_program(const std::string& program) {
  if (program.find('/') != std::string::npos)
    return access(program.c_str(), X_OK) == 0 ? program : "";
  std::string dirs = std::getenv("PATH") ? std::getenv("PATH") : "";
  // Root's PATH on CI images may lack the sbin directories where ip and avahi-daemon live.
  dirs += ":/usr/sbin:/sbin:/usr/bin:/bin";
  std::istringstream in(dirs);
  for (std::string dir; std::getline(in, dir, ':');) {
    if (dir.empty()) continue;
    std::string candidate = dir + "/" + program;
    if (access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return "";
}

std::string CommandResult::describe(const std::vector<std::string>& argv) const {
  std::ostringstream s;
  for (const auto& a : argv) s << a << ' ';
  s << "→ " << (timed_out ? "timed out" : "exit " + std::to_string(exit_code));
  if (!output.empty()) s << ": " << output;
  return s.str();
}

CommandResult run_command(const std::vector<std::string>& argv, const EnvOverrides& env,
                          std::chrono::milliseconds timeout) {
  ExecImage image(argv, env);
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) throw sys_error("pipe for " + argv[0]);
  pid_t pid = spawn(image, -1, fds[1], fds[1]);
  close(fds[1]);

  CommandResult result;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  char buf[4096];
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      result.timed_out = true;
      kill(-pid, SIGKILL);
      break;
    }
    pollfd p{fds[0], POLLIN, 0};
    int n = poll(&p, 1, static_cast<int>(left.count()));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) continue;
    ssize_t got = read(fds[0], buf, sizeof buf);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break;  // EOF: the child (and anything sharing the pipe) is done
    result.output.append(buf, static_cast<std::size_t>(got));
  }
  close(fds[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  result.exit_code = result.timed_out ? -1 : decode(status);
  return result;
}

std::string check_command(const std::vector<std::string>& argv, const EnvOverrides& env,
                          std::chrono::milliseconds timeout) {
  CommandResult r = run_command(argv, env, timeout);
  if (r.exit_code != 0) throw std::runtime_error(r.describe(argv));
  return r.output;
}

Daemon::Daemon(const std::vector<std::string>& argv, const EnvOverrides& env,
               const std::filesystem::path& log) {
  ExecImage image(argv, env);
  int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) throw sys_error("open " + log.string());
  try {
    pid_ = spawn(image, -1, fd, fd);
  } catch (...) {
    close(fd);
    throw;
  }
  close(fd);
}

Daemon::~Daemon() { stop(SIGKILL); }

bool Daemon::running() {
  if (reaped_) return false;
  int status = 0;
  pid_t r = waitpid(pid_, &status, WNOHANG);
  if (r == pid_ || (r < 0 && errno == ECHILD)) reaped_ = true;
  return !reaped_;
}

void Daemon::stop(int sig, std::chrono::milliseconds grace) {
  if (!running()) return;
  kill(pid_, sig);
  const auto deadline = std::chrono::steady_clock::now() + grace;
  while (running() && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  if (!running()) return;
  kill(pid_, SIGKILL);
  int status = 0;
  while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  reaped_ = true;
}

LineProcess::LineProcess(const std::vector<std::string>& argv, const EnvOverrides& env,
                         const std::filesystem::path& stderr_log) {
  // A child that died must not take the test with it when we next write to its stdin.
  signal(SIGPIPE, SIG_IGN);
  ExecImage image(argv, env);
  int in[2], out[2];
  if (pipe2(in, O_CLOEXEC) != 0) throw sys_error("stdin pipe for " + argv[0]);
  if (pipe2(out, O_CLOEXEC) != 0) {
    close(in[0]);
    close(in[1]);
    throw sys_error("stdout pipe for " + argv[0]);
  }
  int err = -1;
  if (!stderr_log.empty())
    err = open(stderr_log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  try {
    pid_ = spawn(image, in[0], out[1], err);
  } catch (...) {
    for (int fd : {in[0], in[1], out[0], out[1], err})
      if (fd >= 0) close(fd);
    throw;
  }
  for (int fd : {in[0], out[1], err})
    if (fd >= 0) close(fd);
  stdin_fd_ = in[1];
  reader_ = std::thread([this, fd = out[0]] { read_loop(fd); });
}

LineProcess::~LineProcess() {
  close_stdin();
  wait(std::chrono::seconds(5));
  if (reader_.joinable()) reader_.join();
}

void LineProcess::write_line(const std::string& line) {
  if (stdin_fd_ < 0) return;
  std::string data = line + "\n";
  const char* p = data.data();
  std::size_t left = data.size();
  while (left > 0) {
    ssize_t n = ::write(stdin_fd_, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // the child is gone; what it printed tells the test why
    p += n;
    left -= static_cast<std::size_t>(n);
  }
}

void LineProcess::close_stdin() {
  if (stdin_fd_ >= 0) close(stdin_fd_);
  stdin_fd_ = -1;
}

std::vector<std::string> LineProcess::lines() {
  std::lock_guard lock(mutex_);
  return lines_;
}

std::optional<std::size_t> LineProcess::wait_for(
    const std::function<bool(const std::string&)>& pred, std::chrono::milliseconds timeout,
    std::size_t from) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::unique_lock lock(mutex_);
  std::size_t next = from;
  for (;;) {
    for (; next < lines_.size(); ++next)
      if (pred(lines_[next])) return next;
    if (changed_.wait_until(lock, deadline) == std::cv_status::timeout) {
      for (; next < lines_.size(); ++next)
        if (pred(lines_[next])) return next;
      return std::nullopt;
    }
  }
}

int LineProcess::wait(std::chrono::milliseconds timeout) {
  if (reaped_) return exit_code_;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  int status = 0;
  for (;;) {
    pid_t r = waitpid(pid_, &status, WNOHANG);
    if (r == pid_) break;
    if (r < 0 && errno != EINTR) return exit_code_;
    if (std::chrono::steady_clock::now() >= deadline) {
      kill(pid_, SIGKILL);
      while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
      }
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  reaped_ = true;
  exit_code_ = decode(status);
  return exit_code_;
}

void LineProcess::read_loop(int fd) {
  std::string pending;
  char buf[4096];
  for (;;) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    pending.append(buf, static_cast<std::size_t>(n));
    std::lock_guard lock(mutex_);
    for (std::size_t nl; (nl = pending.find('\n')) != std::string::npos;) {
      lines_.push_back(pending.substr(0, nl));
      pending.erase(0, nl + 1);
    }
    changed_.notify_all();
  }
  close(fd);
  std::lock_guard lock(mutex_);
  if (!pending.empty()) lines_.push_back(pending);
  changed_.notify_all();
}

}  // namespace netns

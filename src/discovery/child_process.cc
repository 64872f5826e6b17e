#include "constellation/discovery/child_process.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <exception>
#include <optional>
#include <tuple>
#include <utility>
#include <variant>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

extern char** environ;  // NOLINT: POSIX declares it nowhere

namespace constellation::discovery {
namespace {

namespace asio = boost::asio;
using std::chrono::milliseconds;

class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  ~UniqueFd() { reset(); }
  UniqueFd(UniqueFd&& other) noexcept : fd_(other.release()) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept {
    if (this != &other) {
      reset();
      fd_ = other.release();
    }
    return *this;
  }
  int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }
  void reset() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_ = -1;
};

struct Pipe {
  UniqueFd read;
  UniqueFd write;
};

// O_CLOEXEC: a child spawned concurrently from another thread must not inherit our ends,
// or our reader would wait for EOF until that unrelated child exits.
bool open_pipe(Pipe* pipe) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return false;
  pipe->read = UniqueFd(fds[0]);
  pipe->write = UniqueFd(fds[1]);
  return true;
}

int exit_code_of(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

/// The spawned child until it is reaped. Whatever way the call ends — an error, an
/// exception, its coroutine frame destroyed along with the io_context — the destructor
/// kills and reaps it, so it never outlives the call and never lingers as a zombie.
class Child {
 public:
  explicit Child(pid_t pid) : pid_(pid) {}
  ~Child() { kill_and_reap(); }
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  pid_t pid() const { return pid_; }

  /// The exit code once the child has exited, std::nullopt while it runs. -1 when the
  /// status was lost (SIGCHLD ignored, so the kernel reaped it already).
  std::optional<int> try_reap() {
    if (pid_ <= 0) return -1;
    int status = 0;
    pid_t r;
    do {
      r = ::waitpid(pid_, &status, WNOHANG);
    } while (r < 0 && errno == EINTR);
    if (r == 0) return std::nullopt;
    pid_ = -1;
    return r < 0 ? -1 : exit_code_of(status);
  }

  /// SIGKILL to the child's whole process group (a shell's children hold our pipes too),
  /// then a blocking wait: after SIGKILL that takes microseconds, not a deadline.
  void kill_and_reap() {
    if (pid_ <= 0) return;
    ::kill(-pid_, SIGKILL);
    ::kill(pid_, SIGKILL);
    while (::waitpid(pid_, nullptr, 0) < 0 && errno == EINTR) {
    }
    pid_ = -1;
  }

 private:
  pid_t pid_;
};

std::string command_line(const std::vector<std::string>& argv) {
  std::string out;
  for (const auto& arg : argv) {
    if (!out.empty()) out += ' ';
    out += arg;
  }
  return out;
}

std::string duration_text(milliseconds d) {
  if (d.count() % 1000 == 0) return std::to_string(d.count() / 1000) + " s";
  return std::to_string(d.count()) + " ms";
}

Error fail(const std::string& what) { return make_error(ErrorKind::kInternal, what); }

struct Spawned {
  pid_t pid = -1;
  UniqueFd out;
  UniqueFd err;
};

struct SpawnSetup {
  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attr;
  SpawnSetup() {
    posix_spawn_file_actions_init(&actions);
    posix_spawnattr_init(&attr);
  }
  ~SpawnSetup() {
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
  }
  SpawnSetup(const SpawnSetup&) = delete;
  SpawnSetup& operator=(const SpawnSetup&) = delete;
};

Result<Spawned> spawn(const std::vector<std::string>& argv) {
  Pipe out;
  Pipe err;
  if (!open_pipe(&out) || !open_pipe(&err)) {
    return fail(argv[0] + ": cannot create a pipe: " + std::strerror(errno));
  }
  SpawnSetup setup;
  posix_spawn_file_actions_addopen(&setup.actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&setup.actions, out.write.get(), STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&setup.actions, err.write.get(), STDERR_FILENO);
  // The daemon may block or ignore signals (SIGPIPE, SIGINT for its own handler); an
  // exec'd child keeps both, so give it the defaults.
  sigset_t none;
  sigemptyset(&none);
  posix_spawnattr_setsigmask(&setup.attr, &none);
  sigset_t defaults;
  sigemptyset(&defaults);
  for (const int sig : {SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGCHLD}) {
    sigaddset(&defaults, sig);
  }
  posix_spawnattr_setsigdefault(&setup.attr, &defaults);
  // Its own process group, so a kill also reaches anything it started.
  posix_spawnattr_setpgroup(&setup.attr, 0);
  posix_spawnattr_setflags(&setup.attr,
                           POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP);

  std::vector<char*> args;
  for (const auto& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  Spawned spawned;
  // glibc reports a failed exec here (it spawns with CLONE_VFORK), so ENOENT means the
  // executable is missing, not that the child exited 127.
  const int rc =
      ::posix_spawnp(&spawned.pid, args[0], &setup.actions, &setup.attr, args.data(), environ);
  if (rc == ENOENT) {
    const bool is_path = argv[0].find('/') != std::string::npos;
    return fail(argv[0] + (is_path ? ": not found" : ": not found on PATH"));
  }
  if (rc != 0) return fail(argv[0] + ": cannot run: " + std::strerror(rc));
  spawned.out = std::move(out.read);
  spawned.err = std::move(err.read);
  return spawned;  // our write ends close here, so EOF comes when the child's do
}

struct StreamText {
  std::string text;
  bool over_cap = false;
};

// Reads until EOF or cancellation. Over the cap it kills the child's group, which closes
// the other pipe too, so the sibling reader ends at once.
asio::awaitable<StreamText> read_all(asio::posix::stream_descriptor pipe, pid_t group,
                                     std::size_t cap) {
  StreamText result;
  std::array<char, 32 * 1024> chunk;
  for (;;) {
    auto [ec, n] =
        co_await pipe.async_read_some(asio::buffer(chunk), asio::as_tuple(asio::use_awaitable));
    result.text.append(chunk.data(), n);
    if (ec) co_return result;  // EOF, or the deadline cancelled us
    if (result.text.size() > cap) {
      result.over_cap = true;
      ::kill(-group, SIGKILL);
      co_return result;
    }
  }
}

bool cancelled(const asio::cancellation_state& state) {
  return state.cancelled() != asio::cancellation_type::none;
}

}  // namespace

// GCC 12 at -O2 sees Asio's frame allocator (aligned_alloc) and its class-specific
// operator delete as a mismatch in this coroutine's ramp: a false positive.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
asio::awaitable<Result<ProcessOutput>> run_process(std::vector<std::string> argv,
                                                   ProcessOptions options) {
  using namespace asio::experimental::awaitable_operators;
  if (argv.empty() || argv[0].empty()) co_return make_error(ErrorKind::kUsage, "no command to run");
  const std::string what = command_line(argv);
  const auto state = co_await asio::this_coro::cancellation_state;
  if (cancelled(state)) co_return fail(what + ": cancelled");

  auto spawned = spawn(argv);
  if (!spawned) co_return spawned.error();
  Child child(spawned->pid);
  const auto executor = co_await asio::this_coro::executor;
  asio::posix::stream_descriptor out_pipe(executor, spawned->out.release());
  asio::posix::stream_descriptor err_pipe(executor, spawned->err.release());
  asio::steady_timer deadline(executor, options.timeout);

  // Named before the co_await: see the GCC 12 note in util/run_blocking.h.
  auto reads = read_all(std::move(out_pipe), child.pid(), options.max_output) &&
               read_all(std::move(err_pipe), child.pid(), options.max_output);
  auto expiry = deadline.async_wait(asio::as_tuple(asio::use_awaitable));
  std::optional<std::tuple<StreamText, StreamText>> texts;
  try {
    auto outcome = co_await (std::move(reads) || std::move(expiry));
    if (outcome.index() == 0) texts = std::get<0>(std::move(outcome));
  } catch (const std::exception&) {
    // Only a cancelled reader throws (Asio's throw_if_cancelled); handled just below.
  }
  if (cancelled(state)) co_return fail(what + ": cancelled");  // ~Child kills it
  const std::string too_slow = what + ": no answer within " + duration_text(options.timeout);
  if (!texts) co_return fail(too_slow);
  StreamText& out = std::get<0>(*texts);
  StreamText& err = std::get<1>(*texts);
  if (out.over_cap || err.over_cap) {
    co_return fail(what + ": printed more than " + std::to_string(options.max_output) +
                   " bytes on " + (out.over_cap ? "stdout" : "stderr"));
  }

  // Both pipes are closed, so the child has exited or is about to: poll for its status
  // within what is left of the deadline rather than block an I/O thread in waitpid.
  asio::steady_timer pause(executor);
  for (milliseconds delay{1};; delay = std::min(delay * 2, milliseconds{50})) {
    if (const auto code = child.try_reap()) {
      if (*code < 0) co_return fail(what + ": its exit status was lost (SIGCHLD ignored?)");
      ProcessOutput output;
      output.exit_code = *code;
      output.out = std::move(out.text);
      output.err = std::move(err.text);
      co_return output;
    }
    if (std::chrono::steady_clock::now() >= deadline.expiry()) co_return fail(too_slow);
    pause.expires_after(delay);
    auto [ec] = co_await pause.async_wait(asio::as_tuple(asio::use_awaitable));
    if (ec || cancelled(state)) co_return fail(what + ": cancelled");
  }
}

#pragma GCC diagnostic pop

Result<ProcessOutput> run_process_sync(std::vector<std::string> argv, ProcessOptions options) {
  asio::io_context ioc;
  Result<ProcessOutput> result;
  asio::co_spawn(ioc, run_process(std::move(argv), options),
                 [&result](std::exception_ptr e, Result<ProcessOutput> r) {
                   if (e) {
                     result = fail("running a child process: unexpected exception");
                   } else {
                     result = std::move(r);
                   }
                 });
  ioc.run();
  return result;
}

}  // namespace constellation::discovery

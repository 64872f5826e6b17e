// verb_timer: wall time of a command, process start included, over many runs (issue 7,
// the verbs). Spawns the command directly (posix_spawn, no shell, stdout to /dev/null), so
// what is timed is the verb and not an interpreter around it. Prints one JSON line.
//
//   verb_timer [--runs N] [--warmup N] [--each FILE] -- COMMAND ARGS...
//
// "{{seq}}" in an argument becomes the run's number; "{{line}}" the run's line of FILE
// (warm-up runs take the first lines), for verbs that need a new argument each time
// (respond takes each task once). A run that exits non-zero counts as a failure and its
// time is left out. Besides the wall time it gives the CPU time the run used (user + system,
// from wait4): on a shared machine the wall time says how long a user waited, the CPU time
// how much work the verb did, which other processes do not inflate.

#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "stats.h"

extern char** environ;

namespace {

[[noreturn]] void usage(const std::string& why) {
  std::cerr << "verb_timer: " << why
            << "\nusage: verb_timer [--runs N] [--warmup N] [--each FILE] -- COMMAND ARGS...\n";
  std::exit(2);
}

std::string fill(std::string arg, const std::string& seq, const std::string& line) {
  for (const auto& [key, value] : {std::pair<std::string, std::string>{"{{seq}}", seq},
                                   std::pair<std::string, std::string>{"{{line}}", line}}) {
    for (auto at = arg.find(key); at != std::string::npos; at = arg.find(key, at + value.size())) {
      arg.replace(at, key.size(), value);
    }
  }
  return arg;
}

/// Runs argv once; its exit status (128 + signal when killed), or -1 if it could not start.
/// `cpu_us`: the user + system time it used.
int run_once(const std::vector<std::string>& argv, std::uint32_t& cpu_us) {
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  pid_t pid = 0;
  const int rc = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    std::cerr << "verb_timer: cannot start " << argv[0] << ": " << std::strerror(rc) << "\n";
    return -1;
  }
  int status = 0;
  rusage usage{};
  while (::wait4(pid, &status, 0, &usage) < 0) {
    if (errno != EINTR) return -1;
  }
  auto us = [](const timeval& t) { return static_cast<std::uint64_t>(t.tv_sec) * 1000000 + t.tv_usec; };
  cpu_us = static_cast<std::uint32_t>(us(usage.ru_utime) + us(usage.ru_stime));
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return WEXITSTATUS(status);
}

}  // namespace

int main(int argc, char** argv) {
  int runs = 50;
  int warmup = 1;
  std::vector<std::string> lines;
  int i = 1;
  for (; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--") {
      ++i;
      break;
    }
    if (i + 1 >= argc) usage(a + " needs a value");
    if (a == "--runs") runs = std::stoi(argv[++i]);
    else if (a == "--warmup") warmup = std::stoi(argv[++i]);
    else if (a == "--each") {
      std::ifstream in(argv[++i]);
      if (!in) usage(std::string("cannot read ") + argv[i]);
      for (std::string line; std::getline(in, line);) {
        if (!line.empty()) lines.push_back(line);
      }
    } else usage("unknown argument " + a);
  }
  if (i >= argc) usage("no command after --");
  const std::vector<std::string> command(argv + i, argv + argc);
  if (!lines.empty() && static_cast<int>(lines.size()) < runs + warmup) {
    usage("--each has " + std::to_string(lines.size()) + " lines; " +
          std::to_string(runs + warmup) + " are needed (runs + warm-up)");
  }

  std::vector<std::uint32_t> times_us;
  std::vector<std::uint32_t> cpu_times_us;
  int failures = 0;
  int first_failure = 0;
  for (int n = 0; n < warmup + runs; ++n) {
    std::vector<std::string> args;
    const std::string line = lines.empty() ? std::string() : lines[static_cast<std::size_t>(n)];
    for (const auto& a : command) args.push_back(fill(a, std::to_string(n), line));
    const auto start = std::chrono::steady_clock::now();
    std::uint32_t cpu_us = 0;
    const int status = run_once(args, cpu_us);
    const auto took = std::chrono::steady_clock::now() - start;
    if (n < warmup) continue;
    if (status != 0) {
      if (failures++ == 0) first_failure = status;
      continue;
    }
    times_us.push_back(static_cast<std::uint32_t>(
        std::chrono::duration_cast<std::chrono::microseconds>(took).count()));
    cpu_times_us.push_back(cpu_us);
  }
  auto ms = [](std::uint32_t us) { return static_cast<double>(us) / 1000.0; };
  using constellation::bench::percentile;
  std::printf("{\"runs\":%d,\"failures\":%d,\"first_failure_status\":%d,\"p50_ms\":%.3f,"
              "\"p99_ms\":%.3f,\"max_ms\":%.3f,\"cpu_p50_ms\":%.3f}\n",
              runs, failures, first_failure, ms(percentile(times_us, 50)),
              ms(percentile(times_us, 99)), ms(percentile(times_us, 100)),
              ms(percentile(cpu_times_us, 50)));
  return failures == runs ? 1 : 0;
}

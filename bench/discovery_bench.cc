// discovery_bench: how long one discovery round over 500 peers takes, and whether memory
// stays flat over 100 rounds. See bench/README.md. Options are parsed by hand: the bench
// should not pull CLI11 (the CLI's dependency) into a second target.

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <string_view>

#include "discovery_bench.h"

namespace {

using namespace constellation::bench;

constexpr const char* kUsage =
    "usage: discovery_bench [--rounds N] [--peers N] [--probe-timeout-ms N]\n"
    "                       [--interval-ms N] [--poll-interval-ms N] [--no-baseline]\n";

[[noreturn]] void usage_error(const std::string& why) {
  std::fprintf(stderr, "discovery_bench: %s\n%s", why.c_str(), kUsage);
  std::exit(2);
}

unsigned long number(std::string_view flag, const char* text) {
  if (text == nullptr) usage_error(std::string(flag) + " needs a value");
  char* end = nullptr;
  const unsigned long n = std::strtoul(text, &end, 10);
  if (*text == '\0' || *end != '\0' || n == 0) {
    usage_error(std::string(flag) + ": \"" + text + "\" is not a positive number");
  }
  return n;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    BenchOptions options;
    bool poll_interval_given = false;
    // Child role (spawned by the parent): --serve-cards N --slow-ms N --parent-pid N.
    std::size_t serve = 0;
    unsigned long slow_ms = 0, parent = 0;
    for (int i = 1; i < argc; ++i) {
      const std::string_view arg = argv[i];
      // The value after a flag; consumes it.
      auto value = [&] { return number(arg, i + 1 < argc ? argv[++i] : nullptr); };
      using ms = std::chrono::milliseconds;
      if (arg == "--rounds") {
        options.rounds = value();
      } else if (arg == "--peers") {
        options.peers = value();
      } else if (arg == "--probe-timeout-ms") {
        options.probe_timeout = ms(value());
      } else if (arg == "--interval-ms") {
        options.interval = ms(value());
      } else if (arg == "--poll-interval-ms") {
        options.poll_interval = ms(value());
        poll_interval_given = true;
      } else if (arg == "--no-baseline") {
        options.baseline = false;
      } else if (arg == "--serve-cards") {
        serve = value();
      } else if (arg == "--slow-ms") {
        slow_ms = value();
      } else if (arg == "--parent-pid") {
        parent = value();
      } else if (arg == "--help" || arg == "-h") {
        std::fputs(kUsage, stdout);
        return 0;
      } else {
        usage_error("unknown argument \"" + std::string(arg) + "\"");
      }
    }
    if (serve > 0) {
      return serve_cards(serve, 0, std::chrono::milliseconds(slow_ms), static_cast<pid_t>(parent));
    }
    // 127.20.0.0/16 leaves room for 254 * 256 addresses; beyond that they would wrap.
    if (options.peers > 254 * 256) usage_error("--peers: at most 65024");
    // About one poll per round, as serve has with one interval for both (see BenchOptions).
    if (!poll_interval_given) options.poll_interval = options.probe_timeout;
    return run_benchmark(options);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "discovery_bench: %s\n", e.what());
    return 1;
  }
}

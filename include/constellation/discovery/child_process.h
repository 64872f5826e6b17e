#pragma once
/// Runs a short-lived child process (`tailscale status --json`) without blocking the
/// I/O threads: output is read asynchronously, and a deadline kills it.

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "constellation/util/error.h"

namespace constellation::discovery {

struct ProcessOutput {
  int exit_code = -1;  ///< the child's exit status; 128+N when killed by signal N
  std::string out;     ///< everything it wrote to stdout
  std::string err;     ///< everything it wrote to stderr
};

struct ProcessOptions {
  std::chrono::milliseconds timeout{std::chrono::seconds(5)};
  std::size_t max_output = 16u << 20;  ///< per stream; more is an error (and a kill)
};

/// Runs argv (argv[0] searched on PATH), stdin from /dev/null. A non-zero exit is not an
/// error: the caller reads exit_code. Errors: the executable is missing ("tailscale: not
/// found on PATH"), the deadline passed (the child is killed with SIGKILL and reaped:
/// "tailscale status --json: no answer within 5 s"), output over the cap.
/// The child never outlives the call, and no zombie is left behind.
boost::asio::awaitable<Result<ProcessOutput>> run_process(std::vector<std::string> argv,
                                                          ProcessOptions options);

/// The same, for start-up code that is not a coroutine: runs on a private io_context.
Result<ProcessOutput> run_process_sync(std::vector<std::string> argv, ProcessOptions options);

}  // namespace constellation::discovery

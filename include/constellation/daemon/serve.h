#pragma once
/// `constellation serve`: wires the A2A server, the control socket, peer probing and
/// outbound tracking around one io_context, and shuts them down in stages on
/// SIGINT/SIGTERM: stop accepting, let in-flight requests finish, then exit. SIGHUP
/// re-reads the config (live_config.h). Under a Type=notify unit it tells systemd
/// READY=1 once the store is open and both listeners are up (sd_notify.h).

#include <filesystem>

#include "constellation/config/config.h"
#include "constellation/util/error.h"

namespace constellation::daemon {

struct ServeOptions {
  config::Config config;
  /// Where `config` came from: SIGHUP reads it again.
  std::filesystem::path config_path;
  std::filesystem::path store_path;
  std::filesystem::path control_socket;
  /// [security] token_file's token, read by the caller ("" = none).
  std::string bearer_token;
  /// Threads running the io_context (Beast examples use a handful; we need few).
  int io_threads = 2;
  /// Threads for blocking work (SQLite). More than the cores: a durable write waits for its
  /// fsync on one of them, and the writes waiting meanwhile go into one group commit
  /// (store/database.h), so the threads bound how many tasks share an fsync.
  int blocking_threads = 8;
};

/// Runs until a signal arrives. Returns an error when start-up fails (store, bind,
/// another daemon on the control socket); the message names the cause and the fix.
Status serve(const ServeOptions& options);

}  // namespace constellation::daemon

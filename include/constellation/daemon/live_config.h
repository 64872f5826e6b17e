#pragma once
/// The running daemon's config and SIGHUP: re-reads config.toml, applies what can change
/// while serving (config_reload.h says which keys) and logs every change it applied and
/// every one that waits for a restart. A file that does not parse changes nothing.

#include <filesystem>
#include <mutex>
#include <string>

#include "constellation/config/config.h"
#include "constellation/daemon/discovery_sources.h"
#include "constellation/server/a2a_handler.h"

namespace constellation::daemon {

class LiveConfig {
 public:
  struct Targets {
    server::A2aLiveSettings* a2a = nullptr;  ///< the card and the allowlist
    DiscoverySources* sources = nullptr;     ///< static peers
    std::string url;                         ///< our card URL (fixed until restart)
    std::string node_id;
  };
  LiveConfig(config::Config running, std::filesystem::path path, Targets targets);

  /// Re-reads the file and applies it. Never fails: returns one line for systemd's
  /// STATUS= saying what happened ("config reloaded: agent.description" or
  /// "config reload failed: …; still running the previous config").
  std::string reload();

  /// The agent name now on the card. Any thread.
  std::string agent_name() const;

 private:
  mutable std::mutex mutex_;
  config::Config running_;
  const std::filesystem::path path_;
  const Targets targets_;
};

}  // namespace constellation::daemon

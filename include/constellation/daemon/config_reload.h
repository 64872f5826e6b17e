#pragma once
/// What SIGHUP does with a re-read config.toml: which changes the running daemon takes
/// at once and which wait for a restart, and why. Pure, for tests; serve.cc applies it.
///
/// Live: [agent] name, description and skills (the card), [security] allow, [network]
/// peers (static peers). Everything else is fixed for the daemon's lifetime: the bind
/// address and the store are open resources, the token is shared by the server and
/// every outbound call (both must switch together), and the limits, timeouts and
/// discovery sources are set up once when serve starts.

#include <string>
#include <vector>

#include "constellation/config/config.h"

namespace constellation::daemon {

struct ReloadPlan {
  /// Dotted keys whose new values take effect now ("agent.description").
  std::vector<std::string> applied;
  /// One line each: "network.bind: needs a restart (the listening socket stays open)".
  std::vector<std::string> needs_restart;
  /// `running` with the live keys taken from the new file: what the daemon runs on now.
  config::Config effective;
};

ReloadPlan plan_reload(const config::Config& running, const config::Config& fresh);

}  // namespace constellation::daemon

#pragma once
/// How each discovery source is doing, in words for someone who just installed
/// Constellation: what is wrong and what to do about it. `constellation status` shows
/// these; the explanations are pure functions, for tests.

#include <string>

#include <nlohmann/json.hpp>

namespace constellation::daemon {

struct SourceHealth {
  std::string source;  ///< "tailscale", "mdns", "static"
  /// "working", "failed", "starting" (no answer yet), "off" (not configured).
  std::string state;
  /// One sentence: why it failed and what to do, or what it is doing.
  std::string detail;
  /// Tailscale: devices the tailnet lists online; -1 elsewhere or when unknown.
  int devices_online = -1;
};

nlohmann::json health_to_json(const SourceHealth& health);

/// A failed `tailscale status` round (`message` as the poller reports it, e.g.
/// "tailscale: not found on PATH") explained.
std::string explain_tailscale_failure(const std::string& message);

/// Avahi unavailable (`why` as MdnsCallbacks::availability reports it) explained.
std::string explain_mdns_failure(const std::string& why);

}  // namespace constellation::daemon

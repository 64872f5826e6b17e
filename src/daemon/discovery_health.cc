#include "constellation/daemon/discovery_health.h"

#include "constellation/util/concat.h"

namespace constellation::daemon {

namespace {
bool contains(const std::string& text, const char* part) {
  return text.find(part) != std::string::npos;
}
}  // namespace

nlohmann::json health_to_json(const SourceHealth& health) {
  nlohmann::json j = {{"source", health.source}, {"state", health.state}, {"detail", health.detail}};
  if (health.devices_online >= 0) j["devices_online"] = health.devices_online;
  return j;
}

std::string explain_tailscale_failure(const std::string& message) {
  if (contains(message, "not found")) {
    return "not installed (no `tailscale` on PATH) — install Tailscale "
           "(https://tailscale.com/download) or set [network] discovery = [\"mdns\"] in "
           "config.toml";
  }
  if (contains(message, "tailscaled") || contains(message, "connect")) {
    return concat({"the tailscale command cannot reach tailscaled (", message,
                   ") — start it with `sudo systemctl start tailscaled`, or set [network] "
                   "discovery = [\"mdns\"] in config.toml"});
  }
  if (contains(message, "no answer within")) {
    return concat({"`tailscale status` hangs (", message,
                   ") — check tailscaled with `tailscale status`, or set [network] discovery "
                   "= [\"mdns\"] in config.toml"});
  }
  return concat({"`tailscale status` failed: ", message,
                 " — run `tailscale status` yourself to see why, or set [network] discovery "
                 "= [\"mdns\"] in config.toml"});
}

std::string explain_mdns_failure(const std::string& why) {
  const char* fallback = ", or set [network] discovery = [\"tailscale\"] in config.toml";
  // The loader's message already says what to install and what to change.
  if (contains(why, "Avahi client library")) return why;
  if (contains(why, "avahi-daemon is not running")) {
    return concat({"avahi-daemon is not running — start it with `sudo systemctl start "
                   "avahi-daemon` (install the avahi-daemon package if it is missing)",
                   fallback});
  }
  if (contains(why, "D-Bus")) {
    return concat({"avahi-daemon cannot be reached: ", why,
                   " — start the system bus and Avahi with `sudo systemctl start dbus "
                   "avahi-daemon` (install the avahi-daemon package if it is missing)",
                   fallback});
  }
  if (contains(why, "event loop")) {
    return concat({why, "; LAN discovery is off until the daemon restarts — restart it with "
                        "`systemctl --user restart constellation`",
                   fallback});
  }
  return concat({"Avahi reports: ", why,
                 " — check it with `systemctl status avahi-daemon`", fallback});
}

}  // namespace constellation::daemon

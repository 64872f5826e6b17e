#pragma once
/// What `tailscale status --json` and `tailscale ip -4` print, read by pure functions so
/// the tests (and a fuzzer) can call them on fixtures. Every field is optional: older
/// clients lack some and newer ones add others, so unknown fields are ignored.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "constellation/util/error.h"

namespace constellation::discovery {

struct TailscaleNode {
  std::string host_name;           ///< "buildbox"
  std::string dns_name;            ///< "buildbox.tail4f2a9c.ts.net" (trailing dot removed)
  std::string os;                  ///< "linux", "macOS", …
  std::vector<std::string> ipv4;   ///< Tailscale IPv4 addresses, in the order given
  std::vector<std::string> ipv6;
  bool online = false;
  std::vector<std::string> tags;   ///< "tag:a2a-agent", …
  std::int64_t user_id = 0;        ///< exceeds 2^53: never through a double
  std::string login_name;          ///< from the status' User map; "" when absent
};

struct TailscaleStatus {
  /// "Running", "Stopped", "NeedsLogin", "NeedsMachineAuth", "Starting", "NoState", …
  std::string backend_state;
  TailscaleNode self;
  std::vector<TailscaleNode> peers;  ///< sorted by dns_name, then host_name
  std::vector<std::string> health;   ///< tailscale's own health warnings
  bool running() const { return backend_state == "Running"; }
};

/// Parses `tailscale status --json`. Errors are ErrorKind::kInternal (an environment
/// failure) with a message naming the JSON path:
/// "tailscale status --json: Peer.nodekey:…: TailscaleIPs: expected an array".
Result<TailscaleStatus> parse_tailscale_status(std::string_view text);

/// Parses `tailscale ip -4`: the first line that is a dotted-quad IPv4 address.
Result<std::string> parse_tailscale_ip4(std::string_view text);

/// One line for the log when the backend is not Running: what it means and what to do,
/// e.g. "Tailscale is logged out (BackendState NeedsLogin); run 'tailscale up' to log in".
std::string describe_backend_state(const std::string& backend_state);

}  // namespace constellation::discovery

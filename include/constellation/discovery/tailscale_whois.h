#pragma once
/// What `tailscale whois --json <ip>` prints: the tailnet's own word on which node owns
/// an address and who is logged in on it. Read by a pure function so tests and a fuzzer
/// can call it on fixtures; unknown fields are ignored, as in tailscale_status.h.

#include <string>
#include <string_view>
#include <vector>

#include "constellation/util/error.h"

namespace constellation::discovery {

struct TailscaleWhois {
  std::string node_name;  ///< the machine's name in the tailnet ("agent-runner-01")
  std::string dns_name;   ///< "agent-runner-01.tail4f2a9c.ts.net" (trailing dot removed)
  /// The owner's login ("alice@example.com"); "" for a tagged device, whose identity is
  /// its tags (Tailscale reports those under the placeholder login "tagged-devices").
  std::string login_name;
  std::string display_name;        ///< the owner's display name, "" for a tagged device
  std::vector<std::string> tags;   ///< "tag:a2a-agent", …
  std::vector<std::string> addresses;  ///< the node's Tailscale IPs, prefix length removed
};

/// Parses `tailscale whois --json` output. The node's name is its ComputedName, else the
/// first label of Node.Name. Errors (ErrorKind::kInternal) name the JSON path:
/// "tailscale whois --json: Node.Tags[1]: expected a string, got number"; output without
/// a Node, or a Node without any name, is an error too (it identifies nobody).
Result<TailscaleWhois> parse_tailscale_whois(std::string_view text);

}  // namespace constellation::discovery

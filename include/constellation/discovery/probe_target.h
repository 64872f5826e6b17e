#pragma once
/// Where discovery looks for peers, and whether what answers there is believable.
/// Pure functions: the sources (Tailscale, mDNS, config) turn into probe targets here,
/// and a fetched card is checked against the target it came from.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "constellation/a2a/agent_card.h"
#include "constellation/discovery/mdns.h"
#include "constellation/discovery/tailscale_status.h"

namespace constellation::discovery {

struct ProbeTarget {
  std::string base_url;  ///< "http://100.64.0.7:7777": the card is under /.well-known/
  /// Names the probed host also goes by (Tailscale DNS and host names, the mDNS host):
  /// a card may put any of them, or the probed address, in its URL.
  std::vector<std::string> host_aliases;
  /// From mDNS TXT: the card must carry this node id. "" = any.
  std::string expected_node_id;
  /// Static peers are taken as the user wrote them: no check of the card's host.
  bool check_host = true;
  /// Where the target came from, for the log: "tailscale peer buildbox".
  std::string origin;
};

/// One target per online peer's first Tailscale IPv4 address and port; none when the
/// backend is not Running (its peer list is stale then).
std::vector<ProbeTarget> tailscale_targets(const TailscaleStatus& status,
                                           const std::vector<std::uint16_t>& ports);

/// The target for a resolved mDNS service.
ProbeTarget mdns_target(const MdnsPeer& peer);

/// The target for a configured static peer URL.
ProbeTarget static_target(const std::string& url);

/// Why a card fetched from `target` cannot be taken as a peer, or nullopt when it can:
/// a name that is empty, too long or holds control characters (it would corrupt the
/// tab-separated `peers` output); a URL pointing somewhere other than the probed host;
/// a node id other than the one mDNS announced.
std::optional<std::string> check_card(const a2a::AgentCard& card, const ProbeTarget& target);

/// The host part of an http(s) URL, lower-cased, IPv6 brackets and a trailing dot
/// removed; "" when it does not parse.
std::string url_host(const std::string& url);

/// "http://host:port" with no path or trailing slash, IPv6 bracketed.
std::string base_url(const std::string& host, std::uint16_t port);

}  // namespace constellation::discovery

#pragma once
/// Who sent a request, as the network says: the connection's source address and what
/// the tailnet (tailscale whois) or our own discovery knows about it. Never what the
/// request claims about itself (X-A2A-Source-Url): that is kept apart, as a claim.

#include <string>
#include <string_view>
#include <vector>

namespace constellation::security {

/// How a caller's identity was established.
inline constexpr std::string_view kVerifiedByTailscale = "tailscale";  ///< tailscale whois
/// The source address is the one a discovered peer answers on.
inline constexpr std::string_view kVerifiedByDiscovery = "discovery";

struct Caller {
  std::string address;      ///< source IP (IPv4-mapped IPv6 unwrapped); "" when not over TCP
  std::string verified_by;  ///< kVerifiedBy…, "" when nothing vouches for the address
  std::string peer;         ///< the discovered peer (agent name) at that address, "" if none
  std::string node;         ///< the tailnet node name, "" unless verified by Tailscale
  std::string user;         ///< the node owner's tailnet login, "" for tagged devices
  std::vector<std::string> tags;  ///< the node's ACL tags ("tag:server")
  /// Other addresses and host names the network ties to this caller: its Tailscale IPs
  /// and DNS name, the host of the discovered peer's URL. Used to check a callback it
  /// registers; not stored with its tasks.
  std::vector<std::string> hosts;

  bool verified() const { return !verified_by.empty(); }
  bool operator==(const Caller&) const = default;
};

/// The caller for an address nothing vouches for.
Caller unverified_caller(std::string_view address);

/// The address as a caller's key: "::ffff:10.0.0.2" → "10.0.0.2", others unchanged.
std::string normalize_address(std::string_view address);

/// The one name the inbox shows for a caller: the peer's name, else the tailnet node's,
/// else "unverified:<address>" (or "unknown" without an address).
std::string display_name(const Caller& caller);

/// Whether two requests come from the same caller: the same verified tailnet node, else
/// the same source address. Who may touch an existing task (a further turn, its push
/// callback) is decided with this.
bool same_caller(const Caller& a, const Caller& b);

/// The host of an http URL: "http://[fd7a::1]:8080/push" → "fd7a::1",
/// "http://user@host:1/" → "host"; "" when the URL has no authority.
std::string_view url_host(std::string_view url);

/// Whether a push callback URL it registers points back at the caller itself: its host
/// is the caller's source address or one of its `hosts` (case-insensitive). Anything
/// else would let a caller aim our deliveries at a third host.
bool callback_points_at(std::string_view url, const Caller& caller);

}  // namespace constellation::security

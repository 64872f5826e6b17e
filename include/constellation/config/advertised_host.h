#pragma once
/// Which address other peers should use for us (the host in our card URL).

#include <optional>
#include <string>
#include <vector>

#include "constellation/config/config.h"

namespace constellation::config {

struct Interface {
  std::string name;
  std::string ipv4;  ///< dotted quad
  bool up = false;
  bool loopback = false;
};

/// The machine's IPv4 interfaces (getifaddrs).
std::vector<Interface> list_ipv4_interfaces();

/// Whether "auto" needs Tailscale's address: the bind address is not specific and
/// "tailscale" is a discovery method.
bool wants_tailscale_address(const Config& config);

/// Pure decision, testable on made-up interfaces: an explicit advertised_host as given;
/// "auto" → a specific bind address, else `tailscale_ipv4` (what `tailscale ip -4`
/// answered, if it did), else the first up non-loopback IPv4. nullopt and *err when
/// nothing fits.
std::optional<std::string> choose_advertised_host(const Config& config,
                                                  const std::vector<Interface>& interfaces,
                                                  const std::optional<std::string>& tailscale_ipv4,
                                                  std::string* err);

/// "http://HOST:PORT/" with IPv6 literals bracketed.
std::string self_url(const std::string& host, std::uint16_t port);

}  // namespace constellation::config

#include "constellation/security/caller.h"

namespace constellation::security {

Caller unverified_caller(std::string_view address) {
  Caller c;
  c.address = normalize_address(address);
  return c;
}

std::string normalize_address(std::string_view address) {
  constexpr std::string_view kMapped = "::ffff:";
  if (address.size() > kMapped.size() && address.substr(0, kMapped.size()) == kMapped &&
      address.find('.') != std::string_view::npos) {
    address.remove_prefix(kMapped.size());
  }
  return std::string(address);
}

std::string display_name(const Caller& caller) {
  if (!caller.peer.empty()) return caller.peer;
  if (!caller.node.empty()) return caller.node;
  if (!caller.address.empty()) return "unverified:" + caller.address;
  return "unknown";
}

bool same_caller(const Caller& a, const Caller& b) {
  // A tailnet node has an IPv4 and an IPv6 address; whois names it the same on both.
  if (a.verified_by == kVerifiedByTailscale && b.verified_by == kVerifiedByTailscale) {
    return a.node == b.node;
  }
  return !a.address.empty() && a.address == b.address;
}

}  // namespace constellation::security

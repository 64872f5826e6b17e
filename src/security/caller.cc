#include "constellation/security/caller.h"

#include <algorithm>
#include <cctype>

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

namespace {

bool equal_fold(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

}  // namespace

std::string_view url_host(std::string_view url) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return {};
  std::string_view rest = url.substr(scheme_end + 3);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  if (const auto at = rest.rfind('@'); at != std::string_view::npos) rest.remove_prefix(at + 1);
  if (rest.starts_with('[')) {
    const auto close = rest.find(']');
    return close == std::string_view::npos ? std::string_view{} : rest.substr(1, close - 1);
  }
  return rest.substr(0, rest.find(':'));
}

bool callback_points_at(std::string_view url, const Caller& caller) {
  std::string_view host = url_host(url);
  if (host.ends_with('.')) host.remove_suffix(1);  // a fully qualified DNS name
  if (host.empty()) return false;
  if (!caller.address.empty() && equal_fold(normalize_address(host), caller.address)) return true;
  return std::any_of(caller.hosts.begin(), caller.hosts.end(), [host](const std::string& h) {
    std::string_view known = h;
    if (known.ends_with('.')) known.remove_suffix(1);
    return equal_fold(host, known);
  });
}

}  // namespace constellation::security

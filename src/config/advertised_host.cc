#include "constellation/config/advertised_host.h"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>

#include <algorithm>
#include <memory>

namespace constellation::config {

std::vector<Interface> list_ipv4_interfaces() {
  std::vector<Interface> out;
  ifaddrs* raw = nullptr;
  if (::getifaddrs(&raw) != 0) return out;
  std::unique_ptr<ifaddrs, decltype(&::freeifaddrs)> list(raw, &::freeifaddrs);
  for (ifaddrs* it = raw; it; it = it->ifa_next) {
    if (!it->ifa_addr || it->ifa_addr->sa_family != AF_INET) continue;
    char buf[INET_ADDRSTRLEN] = {};
    const auto* sin = reinterpret_cast<const sockaddr_in*>(it->ifa_addr);
    if (!::inet_ntop(AF_INET, &sin->sin_addr, buf, sizeof buf)) continue;
    out.push_back({it->ifa_name ? it->ifa_name : "", buf, (it->ifa_flags & IFF_UP) != 0,
                   (it->ifa_flags & IFF_LOOPBACK) != 0});
  }
  return out;
}

namespace {
bool specific_bind(const Config::Network& net) {
  return net.bind_host != "0.0.0.0" && net.bind_host != "::" && !net.bind_host.empty();
}
}  // namespace

bool wants_tailscale_address(const Config& config) {
  const auto& net = config.network;
  return net.advertised_host == "auto" && !specific_bind(net) &&
         std::find(net.discovery.begin(), net.discovery.end(), "tailscale") != net.discovery.end();
}

std::optional<std::string> choose_advertised_host(const Config& config,
                                                  const std::vector<Interface>& interfaces,
                                                  const std::optional<std::string>& tailscale_ipv4,
                                                  std::string* err) {
  const auto& net = config.network;
  if (net.advertised_host != "auto") return net.advertised_host;
  if (specific_bind(net)) return net.bind_host;
  if (tailscale_ipv4 && !tailscale_ipv4->empty()) return *tailscale_ipv4;
  for (const auto& i : interfaces)
    if (i.up && !i.loopback) return i.ipv4;
  *err = "cannot work out an address other peers can reach (Tailscale gave none and no "
         "network interface is up besides loopback); set [network] advertised_host in the "
         "config";
  return std::nullopt;
}

std::string self_url(const std::string& host, std::uint16_t port) {
  const bool v6 = host.find(':') != std::string::npos;
  return "http://" + (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port) + "/";
}

}  // namespace constellation::config

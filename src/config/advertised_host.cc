#include "constellation/config/advertised_host.h"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>

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

std::optional<std::string> choose_advertised_host(const Config& config,
                                                  const std::vector<Interface>& interfaces,
                                                  std::string* err) {
  const auto& net = config.network;
  if (net.advertised_host != "auto") return net.advertised_host;
  if (net.bind_host != "0.0.0.0" && net.bind_host != "::" && !net.bind_host.empty()) {
    return net.bind_host;
  }
  for (const auto& i : interfaces)
    if (i.up && !i.loopback) return i.ipv4;
  *err = "cannot work out an address other peers can reach (no network interface is up "
         "besides loopback); set [network] advertised_host in the config";
  return std::nullopt;
}

std::string self_url(const std::string& host, std::uint16_t port) {
  const bool v6 = host.find(':') != std::string::npos;
  return "http://" + (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port) + "/";
}

}  // namespace constellation::config

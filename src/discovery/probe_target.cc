#include "constellation/discovery/probe_target.h"

#include <algorithm>
#include <cctype>

#include <boost/url/parse.hpp>

namespace constellation::discovery {
namespace {

constexpr std::size_t kMaxNameBytes = 128;

std::string normalise_host(std::string host) {
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  if (!host.empty() && host.back() == '.') host.pop_back();
  std::transform(host.begin(), host.end(), host.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return host;
}

}  // namespace

std::string url_host(const std::string& url) {
  auto parsed = boost::urls::parse_uri(url);
  if (!parsed) return "";
  return normalise_host(std::string(parsed->encoded_host()));
}

std::string base_url(const std::string& host, std::uint16_t port) {
  const bool v6 = host.find(':') != std::string::npos;
  return "http://" + (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

std::vector<ProbeTarget> tailscale_targets(const TailscaleStatus& status,
                                           const std::vector<std::uint16_t>& ports) {
  std::vector<ProbeTarget> out;
  if (!status.running()) return out;
  for (const auto& node : status.peers) {
    if (!node.online || node.ipv4.empty()) continue;
    for (const auto port : ports) {
      ProbeTarget target;
      target.base_url = base_url(node.ipv4.front(), port);
      for (const auto* alias : {&node.dns_name, &node.host_name}) {
        if (!alias->empty()) target.host_aliases.push_back(normalise_host(*alias));
      }
      for (const auto& ip : node.ipv4) target.host_aliases.push_back(ip);
      target.origin = "tailscale peer " + (node.host_name.empty() ? node.dns_name : node.host_name);
      out.push_back(std::move(target));
    }
  }
  return out;
}

ProbeTarget mdns_target(const MdnsPeer& peer) {
  ProbeTarget target;
  target.base_url = base_url(peer.address, peer.port);
  if (!peer.host_name.empty()) target.host_aliases.push_back(normalise_host(peer.host_name));
  target.expected_node_id = peer.node_id;
  target.origin = "mDNS service '" + peer.instance_name + "'";
  return target;
}

ProbeTarget static_target(const std::string& url) {
  ProbeTarget target;
  target.base_url = url;
  while (!target.base_url.empty() && target.base_url.back() == '/') target.base_url.pop_back();
  target.check_host = false;
  target.origin = "static peer " + target.base_url;
  return target;
}

std::optional<std::string> check_card(const a2a::AgentCard& card, const ProbeTarget& target) {
  if (card.name.empty()) return "its card has an empty name";
  if (card.name.size() > kMaxNameBytes) {
    return "its card's name is longer than " + std::to_string(kMaxNameBytes) + " bytes";
  }
  if (std::any_of(card.name.begin(), card.name.end(),
                  [](unsigned char c) { return c < 0x20 || c == 0x7f; })) {
    return "its card's name contains control characters";
  }
  if (!target.expected_node_id.empty() && card.node_id != target.expected_node_id) {
    return "its card's node id '" + card.node_id + "' is not the one mDNS announced ('" +
           target.expected_node_id + "')";
  }
  if (!target.check_host) return std::nullopt;
  const std::string host = url_host(card.url);
  if (host.empty()) return "its card's URL '" + card.url + "' has no host";
  if (host == url_host(target.base_url)) return std::nullopt;
  if (std::find(target.host_aliases.begin(), target.host_aliases.end(), host) !=
      target.host_aliases.end()) {
    return std::nullopt;
  }
  return "its card's URL '" + card.url + "' points to another host";
}

}  // namespace constellation::discovery

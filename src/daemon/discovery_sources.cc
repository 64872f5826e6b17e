#include "constellation/daemon/discovery_sources.h"

#include <algorithm>

#include <spdlog/spdlog.h>

namespace constellation::daemon {

namespace {
constexpr const char* kTailscale = "tailscale";
constexpr const char* kMdns = "mdns";
constexpr const char* kStatic = "static";

bool has(const std::vector<std::string>& methods, const char* method) {
  return std::find(methods.begin(), methods.end(), method) != methods.end();
}
}  // namespace

DiscoverySources::DiscoverySources(boost::asio::io_context& ioc, discovery::PeerDiscovery& prober,
                                   DiscoverySetup setup)
    : strand_(boost::asio::make_strand(ioc)), prober_(prober), setup_(std::move(setup)) {
  if (has(setup_.methods, kTailscale)) {
    discovery::TailscalePollerOptions options;
    options.executable = setup_.tailscale_executable;
    options.interval = setup_.interval;
    tailscale_ = std::make_unique<discovery::TailscalePoller>(
        strand_, options, [this](Result<discovery::TailscaleStatus> s) { on_tailscale(std::move(s)); });
  }
  if (has(setup_.methods, kMdns)) {
    discovery::MdnsCallbacks callbacks;
    callbacks.found = [this](const discovery::MdnsPeer& p) { on_mdns_found(p); };
    callbacks.lost = [this](const std::string& instance) { on_mdns_lost(instance); };
    mdns_ = std::make_unique<discovery::MdnsService>(strand_, setup_.advert, std::move(callbacks),
                                                     setup_.avahi_library);
  }
}

DiscoverySources::~DiscoverySources() { stop(); }

void DiscoverySources::start() {
  std::vector<discovery::ProbeTarget> statics;
  for (const auto& url : setup_.static_peers) statics.push_back(discovery::static_target(url));
  prober_.set_targets(kStatic, std::move(statics), "removed from config");
  if (tailscale_) tailscale_->start();
  if (mdns_) mdns_->start();
  std::vector<std::string> parts;
  if (tailscale_) parts.emplace_back("tailscale");
  if (mdns_) parts.emplace_back("mdns (as '" + setup_.advert.instance_name + "')");
  if (!setup_.static_peers.empty())
    parts.push_back(std::to_string(setup_.static_peers.size()) + " static peer(s)");
  std::string summary;
  for (const auto& p : parts) summary += (summary.empty() ? "" : ", ") + p;
  spdlog::info("discovery: {}", summary.empty() ? "off (no [network] discovery method, no static peers)" : summary);
}

void DiscoverySources::stop() {
  if (tailscale_) tailscale_->stop();
  if (mdns_) mdns_->stop();
}

void DiscoverySources::on_tailscale(Result<discovery::TailscaleStatus> status) {
  // The poller logs trouble itself, once per condition; here it only sets the targets.
  if (!status) {
    prober_.set_targets(kTailscale, {}, status.error().message);
    return;
  }
  if (!status->running()) {
    prober_.set_targets(kTailscale, {}, discovery::describe_backend_state(status->backend_state));
    return;
  }
  prober_.set_targets(kTailscale, discovery::tailscale_targets(*status, setup_.tailscale_ports),
                      "tailscale no longer lists it online");
}

void DiscoverySources::on_mdns_found(const discovery::MdnsPeer& peer) {
  if (peer.node_id.empty()) {
    spdlog::debug("mDNS service '{}' at {}:{} has no node id; probing it as a plain A2A agent",
                  peer.instance_name, peer.address, peer.port);
  }
  auto target = discovery::mdns_target(peer);
  const std::string previous = mdns_bases_[peer.instance_name];
  mdns_bases_[peer.instance_name] = target.base_url;
  if (!previous.empty() && previous != target.base_url) {
    release_mdns_base(previous, "mDNS service '" + peer.instance_name + "' moved");
  }
  prober_.add_target(kMdns, std::move(target));
}

void DiscoverySources::on_mdns_lost(const std::string& instance) {
  auto it = mdns_bases_.find(instance);
  if (it == mdns_bases_.end()) return;
  const std::string base = it->second;
  mdns_bases_.erase(it);
  release_mdns_base(base, "its mDNS service '" + instance + "' was withdrawn");
}

void DiscoverySources::release_mdns_base(const std::string& base, const std::string& reason) {
  // After a name collision two instance names can point at one address for a while
  // ("twin" moving away, "twin #2" arriving): the address stays a target while any does.
  for (const auto& [instance, other] : mdns_bases_)
    if (other == base) return;
  prober_.remove_target(kMdns, base, reason);
}

}  // namespace constellation::daemon

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

std::string ports_text(const std::vector<std::uint16_t>& ports) {
  std::string out;
  for (auto port : ports) out += (out.empty() ? "" : ", ") + std::to_string(port);
  return out;
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
    callbacks.availability = [this](bool up, const std::string& detail) {
      on_mdns_availability(up, detail);
    };
    mdns_ = std::make_unique<discovery::MdnsService>(strand_, setup_.advert, std::move(callbacks),
                                                     setup_.avahi_library);
  }
  set_health({kTailscale, tailscale_ ? "starting" : "off",
              tailscale_ ? "asking `tailscale status` for the first time"
                         : "not in [network] discovery",
              -1});
  set_health({kMdns, mdns_ ? "starting" : "off",
              mdns_ ? "connecting to avahi-daemon" : "not in [network] discovery", -1});
  set_health({kStatic, "off", "not started yet", -1});
}

DiscoverySources::~DiscoverySources() { stop(); }

void DiscoverySources::set_health(const SourceHealth& health) {
  std::lock_guard lock(health_mutex_);
  health_[health.source] = health;
}

std::vector<SourceHealth> DiscoverySources::health() const {
  std::lock_guard lock(health_mutex_);
  std::vector<SourceHealth> out;
  for (const char* source : {kTailscale, kMdns, kStatic}) out.push_back(health_.at(source));
  return out;
}

void DiscoverySources::set_static_peers(std::vector<std::string> urls) {
  std::vector<discovery::ProbeTarget> statics;
  for (const auto& url : urls) statics.push_back(discovery::static_target(url));
  prober_.set_targets(kStatic, std::move(statics), "removed from config");
  const bool any = !urls.empty();
  set_health({kStatic, any ? "working" : "off",
              any ? std::to_string(urls.size()) + " configured in [network] peers"
                  : "no [network] peers in config.toml",
              -1});
}

void DiscoverySources::start() {
  set_static_peers(setup_.static_peers);
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
    set_health({kTailscale, "failed", explain_tailscale_failure(status.error().message), -1});
    prober_.set_targets(kTailscale, {}, status.error().message);
    return;
  }
  if (!status->running()) {
    const std::string why = discovery::describe_backend_state(status->backend_state);
    set_health({kTailscale, "failed", why, -1});
    prober_.set_targets(kTailscale, {}, why);
    return;
  }
  const auto online = static_cast<int>(
      std::count_if(status->peers.begin(), status->peers.end(),
                    [](const discovery::TailscaleNode& peer) { return peer.online; }));
  set_health({kTailscale, "working",
              std::to_string(online) + " tailnet device(s) online, probed on port(s) " +
                  ports_text(setup_.tailscale_ports),
              online});
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

void DiscoverySources::on_mdns_availability(bool up, const std::string& detail) {
  if (up) {
    set_health({kMdns, "working", "avahi-daemon publishes this agent as '" + detail + "'", -1});
  } else {
    set_health({kMdns, "failed", explain_mdns_failure(detail), -1});
  }
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

#pragma once
/// Connects the discovery sources named in config ([network] discovery, peers) to the
/// card prober: Tailscale's online peers, mDNS services and static URLs become probe
/// targets. A source that is missing or broken costs a warning, never the daemon.

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>

#include "constellation/daemon/discovery_health.h"
#include "constellation/discovery/mdns.h"
#include "constellation/discovery/peer_discovery.h"
#include "constellation/discovery/tailscale_poller.h"

namespace constellation::daemon {

struct DiscoverySetup {
  std::vector<std::string> methods;       ///< "tailscale", "mdns"
  std::vector<std::string> static_peers;  ///< base URLs
  std::vector<std::uint16_t> tailscale_ports;
  std::chrono::milliseconds interval{std::chrono::seconds(30)};
  std::string tailscale_executable = "tailscale";
  discovery::MdnsAdvert advert;
  std::string avahi_library = discovery::kAvahiClientLibrary;
};

class DiscoverySources {
 public:
  DiscoverySources(boost::asio::io_context& ioc, discovery::PeerDiscovery& prober,
                   DiscoverySetup setup);
  ~DiscoverySources();
  DiscoverySources(const DiscoverySources&) = delete;
  DiscoverySources& operator=(const DiscoverySources&) = delete;

  void start();
  void stop();

  /// Replaces the static peers (a config reload). Any thread.
  void set_static_peers(std::vector<std::string> urls);

  /// One entry per source (tailscale, mdns, static), configured or not. Any thread.
  std::vector<SourceHealth> health() const;

 private:
  void on_tailscale(Result<discovery::TailscaleStatus> status);
  void on_mdns_found(const discovery::MdnsPeer& peer);
  void on_mdns_lost(const std::string& instance);
  void on_mdns_availability(bool up, const std::string& detail);
  void set_health(const SourceHealth& health);
  /// Withdraws `base` as an mDNS target unless another instance still resolves to it.
  void release_mdns_base(const std::string& base, const std::string& reason);

  /// Every source callback runs here, so the maps below need no lock.
  boost::asio::strand<boost::asio::io_context::executor_type> strand_;
  discovery::PeerDiscovery& prober_;
  DiscoverySetup setup_;
  std::unique_ptr<discovery::TailscalePoller> tailscale_;
  std::unique_ptr<discovery::MdnsService> mdns_;
  /// mDNS instance name → the address it resolved to.
  std::map<std::string, std::string> mdns_bases_;
  /// Written on the strand, read by the control socket's threads.
  mutable std::mutex health_mutex_;
  std::map<std::string, SourceHealth> health_;
};

}  // namespace constellation::daemon

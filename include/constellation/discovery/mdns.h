#pragma once
/// mDNS/DNS-SD over Avahi: publishes this peer as `_a2a._tcp` and browses for others.
/// Avahi runs its own threaded poll; every callback below is posted to the executor
/// given at construction, so the rest of the daemon never sees Avahi's thread.
///
/// Never fails at start: no avahi-daemon, no D-Bus, or a daemon that dies later is one
/// warning, then the service keeps retrying and re-publishes when Avahi comes back.
/// Avahi's client library is loaded at start(); when it cannot be loaded, that is one
/// warning and the service stays off for good (no retry: a library does not appear).

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include <boost/asio/any_io_executor.hpp>

namespace constellation::discovery {

inline constexpr const char* kMdnsServiceType = "_a2a._tcp";

/// The Avahi client library loaded at start (src/discovery/avahi_api.h): libavahi-client3's
/// soname. It depends on libavahi-common.so.3 and libdbus, which the dynamic loader brings
/// in with it; dlsym on its handle finds their functions too.
inline constexpr const char* kAvahiClientLibrary = "libavahi-client.so.3";

/// What we publish. TXT records: name=<agent name>, node=<node id>, path=<card path>,
/// protocols=<comma-separated A2A protocol versions we serve>.
struct MdnsAdvert {
  std::string instance_name;  ///< usually the agent name; Avahi's alternative on collision
  std::uint16_t port = 0;
  std::string agent_name;
  std::string node_id;
  std::string card_path = "/.well-known/agent-card.json";
  std::string protocols = "legacy";
};

/// A resolved service of another peer (IPv4 only).
struct MdnsPeer {
  std::string instance_name;  ///< the DNS-SD instance name, the key for `lost`
  std::string host_name;      ///< "host.local"
  std::string address;        ///< dotted quad
  std::uint16_t port = 0;
  std::string agent_name;     ///< TXT name= ("" when absent)
  std::string node_id;        ///< TXT node= ("" when absent: not a Constellation peer)
  std::string card_path;      ///< TXT path= ("" when absent)
  std::map<std::string, std::string> txt;  ///< every TXT key=value
};

struct MdnsCallbacks {
  /// A service was resolved (again: called on every re-resolution, e.g. a new address).
  /// Our own service (same node id) is never reported.
  std::function<void(const MdnsPeer&)> found;
  /// A service instance was withdrawn.
  std::function<void(const std::string& instance_name)> lost;
  /// Avahi became usable (`up`, `detail` = the name we publish as) or not (`detail` =
  /// why, in Avahi's words: "avahi-daemon is not running", "no D-Bus system bus: …").
  /// For `constellation status`; called on every change, and again while still down.
  std::function<void(bool up, const std::string& detail)> availability;
};

class MdnsService {
 public:
  /// `avahi_library`: the soname or path of libavahi-client to load ([discovery]
  /// avahi_library in config.toml).
  MdnsService(boost::asio::any_io_executor executor, MdnsAdvert advert, MdnsCallbacks callbacks,
              std::string avahi_library = kAvahiClientLibrary);
  ~MdnsService();  ///< stops: withdraws the service and joins Avahi's thread
  MdnsService(const MdnsService&) = delete;
  MdnsService& operator=(const MdnsService&) = delete;

  void start();
  void stop();

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace constellation::discovery

#pragma once
/// MdnsService's insides, shared by mdns_service.cc (connection to Avahi, start/stop),
/// mdns_publish.cc (our entry group) and mdns_browse.cc (browser and resolvers).
///
/// Threading: every member below is touched only on Avahi's poll thread (its callbacks and
/// the retry timer) or by start()/stop() while holding avahi_threaded_poll_lock. The only
/// things that leave that thread are handlers posted to `executor_`, which hold `sink_`
/// and never `this`.

#include <spdlog/spdlog.h>

#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <chrono>
#include <cstdint>
#include <exception>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "constellation/discovery/mdns.h"
#include "mdns_avahi.h"
#include "mdns_peer_table.h"

namespace constellation::discovery {

/// What posted handlers need; outlives the service if handlers are still queued.
struct MdnsSink {
  explicit MdnsSink(MdnsCallbacks c) : callbacks(std::move(c)) {}
  MdnsCallbacks callbacks;
  std::atomic<bool> open{true};  ///< false once stop() began: queued handlers do nothing
};

/// A long-lived resolver; Avahi calls it again whenever the service's records change.
struct MdnsResolution {
  AvahiResolverPtr resolver;
  bool answered = false;  ///< it reported once; a second report means "records changed"
};

/// Everything tied to one avahi_client_new; thrown away whole when the connection fails.
struct MdnsSession {
  AvahiClientPtr client;  ///< first member: destroyed last, after the objects it owns
  AvahiGroupPtr group;
  AvahiBrowserPtr browser;
  bool browser_failed = false;  ///< freed and re-created by the retry timer, not in its callback
  std::map<MdnsInstanceKey, MdnsResolution> resolvers;
  std::set<MdnsInstanceKey> unresolved;  ///< to resolve afresh when the retry timer fires
};

struct MdnsService::Impl {
  /// No bus: how often avahi_client_new is tried again. Also the retry for a failed
  /// browser or resolution.
  static constexpr std::chrono::milliseconds kRetryInterval{3000};
  /// After a lost connection: reconnect soon; NO_FAIL then waits for the daemon itself.
  static constexpr std::chrono::milliseconds kReconnectDelay{100};
  /// A service's records changed: resolve it afresh after this pause (see on_resolve).
  static constexpr std::chrono::milliseconds kRefreshDelay{250};
  /// Bound on renames in one go (each is one more " #N" tried against the same daemon).
  static constexpr int kMaxRenames = 32;

  Impl(boost::asio::any_io_executor executor, MdnsAdvert advert, MdnsCallbacks callbacks,
       std::string avahi_library);
  ~Impl();

  /// The loaded Avahi functions; valid from a successful start() until the Impl dies.
  const AvahiApi& av() const { return avahi_->api(); }

  void start();
  void stop();

  // mdns_service.cc: the connection.
  void connect();
  void on_client_state(AvahiClient* c, AvahiClientState state);
  void on_retry();
  void arm_retry(std::chrono::milliseconds delay);
  void drop_session();
  void note_unavailable(const std::string& why);
  void note_published();

  // mdns_publish.cc
  void publish(AvahiClient* c);
  void add_and_commit(AvahiEntryGroup* g);
  void rename();
  void on_group_state(AvahiEntryGroup* g, AvahiEntryGroupState state);

  // mdns_browse.cc
  void browse(AvahiClient* c);
  void resolve(AvahiClient* c, const MdnsInstanceKey& key);
  void on_browse(AvahiServiceBrowser* b, AvahiIfIndex interface, AvahiProtocol protocol,
                 AvahiBrowserEvent event, const char* name, const char* domain);
  void on_resolve(AvahiServiceResolver* r, AvahiIfIndex interface, AvahiProtocol protocol,
                  AvahiResolverEvent event, const char* name, const char* domain,
                  const char* host_name, const AvahiAddress* address, std::uint16_t port,
                  AvahiStringList* txt);
  void lose_all();
  void post_found(MdnsPeer peer);
  void post_lost(std::string name);
  void post_availability(bool up, std::string detail);

  enum class Availability { kUnknown, kUp, kDown };

  boost::asio::any_io_executor executor_;
  const MdnsAdvert advert_;
  const MdnsCallbacks callbacks_;
  const std::vector<std::string> txt_;
  const std::string avahi_library_;  ///< what start() loads (avahi_api.h)
  std::string instance_name_;  ///< what we publish; Avahi's alternative after a collision
  std::shared_ptr<MdnsSink> sink_;
  MdnsPeerTable peers_;
  Availability availability_ = Availability::kUnknown;
  bool browse_warned_ = false;  ///< one warning per run of browser failures
  /// Declared before every Avahi handle: the table must outlive them all. Kept after
  /// stop(), so a later start() does not load it again.
  std::shared_ptr<const AvahiLibrary> avahi_;
  bool load_failed_ = false;  ///< the library could not be loaded: mDNS stays off
  AvahiPollPtr poll_;
  AvahiTimeoutPtr retry_;
  /// When retry_ fires; unset when it is not armed. Arming never postpones it.
  std::optional<std::chrono::steady_clock::time_point> retry_due_;
  std::unique_ptr<MdnsSession> session_;  ///< null between a lost client and the reconnect
};

/// Runs an Avahi callback body: the C frames above it must never see an exception.
template <class F>
void guarded(const char* what, F&& f) noexcept {
  try {
    f();
  } catch (const std::exception& e) {
    spdlog::error("mDNS: {}: {}", what, e.what());
  } catch (...) {
    spdlog::error("mDNS: {}: unknown exception", what);
  }
}

}  // namespace constellation::discovery

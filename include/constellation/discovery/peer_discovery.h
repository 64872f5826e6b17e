#pragma once
/// The card prober at the heart of discovery. Sources (Tailscale, mDNS, static config)
/// hand it probe targets; every interval (the first round at start-up) it fetches every
/// target's card concurrently, each with its own deadline, and records each round in the
/// store in one transaction: who answered (and how fast), who went quiet, who has been
/// quiet long enough to forget. A target added between rounds is probed at once.

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/io_context.hpp>

#include "constellation/discovery/probe_target.h"
#include "constellation/store/database.h"

namespace constellation::discovery {

struct DiscoveryOptions {
  std::chrono::milliseconds interval{std::chrono::seconds(30)};
  std::chrono::milliseconds probe_timeout{std::chrono::seconds(2)};
  std::chrono::milliseconds prune_after{std::chrono::minutes(5)};
  std::string self_url;      ///< our card URL: a target answering with it is us
  std::string self_node_id;  ///< likewise
};

/// What one round did, for the log, tests and the benchmark.
struct RoundReport {
  std::size_t targets = 0;
  std::size_t answered = 0;
  std::chrono::milliseconds elapsed{};  ///< first probe sent → round stored
};

class PeerDiscovery {
 public:
  PeerDiscovery(boost::asio::io_context& ioc, boost::asio::any_io_executor blocking,
                store::Database& db, DiscoveryOptions options);
  ~PeerDiscovery();
  PeerDiscovery(const PeerDiscovery&) = delete;
  PeerDiscovery& operator=(const PeerDiscovery&) = delete;

  void start();
  void stop();

  /// Replaces every target `source` offers. Peers last seen at a dropped target go
  /// offline at once, with `reason`; new targets are probed at once. Thread-safe.
  void set_targets(std::string source, std::vector<ProbeTarget> targets, std::string reason);
  /// Adds (or refreshes) one target and probes it at once. Thread-safe.
  void add_target(std::string source, ProbeTarget target);
  /// Withdraws one target of `source`; its peer goes offline unless another source
  /// still offers the same address. Thread-safe.
  void remove_target(std::string source, std::string base_url, std::string reason);

  /// Called on the discovery strand after every periodic round.
  void on_round(std::function<void(const RoundReport&)> callback);

  struct State;

 private:
  std::shared_ptr<State> state_;
};

}  // namespace constellation::discovery

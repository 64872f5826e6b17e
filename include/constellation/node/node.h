#pragma once
/// What this peer does, independent of who asks: the daemon runs these operations for
/// the verbs, and the verbs run them directly when no daemon answers. Every call is
/// synchronous (store and network); the daemon runs them on its blocking pool.

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "constellation/store/database.h"
#include "constellation/store/inbound_tasks.h"
#include "constellation/store/outbound_tasks.h"
#include "constellation/store/peers.h"
#include "constellation/util/error.h"

namespace constellation::node {

/// How long one request to a peer may take, connect to last byte.
inline constexpr std::chrono::milliseconds kPeerRequestTimeout{std::chrono::seconds(15)};

class Node {
 public:
  /// Our card URL, which legacy peers see in X-A2A-Source-Url. A function, because
  /// working it out may ask `tailscale ip -4`: only a send should pay for that.
  using SelfUrl = std::function<std::string()>;
  Node(store::Database& db, std::string self_url);
  Node(store::Database& db, SelfUrl self_url);

  Result<std::vector<store::PeerRecord>> peers();

  /// The peer `name` designates (see peer_names.h): kUnknownPeer or kAmbiguousPeer.
  Result<store::PeerRecord> resolve_peer(const std::string& name);

  /// Sends `text` as a new task and returns its id. The task is stored before it leaves
  /// (so an answer can never arrive for a task we forgot) and removed if the peer does
  /// not take it.
  Result<std::string> send(const std::string& peer_name, const std::string& text);

  Result<std::vector<store::InboundTask>> inbox();
  Result<store::InboundTask> respond(const std::string& id, const std::string& text, bool failed);

  /// The outbound task as stored.
  Result<store::OutboundTask> outbound(const std::string& id);
  /// Asks the peer for the task's state once and stores what it says.
  Result<store::OutboundTask> refresh(const std::string& id);

 private:
  store::Database& db_;
  SelfUrl self_url_;
};

}  // namespace constellation::node

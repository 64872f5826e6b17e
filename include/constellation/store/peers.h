#pragma once
/// Table `peers`: every peer discovery has seen, keyed by its identity (the node id on
/// its card), so a peer that changes address keeps its row, and two peers that share a
/// name keep one row each.

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "constellation/a2a/timestamp.h"
#include "constellation/store/database.h"
#include "constellation/util/error.h"

namespace constellation::store {

struct PeerRecord {
  std::string key;        ///< node id, or "url:" + card URL for peers without one
  std::string node_id;    ///< from the card; "" for the Rust original and other agents
  std::string name;       ///< the card's name
  std::string url;        ///< the card's JSON-RPC endpoint
  std::string probe_url;  ///< where its card last answered ("http://127.0.0.3:7777")
  std::string description;
  std::vector<std::string> skills;   ///< skill names
  std::string card_json;             ///< the card as received
  std::vector<std::string> sources;  ///< how it was found: "tailscale", "mdns", "static"
  a2a::Timestamp first_seen{};
  a2a::Timestamp last_seen{};   ///< last successful probe
  a2a::Timestamp last_probe{};  ///< last probe, whatever its outcome
  bool online = false;
  std::optional<std::int64_t> latency_ms;  ///< of the last successful probe
  std::string last_error;  ///< why the last probe failed; empty when it succeeded
};

/// The key a card gives a peer.
std::string peer_key(const std::string& node_id, const std::string& card_url);

/// A successful probe. `peer.sources` names the source that led to it; it is added to
/// the ones already recorded.
struct PeerSeen {
  PeerRecord peer;
};
/// The peer(s) last seen at `probe_url` stopped answering, or their source dropped them.
struct PeerDown {
  std::string probe_url;
  std::string error;
  a2a::Timestamp at{};
};
using PeerUpdate = std::variant<PeerSeen, PeerDown>;

class PeerTable {
 public:
  explicit PeerTable(Database& db) : db_(db) {}

  /// Applies a discovery round in one transaction. A sighting takes the row's place
  /// (first_seen kept, sources merged) and takes offline any other row still claiming
  /// the same probe URL or card URL: whoever answers there now is the truth.
  Status apply(const std::vector<PeerUpdate>& updates);
  Status upsert_seen(const PeerRecord& peer) { return apply({PeerSeen{peer}}); }
  Status mark_offline(const std::string& probe_url, const std::string& error,
                      a2a::Timestamp at = {}) {
    return apply({PeerDown{probe_url, error, at}});
  }
  /// At daemon start: nothing is known to answer until this run's probes say so.
  Status mark_all_offline(const std::string& reason);
  /// Deletes offline peers last seen before `cutoff` (never-seen rows count from their
  /// last probe). Returns the names removed.
  Result<std::vector<std::string>> prune(a2a::Timestamp cutoff);
  /// All peers, ordered by name then key.
  Result<std::vector<PeerRecord>> list();
  /// The peer whose card URL or probe URL is `url` (trailing '/' ignored).
  Result<std::optional<PeerRecord>> find_by_url(const std::string& url);

 private:
  Database& db_;
};

}  // namespace constellation::store

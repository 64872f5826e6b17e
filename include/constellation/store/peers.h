#pragma once
/// Table `peers`: every peer we have seen, keyed by the URL we probe it at.

#include <optional>
#include <string>
#include <vector>

#include "constellation/a2a/timestamp.h"
#include "constellation/store/database.h"
#include "constellation/util/error.h"

namespace constellation::store {

struct PeerRecord {
  std::string probe_url;  ///< where we fetch the card ("http://127.0.0.3:7777"); key
  std::string name;       ///< the card's name
  std::string url;        ///< the card's JSON-RPC endpoint
  std::string description;
  std::vector<std::string> skills;  ///< skill names
  std::string card_json;            ///< the card as received
  std::string source;               ///< "static" (later also "tailscale", "mdns")
  a2a::Timestamp first_seen{};
  a2a::Timestamp last_seen{};  ///< last successful probe
  bool online = false;
  std::string last_error;  ///< why the last probe failed; empty when it succeeded
};

class PeerTable {
 public:
  explicit PeerTable(Database& db) : db_(db) {}

  /// Records a successful probe: inserts, or updates everything but first_seen.
  Status upsert_seen(const PeerRecord& peer);
  /// Records a failed probe of a known peer (no-op for an unknown probe_url).
  Status mark_offline(const std::string& probe_url, const std::string& error);
  /// At daemon start: nothing is known to answer until this run's probes say so.
  Status mark_all_offline(const std::string& reason);
  /// All peers, ordered by name then probe_url.
  Result<std::vector<PeerRecord>> list();
  /// The peer whose card URL or probe URL is `url` (trailing '/' ignored).
  Result<std::optional<PeerRecord>> find_by_url(const std::string& url);

 private:
  Database& db_;
};

}  // namespace constellation::store

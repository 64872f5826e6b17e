#pragma once
/// What the store says about this peer's mesh, for `constellation status`: peers
/// online/total (also per discovery source), open inbound tasks, outbound tasks not yet
/// ended. The same numbers whether the daemon answers or the store is read directly.

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "constellation/store/database.h"
#include "constellation/store/peers.h"
#include "constellation/util/error.h"

namespace constellation::node {

struct PeerCount {
  std::size_t online = 0;
  std::size_t total = 0;
};

struct StoreOverview {
  PeerCount peers;
  std::map<std::string, PeerCount> peers_by_source;  ///< "tailscale", "mdns", "static"
  std::size_t inbox_open = 0;          ///< inbound tasks awaiting our answer
  std::size_t outbound_in_flight = 0;  ///< our tasks to peers not yet ended
};

/// Pure: the peer counts of a peer list.
void count_peers(const std::vector<store::PeerRecord>& peers, StoreOverview& out);

Result<StoreOverview> store_overview(store::Database& db);

/// {"peers":{"online","total","by_source":{…}},"inbox":{"open"},"outbound":{"in_flight"}}
nlohmann::json overview_to_json(const StoreOverview& overview);

}  // namespace constellation::node

#include "constellation/node/overview.h"

#include "constellation/store/inbound_tasks.h"
#include "constellation/store/outbound_tasks.h"

namespace constellation::node {

void count_peers(const std::vector<store::PeerRecord>& peers, StoreOverview& out) {
  for (const auto& peer : peers) {
    ++out.peers.total;
    if (peer.online) ++out.peers.online;
    for (const auto& source : peer.sources) {
      auto& count = out.peers_by_source[source];
      ++count.total;
      if (peer.online) ++count.online;
    }
  }
}

Result<StoreOverview> store_overview(store::Database& db) {
  StoreOverview out;
  auto peers = store::PeerTable(db).list();
  if (!peers) return peers.error();
  count_peers(*peers, out);
  auto inbox = store::InboundTasks(db).list_open();
  if (!inbox) return inbox.error();
  out.inbox_open = inbox->size();
  auto outbound = store::OutboundTasks(db).list_active();
  if (!outbound) return outbound.error();
  out.outbound_in_flight = outbound->size();
  return out;
}

nlohmann::json overview_to_json(const StoreOverview& overview) {
  nlohmann::json by_source = nlohmann::json::object();
  for (const auto& [source, count] : overview.peers_by_source) {
    by_source[source] = {{"online", count.online}, {"total", count.total}};
  }
  return {{"peers",
           {{"online", overview.peers.online},
            {"total", overview.peers.total},
            {"by_source", by_source}}},
          {"inbox", {{"open", overview.inbox_open}}},
          {"outbound", {{"in_flight", overview.outbound_in_flight}}}};
}

}  // namespace constellation::node

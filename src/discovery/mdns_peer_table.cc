#include "mdns_peer_table.h"

#include "mdns_txt.h"

namespace constellation::discovery {

void MdnsPeerTable::add(const MdnsInstanceKey& key) {
  if (instances_.insert(key).second) ++names_[key.name].instances;
}

MdnsUpdate MdnsPeerTable::resolved(const MdnsInstanceKey& key, const MdnsPeer& peer) {
  if (!instances_.contains(key)) return {};
  Name& name = names_[key.name];
  if (!own_node_id_.empty() && peer.node_id == own_node_id_) {
    if (!name.reported) return {};
    name.reported.reset();
    MdnsUpdate update;
    update.lost = key.name;
    return update;
  }
  if (name.reported && same_resolution(*name.reported, peer)) return {};
  name.reported = peer;
  MdnsUpdate update;
  update.found = peer;
  return update;
}

std::optional<std::string> MdnsPeerTable::remove(const MdnsInstanceKey& key) {
  if (instances_.erase(key) == 0) return std::nullopt;
  auto it = names_.find(key.name);
  if (it == names_.end() || --it->second.instances > 0) return std::nullopt;
  bool was_reported = it->second.reported.has_value();
  names_.erase(it);
  if (!was_reported) return std::nullopt;
  return key.name;
}

std::vector<std::string> MdnsPeerTable::clear() {
  std::vector<std::string> lost;
  for (const auto& [name, entry] : names_)
    if (entry.reported) lost.push_back(name);
  instances_.clear();
  names_.clear();
  return lost;
}

}  // namespace constellation::discovery

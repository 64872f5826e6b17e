#pragma once
/// Turns Avahi's browse and resolve events into the found/lost events MdnsService
/// promises. Avahi reports a service once per interface × protocol and re-resolves it
/// whenever its records are refreshed; listeners want one `found` per real change and one
/// `lost` when the last copy of a name disappears. Pure bookkeeping, no Avahi types.

#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "constellation/discovery/mdns.h"

namespace constellation::discovery {

/// One browse result: the same name seen on one interface with one protocol.
struct MdnsInstanceKey {
  int interface = 0;
  int protocol = 0;
  std::string name;
  std::string domain;
  friend bool operator<(const MdnsInstanceKey& a, const MdnsInstanceKey& b) {
    return std::tie(a.interface, a.protocol, a.name, a.domain) <
           std::tie(b.interface, b.protocol, b.name, b.domain);
  }
};

/// What one resolution means for listeners: at most one of the two is set.
struct MdnsUpdate {
  std::optional<MdnsPeer> found;
  std::optional<std::string> lost;
};

class MdnsPeerTable {
 public:
  /// Services whose TXT node= equals `own_node_id` are ours and never reported.
  explicit MdnsPeerTable(std::string own_node_id) : own_node_id_(std::move(own_node_id)) {}

  /// A browse "new" event; nothing to report until it resolves.
  void add(const MdnsInstanceKey& key);
  /// A resolution of `key`: found when it tells something new about another peer; lost
  /// when a name we reported now resolves to our own service (after a collision the
  /// other peer was renamed and we hold the name); nothing when it is unchanged, ours, or
  /// the key is unknown (removed meanwhile).
  MdnsUpdate resolved(const MdnsInstanceKey& key, const MdnsPeer& peer);
  /// A browse "remove" event: the instance name to report as lost when this was the last
  /// instance of a name that had been reported found.
  std::optional<std::string> remove(const MdnsInstanceKey& key);
  /// The connection to Avahi is gone, so every instance is: the names to report as lost.
  std::vector<std::string> clear();

 private:
  struct Name {
    int instances = 0;
    std::optional<MdnsPeer> reported;  ///< last peer passed to `found`; unset: none yet
  };
  std::string own_node_id_;
  std::set<MdnsInstanceKey> instances_;
  std::map<std::string, Name> names_;  ///< by instance name (the key of `lost`)
};

}  // namespace constellation::discovery

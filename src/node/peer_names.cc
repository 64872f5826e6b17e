#include "constellation/node/peer_names.h"

#include <algorithm>
#include <map>

#include "constellation/discovery/probe_target.h"

namespace constellation::node {
namespace {

std::string host_of(const store::PeerRecord& p) {
  std::string host = discovery::url_host(p.url);
  return host.empty() ? p.url : host;
}

std::string host_port_of(const store::PeerRecord& p) {
  // The authority as the URL spells it, without scheme and path.
  std::string rest = p.url.substr(p.url.find("://") == std::string::npos ? 0 : p.url.find("://") + 3);
  return rest.substr(0, rest.find('/'));
}

Error ambiguous(const std::string& wanted, const std::vector<store::PeerRecord>& all,
                const std::vector<std::string>& handles, bool online_only) {
  std::string list;
  for (std::size_t i = 0; i < all.size(); ++i) {
    if (all[i].name != wanted || (online_only && !all[i].online)) continue;
    list += (list.empty() ? "" : ", ") + handles[i];
  }
  return make_error(ErrorKind::kAmbiguousPeer,
                    "several peers are called '" + wanted + "': " + list +
                        "; send to one of these names exactly as written");
}

}  // namespace

std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::vector<std::string> peer_handles(const std::vector<store::PeerRecord>& peers) {
  std::map<std::string, int> by_name, by_name_host;
  for (const auto& p : peers) {
    ++by_name[p.name];
    ++by_name_host[p.name + "@" + host_of(p)];
  }
  std::vector<std::string> out;
  out.reserve(peers.size());
  for (const auto& p : peers) {
    if (by_name[p.name] == 1) {
      out.push_back(p.name);
    } else if (by_name_host[p.name + "@" + host_of(p)] == 1) {
      out.push_back(p.name + "@" + host_of(p));
    } else {
      out.push_back(p.name + "@" + host_port_of(p));
    }
  }
  return out;
}

Result<store::PeerRecord> pick_peer(const std::vector<store::PeerRecord>& peers,
                                    const std::string& wanted) {
  const auto handles = peer_handles(peers);
  std::vector<std::size_t> online, any;
  for (std::size_t i = 0; i < peers.size(); ++i) {
    if (peers[i].name != wanted) continue;
    any.push_back(i);
    if (peers[i].online) online.push_back(i);
  }
  // A plain name: one peer answering now wins (a stale row of a peer that moved must
  // not block it); offline peers still resolve, and the send then says "unreachable".
  if (online.size() == 1) return peers[online.front()];
  if (online.size() > 1) return ambiguous(wanted, peers, handles, true);
  if (any.size() == 1) return peers[any.front()];
  if (any.size() > 1) return ambiguous(wanted, peers, handles, false);

  // name@host or name@host:port, whether or not the listing needed it.
  if (const auto at = wanted.rfind('@'); at != std::string::npos) {
    const std::string name = wanted.substr(0, at), where = wanted.substr(at + 1);
    std::vector<std::size_t> hits;
    for (std::size_t i = 0; i < peers.size(); ++i) {
      if (peers[i].name == name && (host_of(peers[i]) == where || host_port_of(peers[i]) == where))
        hits.push_back(i);
    }
    if (hits.size() == 1) return peers[hits.front()];
    for (std::size_t i = 0; i < peers.size(); ++i)
      if (handles[i] == wanted) return peers[i];
  }

  if (peers.empty()) {
    return make_error(ErrorKind::kUnknownPeer,
                      "unknown peer '" + wanted +
                          "': no peers discovered yet; check that the daemon runs "
                          "('constellation serve') and retry 'constellation peers' in 30 s");
  }
  std::string known;
  std::size_t best = std::string::npos, closest = 0;
  for (std::size_t i = 0; i < peers.size(); ++i) {
    known += (known.empty() ? "" : ", ") + handles[i];
    const std::size_t d = edit_distance(wanted, handles[i]);
    if (d < best) best = d, closest = i;
  }
  std::string hint;
  if (best <= std::max<std::size_t>(2, wanted.size() / 3)) {
    hint = "did you mean '" + handles[closest] + "'? ";
  }
  return make_error(ErrorKind::kUnknownPeer,
                    "unknown peer '" + wanted + "'; " + hint + "known peers: " + known);
}

}  // namespace constellation::node

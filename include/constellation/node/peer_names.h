#pragma once
/// How peers are named on the command line. A peer goes by its card's name; when
/// several peers share a name, each goes by name@host (name@host:port if they share the
/// host too), so none shadows another and `send` never guesses.

#include <string>
#include <vector>

#include "constellation/store/peers.h"
#include "constellation/util/error.h"

namespace constellation::node {

/// The handle of each of `peers` (same order), unique within the list.
std::vector<std::string> peer_handles(const std::vector<store::PeerRecord>& peers);

/// The peer `wanted` names: a handle, or a plain name that only one peer answering now
/// (else only one known peer) carries. kAmbiguousPeer lists the candidates' handles;
/// kUnknownPeer lists the known names and the closest one.
Result<store::PeerRecord> pick_peer(const std::vector<store::PeerRecord>& peers,
                                    const std::string& wanted);

/// Levenshtein distance, for "did you mean".
std::size_t edit_distance(const std::string& a, const std::string& b);

}  // namespace constellation::node

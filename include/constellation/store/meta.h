#pragma once
/// Table `meta`: facts about this node that must survive restarts.

#include <string>

#include "constellation/store/database.h"
#include "constellation/util/error.h"

namespace constellation::store {

/// This node's id: a random UUID made the first time it is asked for and kept in the
/// store, so it outlives config edits and address changes. Peers use it to recognise us
/// (on our card and in mDNS) whatever our name or URL.
Result<std::string> node_id(Database& db);

}  // namespace constellation::store

#pragma once
/// This peer as others see it: the agent card built from config.toml.

#include <string>

#include "constellation/a2a/agent_card.h"
#include "constellation/config/config.h"
#include "constellation/util/error.h"

namespace constellation::node {

struct Identity {
  a2a::AgentCard card;
  std::string url;  ///< == card.url
};

/// Resolves the advertised host (see config/advertised_host.h) and builds the card.
Result<Identity> load_identity(const config::Config& config);
a2a::AgentCard make_card(const config::Config& config, const std::string& url);

}  // namespace constellation::node

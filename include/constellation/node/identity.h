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

/// Resolves the advertised host (see config/advertised_host.h; asks `tailscale ip -4`
/// when "auto" needs it) and builds the card, carrying `node_id` when given.
Result<Identity> load_identity(const config::Config& config, const std::string& node_id = "");

/// The one skill a card lists when the config names none (A2A v0.3/v1.0 require one).
inline constexpr const char* kGeneralSkill = "general";
a2a::AgentCard make_card(const config::Config& config, const std::string& url,
                         const std::string& node_id = "");

}  // namespace constellation::node

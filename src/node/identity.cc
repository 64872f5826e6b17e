#include "constellation/node/identity.h"

#include "constellation/config/advertised_host.h"

namespace constellation::node {

a2a::AgentCard make_card(const config::Config& config, const std::string& url) {
  a2a::AgentCard card;
  card.name = config.agent.name;
  card.description = config.agent.description;
  card.url = url;
  card.version = CONSTELLATION_VERSION;
  for (const auto& s : config.agent.skills) card.skills.push_back(a2a::skill_from_name(s));
  return card;
}

Result<Identity> load_identity(const config::Config& config) {
  std::string err;
  auto host = config::choose_advertised_host(config, config::list_ipv4_interfaces(), &err);
  if (!host) return make_error(ErrorKind::kConfig, err);
  const std::string url = config::self_url(*host, config.network.bind_port);
  return Identity{make_card(config, url), url};
}

}  // namespace constellation::node

#include "constellation/node/identity.h"

#include "constellation/config/advertised_host.h"
#include "constellation/discovery/tailscale_poller.h"

namespace constellation::node {

namespace {
constexpr std::chrono::seconds kTailscaleAddressTimeout{3};
}  // namespace

a2a::AgentCard make_card(const config::Config& config, const std::string& url,
                         const std::string& node_id) {
  a2a::AgentCard card;
  card.name = config.agent.name;
  card.description = config.agent.description;
  card.url = url;
  card.version = CONSTELLATION_VERSION;
  card.node_id = node_id;
  card.streaming = true;  // message/stream, SubscribeToTask & co. (server/task_stream.h)
  // Every inbound task may carry a callback; the daemon posts its changes there.
  card.push_notifications = true;
  card.bearer_auth = !config.security.token_file.empty();
  for (const auto& s : config.agent.skills) card.skills.push_back(a2a::skill_from_name(s));
  if (card.skills.empty()) {
    // A2A v0.3 and v1.0 require at least one skill, and strict readers refuse a card
    // without: say plainly that this agent takes anything.
    card.skills.push_back(a2a::Skill{
        kGeneralSkill, kGeneralSkill,
        config.agent.description.empty() ? "Takes any task described in plain text"
                                         : config.agent.description,
        {kGeneralSkill}});
  }
  return card;
}

Result<Identity> load_identity(const config::Config& config, const std::string& node_id) {
  std::optional<std::string> tailscale_ip;
  if (config::wants_tailscale_address(config)) {
    // A missing or logged-out Tailscale is normal on a LAN-only host: fall through.
    auto ip = discovery::query_tailscale_ipv4("tailscale", kTailscaleAddressTimeout);
    if (ip) tailscale_ip = *ip;
  }
  std::string err;
  auto host = config::choose_advertised_host(config, config::list_ipv4_interfaces(), tailscale_ip,
                                             &err);
  if (!host) return make_error(ErrorKind::kConfig, err);
  const std::string url = config::self_url(*host, config.network.bind_port);
  return Identity{make_card(config, url, node_id), url};
}

}  // namespace constellation::node

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "constellation/a2a/agent_card.h"
#include "constellation/a2a/timestamp.h"
#include "constellation/control/protocol.h"
#include "constellation/node/peer_names.h"
#include "context.h"
#include "verbs.h"

namespace constellation::cli {

namespace {
std::string join(const std::vector<std::string>& items, const char* sep) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : sep) + i;
  return out;
}

std::string when(a2a::Timestamp t) {
  return t == a2a::Timestamp{} ? std::string("never") : a2a::format_timestamp(t);
}

/// The dialect `send` would speak to the peer: "legacy", "0.3", "1.0", or "-" when its
/// card offers no endpoint we can use.
std::string dialect_of(const store::PeerRecord& peer) {
  std::string ignored;
  const auto endpoint = a2a::card_endpoint(peer.card_json, &ignored);
  return endpoint ? a2a::dialect_name(endpoint->dialect) : "-";
}
}  // namespace

void add_peers(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand(
      "peers",
      "List reachable peers: "
      "name<TAB>url<TAB>skills<TAB>sources<TAB>last-seen<TAB>online<TAB>dialect");
  auto json_out = std::make_shared<bool>(false);
  auto all = std::make_shared<bool>(false);
  cmd->add_flag("--json", *json_out, "print a JSON array with everything known about each peer");
  cmd->add_flag("--all", *all, "include peers that did not answer the last probe");
  cmd->footer(
      "The first column is what 'send' takes: the peer's name, or name@host when several\n"
      "peers share that name. The last is the A2A dialect 'send' speaks to it: legacy (the\n"
      "original Constellation), 0.3 or 1.0. Example: constellation peers | cut -f1");
  cmd->callback([&ctx, json_out, all] {
    auto verbs = ctx.connect_verbs();
    if (!verbs) return void(ctx.exit_code = ctx.fail(verbs.error()));
    auto peers = (*verbs)->peers();
    if (!peers) return void(ctx.exit_code = ctx.fail(peers.error()));
    // An agent should only pick peers that answer now; --all shows the rest for humans.
    if (!*all) std::erase_if(*peers, [](const store::PeerRecord& p) { return !p.online; });
    const auto handles = node::peer_handles(*peers);
    if (*json_out) {
      nlohmann::json list = nlohmann::json::array();
      for (std::size_t i = 0; i < peers->size(); ++i) {
        auto j = control::peer_to_json((*peers)[i]);
        j["handle"] = handles[i];
        list.push_back(std::move(j));
      }
      std::printf("%s\n", list.dump(2).c_str());
      return;
    }
    for (std::size_t i = 0; i < peers->size(); ++i) {
      const auto& p = (*peers)[i];
      std::printf("%s\t%s\t%s\t%s\t%s\t%s\t%s\n", handles[i].c_str(), p.url.c_str(),
                  join(p.skills, ",").c_str(), join(p.sources, ",").c_str(),
                  when(p.last_seen).c_str(), p.online ? "online" : "offline",
                  dialect_of(p).c_str());
    }
  });
}

}  // namespace constellation::cli

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "constellation/control/protocol.h"
#include "context.h"
#include "verbs.h"

namespace constellation::cli {

namespace {
std::string join(const std::vector<std::string>& items, const char* sep) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : sep) + i;
  return out;
}
}  // namespace

void add_peers(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("peers", "List reachable peers: name<TAB>url<TAB>skills");
  auto json_out = std::make_shared<bool>(false);
  auto all = std::make_shared<bool>(false);
  cmd->add_flag("--json", *json_out, "print a JSON array with everything known about each peer");
  cmd->add_flag("--all", *all, "include peers that did not answer the last probe");
  cmd->footer("Example: constellation peers | cut -f1");
  cmd->callback([&ctx, json_out, all] {
    auto verbs = ctx.connect_verbs();
    if (!verbs) return void(ctx.exit_code = ctx.fail(verbs.error()));
    auto peers = (*verbs)->peers();
    if (!peers) return void(ctx.exit_code = ctx.fail(peers.error()));
    // An agent should only pick peers that answer now; --all shows the rest for humans.
    if (!*all) std::erase_if(*peers, [](const store::PeerRecord& p) { return !p.online; });
    if (*json_out) {
      nlohmann::json list = nlohmann::json::array();
      for (const auto& p : *peers) list.push_back(control::peer_to_json(p));
      std::printf("%s\n", list.dump(2).c_str());
      return;
    }
    for (const auto& p : *peers) {
      std::printf("%s\t%s\t%s\n", p.name.c_str(), p.url.c_str(), join(p.skills, ",").c_str());
    }
  });
}

}  // namespace constellation::cli

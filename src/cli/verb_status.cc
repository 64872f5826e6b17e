#include <algorithm>
#include <cstdio>
#include <filesystem>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "constellation/control/daemon_verbs.h"
#include "constellation/node/overview.h"
#include "constellation/store/database.h"
#include "context.h"
#include "exit_codes.h"
#include "status_text.h"
#include "verbs.h"

namespace constellation::cli {

namespace {

using nlohmann::json;

/// What can be said without the daemon: the configured sources (discovery runs inside
/// the daemon, so none is working) and the store's counts.
Result<json> offline_report(Context& ctx, const config::Config& config) {
  const auto store = ctx.store_path(config);
  std::error_code ec;
  const bool store_exists = std::filesystem::exists(store, ec);
  json report = {{"daemon",
                  {{"running", false},
                   {"control_socket", ctx.control_socket(config).string()},
                   {"store", store.string()},
                   {"store_exists", store_exists}}}};
  json discovery = json::array();
  const auto& methods = config.network.discovery;
  for (const char* source : {"tailscale", "mdns"}) {
    const bool on = std::find(methods.begin(), methods.end(), source) != methods.end();
    discovery.push_back({{"source", source},
                         {"state", on ? "stopped" : "off"},
                         {"detail", on ? "configured; the daemon is not running"
                                       : "not in [network] discovery"}});
  }
  const auto statics = config.network.peers.size();
  discovery.push_back(
      {{"source", "static"},
       {"state", statics ? "stopped" : "off"},
       {"detail", statics ? std::to_string(statics) +
                                " configured in [network] peers; the daemon is not running"
                          : std::string("no [network] peers in config.toml")}});
  report["discovery"] = discovery;
  node::StoreOverview counts;
  if (store_exists) {
    auto db = store::Database::open(store);
    if (!db) return db.error();
    auto read = node::store_overview(**db);
    if (!read) return read.error();
    counts = *read;
  }
  report.update(node::overview_to_json(counts));
  return report;
}

int run_status(Context& ctx, bool as_json) {
  auto config = ctx.load_config();
  if (!config) return ctx.fail(config.error());
  Result<json> report = json();
  bool running = false;
  if (auto daemon = control::DaemonVerbs::connect(ctx.control_socket(*config))) {
    report = daemon->overview();
    running = true;
  } else {
    report = offline_report(ctx, *config);
  }
  if (!report) return ctx.fail(report.error());
  if (as_json) {
    std::printf("%s\n", report->dump(2).c_str());
  } else {
    std::fputs(render_status(*report).c_str(), stdout);
  }
  return running ? kExitOk : kExitDaemonDown;
}

}  // namespace

void add_status(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand(
      "status", "Is the daemon up, which discovery sources work (and why not), peers, tasks");
  auto json_out = std::make_shared<bool>(false);
  cmd->add_flag("--json", *json_out,
                "print one JSON object: daemon, discovery[], peers, inbox, outbound");
  cmd->footer(
      "Example: constellation status        (exit 0: the daemon runs; 4: it does not)\n"
      "         constellation status --json | jq '.discovery[] | select(.state==\"failed\")'");
  cmd->callback([&ctx, json_out] { ctx.exit_code = run_status(ctx, *json_out); });
}

}  // namespace constellation::cli

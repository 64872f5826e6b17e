#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "constellation/node/identity.h"
#include "constellation/store/database.h"
#include "constellation/store/meta.h"
#include "context.h"
#include "verbs.h"

namespace constellation::cli {

void add_card(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("card", "Print this peer's agent card as JSON (what peers see)");
  cmd->footer("Example: constellation card | jq .name");
  cmd->callback([&ctx] {
    auto config = ctx.load_config();
    if (!config) return void(ctx.exit_code = ctx.fail(config.error()));
    // The node id lives in the store: the card shows the same one peers see.
    auto db = store::Database::open(ctx.store_path(*config));
    if (!db) return void(ctx.exit_code = ctx.fail(db.error()));
    auto node_id = store::node_id(**db);
    if (!node_id) return void(ctx.exit_code = ctx.fail(node_id.error()));
    auto identity = node::load_identity(*config, *node_id);
    if (!identity) return void(ctx.exit_code = ctx.fail(identity.error()));
    std::printf("%s\n", a2a::card_to_json(identity->card).dump(2).c_str());
  });
}

}  // namespace constellation::cli

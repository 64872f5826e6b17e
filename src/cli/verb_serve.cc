#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include "constellation/daemon/serve.h"
#include "context.h"
#include "verbs.h"

namespace constellation::cli {

void add_serve(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("serve", "Run the daemon: A2A server, peer discovery, delivery");
  auto verbose = std::make_shared<bool>(false);
  cmd->add_flag("-v,--verbose", *verbose, "log debug details");
  cmd->footer("Example: constellation serve   (or as a service: constellation install-service)");
  cmd->callback([&ctx, verbose] {
    spdlog::set_level(*verbose ? spdlog::level::debug : spdlog::level::info);
    auto config = ctx.load_config();
    if (!config) return void(ctx.exit_code = ctx.fail(config.error()));
    daemon::ServeOptions options;
    options.config = *config;
    options.config_path = ctx.config_path();
    options.store_path = ctx.store_path(*config);
    options.control_socket = ctx.control_socket(*config);
    auto token = ctx.mesh_token(*config);
    if (!token) return void(ctx.exit_code = ctx.fail(token.error()));
    options.bearer_token = *token;
    auto st = daemon::serve(options);
    if (!st) ctx.exit_code = ctx.fail(st.error());
  });
}

}  // namespace constellation::cli

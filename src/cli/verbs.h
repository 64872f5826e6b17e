#pragma once
/// One function per verb: adds its subcommand to the app. The table in main.cc lists
/// them in the order `--help` shows.

namespace CLI {
class App;
}

namespace constellation::cli {

class Context;

void add_init(CLI::App& app, Context& ctx);
void add_serve(CLI::App& app, Context& ctx);
void add_peers(CLI::App& app, Context& ctx);
void add_send(CLI::App& app, Context& ctx);
void add_wait(CLI::App& app, Context& ctx);
void add_inbox(CLI::App& app, Context& ctx);
void add_respond(CLI::App& app, Context& ctx);
void add_cancel(CLI::App& app, Context& ctx);
void add_card(CLI::App& app, Context& ctx);
void add_install_service(CLI::App& app, Context& ctx);
void add_status(CLI::App& app, Context& ctx);

}  // namespace constellation::cli

// The `constellation` executable: parses the verb and its options, runs it, and turns
// its outcome into one exit code.

#include <CLI/CLI.hpp>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "context.h"
#include "exit_codes.h"
#include "verbs.h"

namespace {

void setup_logging() {
  // stdout belongs to the verbs' output; every log line goes to stderr.
  auto logger = spdlog::stderr_color_mt("constellation");
  spdlog::set_default_logger(logger);
  if (std::getenv("JOURNAL_STREAM")) {
    spdlog::set_pattern("%l: %v");  // journald stamps time and unit itself
  } else {
    spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");
  }
  spdlog::set_level(spdlog::level::warn);
}

}  // namespace

int main(int argc, char** argv) {
  using namespace constellation::cli;
  setup_logging();
  Context ctx;

  CLI::App app{"constellation: put an LLM coding agent on a peer-to-peer A2A mesh",
               "constellation"};
  app.set_version_flag("--version", std::string("constellation ") + CONSTELLATION_VERSION);
  app.require_subcommand(1);
  app.fallthrough();
  app.add_option("--config", ctx.config_flag,
                 "config file (default: $CONSTELLATION_CONFIG, else "
                 "$XDG_CONFIG_HOME/constellation/config.toml)");
  app.footer("Exit codes: 0 ok, 1 failure, 2 usage, 3 config, 4 daemon gone, 5 unknown peer,\n"
             "6 unknown task, 7 peer unreachable, 8 peer error, 9 timeout, 10 task failed,\n"
             "11 task canceled, 12 task already answered.");

  add_init(app, ctx);
  add_serve(app, ctx);
  add_peers(app, ctx);
  add_send(app, ctx);
  add_wait(app, ctx);
  add_inbox(app, ctx);
  add_respond(app, ctx);
  add_cancel(app, ctx);
  add_card(app, ctx);
  add_install_service(app, ctx);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? kExitOk : kExitUsage;
  }
  return ctx.exit_code;
}

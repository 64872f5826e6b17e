#include <CLI/CLI.hpp>

#include "context.h"
#include "verbs.h"

namespace constellation::cli {

void add_respond(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("respond", "Answer an inbound task (completes it)");
  auto id = std::make_shared<std::string>();
  auto text = std::make_shared<std::string>();
  auto failed = std::make_shared<bool>(false);
  auto ask = std::make_shared<bool>(false);
  cmd->add_option("task-id", *id, "the id 'constellation inbox' lists")->required();
  cmd->add_option("text", *text, "the answer; '-' reads it from stdin")->required();
  auto* failed_flag =
      cmd->add_flag("--failed", *failed, "mark the task failed (out of scope, impossible, …)");
  cmd->add_flag("--ask", *ask,
                "instead of answering, ask the sender <text>; the task comes back to your inbox "
                "with their reply")
      ->excludes(failed_flag);
  cmd->footer("Example: constellation respond t-3c1d… - < answer.md\n"
              "         constellation respond --ask t-3c1d… \"which branch?\"");
  cmd->callback([&ctx, id, text, failed, ask] {
    auto body = read_text_argument(*text);
    if (!body) return void(ctx.exit_code = ctx.fail(body.error()));
    auto verbs = ctx.connect_verbs();
    if (!verbs) return void(ctx.exit_code = ctx.fail(verbs.error()));
    auto done = *ask ? (*verbs)->ask(*id, *body) : (*verbs)->respond(*id, *body, *failed);
    if (!done) return void(ctx.exit_code = ctx.fail(done.error()));
  });
}

}  // namespace constellation::cli

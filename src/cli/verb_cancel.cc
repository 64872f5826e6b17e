#include <CLI/CLI.hpp>

#include "context.h"
#include "verbs.h"

namespace constellation::cli {

void add_cancel(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand(
      "cancel", "Cancel a task you sent; prints the state the peer reports (canceled)");
  auto id = std::make_shared<std::string>();
  cmd->add_option("task-id", *id, "the id 'constellation send' printed")->required();
  cmd->footer(
      "Example: constellation cancel t-3c1d2f7e-8a7b-4c1e-9f0a-5d6e7f8a9b0c\n"
      "A task that has already ended exits 12; peers of the original Rust dialect cannot\n"
      "cancel (exit 8).");
  cmd->callback([&ctx, id] {
    auto verbs = ctx.connect_verbs();
    if (!verbs) return void(ctx.exit_code = ctx.fail(verbs.error()));
    auto task = (*verbs)->cancel(*id);
    if (!task) return void(ctx.exit_code = ctx.fail(task.error()));
    std::printf("%s\n", a2a::state_name(task->task.state));
  });
}

}  // namespace constellation::cli

#include <CLI/CLI.hpp>

#include "attachments.h"
#include "context.h"
#include "verbs.h"

namespace constellation::cli {

void add_respond(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("respond", "Answer an inbound task (completes it)");
  auto id = std::make_shared<std::string>();
  auto text = std::make_shared<std::string>();
  auto failed = std::make_shared<bool>(false);
  auto ask = std::make_shared<bool>(false);
  auto files = std::make_shared<std::vector<std::string>>();
  auto data = std::make_shared<std::vector<std::string>>();
  cmd->add_option("task-id", *id, "the id 'constellation inbox' lists")->required();
  auto* text_option = cmd->add_option(
      "text", *text, "the answer; '-' reads it from stdin; may be left out with --file or --data");
  auto* failed_flag =
      cmd->add_flag("--failed", *failed, "mark the task failed (out of scope, impossible, …)");
  cmd->add_flag("--ask", *ask,
                "instead of answering, ask the sender <text>; the task comes back to your inbox "
                "with their reply")
      ->excludes(failed_flag);
  auto* file_option =
      cmd->add_option("--file", *files,
                      "attach this file to the answer (repeatable; together at most [files] "
                      "max_bytes); not for tasks from peers of the original Rust dialect")
          ->allow_extra_args(false);
  auto* data_option = cmd->add_option("--data", *data,
                                      "attach this JSON value to the answer (repeatable)")
                          ->allow_extra_args(false);
  file_option->excludes("--ask");
  data_option->excludes("--ask");
  cmd->footer("Example: constellation respond t-3c1d… - < answer.md\n"
              "         constellation respond t-3c1d… \"the fixed file\" --file build.log\n"
              "         constellation respond --ask t-3c1d… \"which branch?\"");
  cmd->callback([&ctx, id, text, failed, ask, files, data, text_option] {
    const bool attaching = !files->empty() || !data->empty();
    if (text_option->count() == 0 && !attaching) {
      return void(ctx.exit_code = ctx.fail(make_error(
                      ErrorKind::kUsage, "respond needs the answer: constellation respond <task-id> "
                                         "<text> (or --file PATH / --data JSON)")));
    }
    auto body = text_option->count() == 0 ? Result<std::string>(std::string())
                                          : read_text_argument(*text);
    if (!body) return void(ctx.exit_code = ctx.fail(body.error()));
    auto attachments = read_attachments(ctx, *files, *data);
    if (!attachments) return void(ctx.exit_code = ctx.fail(attachments.error()));
    auto verbs = ctx.connect_verbs();
    if (!verbs) return void(ctx.exit_code = ctx.fail(verbs.error()));
    auto done = *ask ? (*verbs)->ask(*id, *body)
                     : (*verbs)->respond(*id, *body, *failed, *attachments);
    if (!done) return void(ctx.exit_code = ctx.fail(done.error()));
  });
}

}  // namespace constellation::cli

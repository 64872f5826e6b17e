#include <CLI/CLI.hpp>

#include "attachments.h"
#include "context.h"
#include "verbs.h"

namespace constellation::cli {

void add_send(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand(
      "send", "Send a task to a peer (or, with --task, answer its question); prints the task id");
  // Both positionals are optional to CLI11 so that `send --task ID <text>` can leave the
  // peer out; the callback checks the combination.
  auto peer = std::make_shared<std::string>();
  auto text = std::make_shared<std::string>();
  auto task = std::make_shared<std::string>();
  auto files = std::make_shared<std::vector<std::string>>();
  auto data = std::make_shared<std::vector<std::string>>();
  cmd->add_option("peer", *peer, "peer name, as 'constellation peers' lists it (not with --task)");
  cmd->add_option("text", *text,
                  "the task; '-' reads it from stdin; may be left out when --file or --data is given");
  cmd->add_option("--file", *files,
                  "attach this file (repeatable; all files together at most [files] max_bytes, "
                  "10 MiB by default); not for peers of the original Rust dialect")
      ->allow_extra_args(false);
  cmd->add_option("--data", *data,
                  "attach this JSON value as structured data (repeatable), e.g. '{\"ticket\":1}'")
      ->allow_extra_args(false);
  cmd->add_option("--task", *task,
                  "a further turn in this task (the id 'send' printed), e.g. the answer to the "
                  "question 'wait' printed with exit code 14");
  cmd->footer(
      "Example: id=$(constellation send atlas \"summarise build.log\") && constellation wait \"$id\"\n"
      "         constellation send atlas \"review this\" --file report.pdf --data '{\"pr\":42}'\n"
      "         constellation send --task \"$id\" \"use the log from yesterday\"");
  cmd->callback([&ctx, peer, text, task, files, data] {
    const bool turn = !task->empty();
    const bool attaching = !files->empty() || !data->empty();
    // With --task the one positional given is the text, which CLI11 put in `peer`.
    if (turn && text->empty()) std::swap(*peer, *text);
    if (turn && !peer->empty()) {
      return void(ctx.exit_code = ctx.fail(make_error(
                      ErrorKind::kUsage, "with --task, give only the text: the task already names "
                                         "its peer (constellation send --task ID <text>)")));
    }
    if (!turn && (peer->empty() || (text->empty() && !attaching))) {
      return void(ctx.exit_code = ctx.fail(make_error(
                      ErrorKind::kUsage, "send needs a peer and a text: constellation send <peer> "
                                         "<text> (or send --task ID <text> to continue a task)")));
    }
    auto body = text->empty() ? Result<std::string>(std::string()) : read_text_argument(*text);
    if (!body) return void(ctx.exit_code = ctx.fail(body.error()));
    if (body->empty() && !attaching) {
      return void(ctx.exit_code = ctx.fail(make_error(
                      ErrorKind::kUsage, "the task text is empty; say what the peer should do")));
    }
    auto attachments = read_attachments(ctx, *files, *data);
    if (!attachments) return void(ctx.exit_code = ctx.fail(attachments.error()));
    auto verbs = ctx.connect_verbs();
    if (!verbs) return void(ctx.exit_code = ctx.fail(verbs.error()));
    auto id = turn ? (*verbs)->send_turn(*task, *body, *attachments)
                   : (*verbs)->send(*peer, *body, *attachments);
    if (!id) return void(ctx.exit_code = ctx.fail(id.error()));
    std::printf("%s\n", id->c_str());
  });
}

}  // namespace constellation::cli

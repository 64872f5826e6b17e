#include <CLI/CLI.hpp>

#include "context.h"
#include "verbs.h"

namespace constellation::cli {

void add_send(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("send", "Send a task to a peer; prints only the task id");
  auto peer = std::make_shared<std::string>();
  auto text = std::make_shared<std::string>();
  cmd->add_option("peer", *peer, "peer name, as 'constellation peers' lists it")->required();
  cmd->add_option("text", *text, "the task; '-' reads it from stdin")->required();
  cmd->footer("Example: id=$(constellation send atlas \"summarise build.log\") && constellation wait \"$id\"");
  cmd->callback([&ctx, peer, text] {
    auto body = read_text_argument(*text);
    if (!body) return void(ctx.exit_code = ctx.fail(body.error()));
    if (body->empty()) {
      return void(ctx.exit_code = ctx.fail(make_error(
                      ErrorKind::kUsage, "the task text is empty; say what the peer should do")));
    }
    auto verbs = ctx.connect_verbs();
    if (!verbs) return void(ctx.exit_code = ctx.fail(verbs.error()));
    auto id = (*verbs)->send(*peer, *body);
    if (!id) return void(ctx.exit_code = ctx.fail(id.error()));
    std::printf("%s\n", id->c_str());
  });
}

}  // namespace constellation::cli

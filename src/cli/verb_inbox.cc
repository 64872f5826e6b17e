#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "constellation/control/protocol.h"
#include "constellation/node/preview.h"
#include "attachments.h"
#include "context.h"
#include "verbs.h"

namespace constellation::cli {

void add_inbox(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand(
      "inbox", "List inbound tasks awaiting your answer, oldest first: id<TAB>from<TAB>preview "
               "(attachments appear as [file: PATH] with the path they were saved at)");
  auto json_out = std::make_shared<bool>(false);
  cmd->add_flag("--json", *json_out, "print a JSON array with each task's full text and history");
  cmd->footer("Example: constellation inbox | while IFS=$'\\t' read -r id from text; do ...; done");
  cmd->callback([&ctx, json_out] {
    auto verbs = ctx.connect_verbs();
    if (!verbs) return void(ctx.exit_code = ctx.fail(verbs.error()));
    auto tasks = (*verbs)->inbox();
    if (!tasks) return void(ctx.exit_code = ctx.fail(tasks.error()));
    if (*json_out) {
      nlohmann::json list = nlohmann::json::array();
      for (const auto& t : *tasks) list.push_back(control::inbound_to_json(t));
      std::printf("%s\n", list.dump(2, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
      return;
    }
    for (const auto& t : *tasks) {
      auto j = control::inbound_to_json(t);
      const std::string from = node::preview(j["from"].get<std::string>(), 200);
      std::string text = node::preview(j["text"].get<std::string>());
      // The attachments of the turn the text comes from: the sender's newest.
      for (auto m = t.task.history.rbegin(); m != t.task.history.rend(); ++m) {
        if (m->role != a2a::Role::kUser) continue;
        text += attachment_markers(m->parts);
        if (text.starts_with(' ')) text.erase(0, 1);
        break;
      }
      std::printf("%s\t%s\t%s\n", t.task.id.c_str(), from.c_str(), text.c_str());
    }
  });
}

}  // namespace constellation::cli

#include <CLI/CLI.hpp>

#include "attachments.h"
#include "context.h"
#include "exit_codes.h"
#include "verbs.h"

namespace constellation::cli {

namespace {
/// The answer byte for byte; a newline is added only when it lacks one, so terminals and
/// `$(...)` both see the text the peer wrote. Then one line per attachment; an empty
/// text before attachments prints nothing.
void print_text(const std::string& text, const std::vector<a2a::Part>& attachments = {}) {
  if (!text.empty() || attachments.empty()) {
    std::fwrite(text.data(), 1, text.size(), stdout);
    if (text.empty() || text.back() != '\n') std::fputc('\n', stdout);
  }
  print_attachment_lines(attachments);
}
}  // namespace

void add_wait(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand(
      "wait", "Block until a task you sent ends; print the answer (newline-terminated)");
  auto id = std::make_shared<std::string>();
  auto timeout = std::make_shared<double>(60);
  cmd->add_option("task-id", *id, "the id 'constellation send' printed")->required();
  cmd->add_option("--timeout", *timeout, "seconds to wait before giving up (exit 9)")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  cmd->footer("Example: constellation wait t-3c1d2f7e-8a7b-4c1e-9f0a-5d6e7f8a9b0c --timeout 300");
  cmd->callback([&ctx, id, timeout] {
    auto verbs = ctx.connect_verbs();
    if (!verbs) return void(ctx.exit_code = ctx.fail(verbs.error()));
    const auto ms = std::chrono::milliseconds(static_cast<long long>(*timeout * 1000));
    auto task = (*verbs)->wait(*id, ms);
    if (!task) return void(ctx.exit_code = ctx.fail(task.error()));
    // Artifacts, then the status message; else the last agent message (legacy peers).
    const auto answer = a2a::answer_text(task->task);
    const auto attachments = a2a::answer_attachments(task->task);
    switch (task->task.state) {
      case a2a::TaskState::kCompleted:
        print_text(answer.value_or(""), attachments);
        return;
      case a2a::TaskState::kFailed:
      case a2a::TaskState::kRejected:
        print_text(answer.value_or(""), attachments);
        ctx.fail(make_error(ErrorKind::kPeerError,
                            "peer '" + task->peer_name + "' reported task " + *id + " as " +
                                a2a::state_name(task->task.state) +
                                (answer ? "; its message is on stdout" : " without saying why")));
        ctx.exit_code = kExitTaskFailed;
        return;
      case a2a::TaskState::kInputRequired:
      case a2a::TaskState::kAuthRequired:
        // The question is the status message; a peer that asks in its history only
        // leaves it as the last agent message.
        print_text(task->task.status_message ? a2a::message_text(*task->task.status_message)
                                             : answer.value_or(""),
                   attachments);
        ctx.fail(make_error(ErrorKind::kInternal,
                            "peer '" + task->peer_name + "' needs more input for task " + *id +
                                " (its question is on stdout); answer with 'constellation send "
                                "--task " + *id + " <text>', then wait again"));
        ctx.exit_code = kExitNeedsInput;
        return;
      case a2a::TaskState::kCanceled:
        ctx.fail(make_error(ErrorKind::kInternal, "task " + *id + " was canceled"));
        ctx.exit_code = kExitTaskCanceled;
        return;
      default:
        ctx.exit_code = ctx.fail(make_error(ErrorKind::kInternal,
                                            "task " + *id + " ended in state " +
                                                a2a::state_name(task->task.state)));
    }
  });
}

}  // namespace constellation::cli

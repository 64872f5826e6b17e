#include "constellation/node/local_verbs.h"

#include <thread>

namespace constellation::node {

LocalVerbs::LocalVerbs(std::unique_ptr<store::Database> db, Node::SelfUrl self_url,
                       client::Outbound outbound)
    : db_(std::move(db)), node_(*db_, std::move(self_url), std::move(outbound)) {}

Result<std::vector<store::PeerRecord>> LocalVerbs::peers() { return node_.peers(); }

Result<std::string> LocalVerbs::send(const std::string& peer, const std::string& text,
                                     const std::vector<a2a::Part>& attachments) {
  return node_.send(peer, text, attachments);
}

Error wait_timeout_error(const std::string& id, std::chrono::milliseconds timeout) {
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(timeout).count();
  return make_error(ErrorKind::kTimeout,
                    "task " + id + " is not finished after " + std::to_string(seconds) +
                        " s; run 'constellation wait " + id + "' again (or with a longer --timeout)");
}

Result<store::OutboundTask> LocalVerbs::wait(const std::string& id,
                                             std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  // The original polled every 2 s; start faster, since most answers come quickly.
  std::chrono::milliseconds interval{250};
  for (;;) {
    auto task = node_.refresh(id);
    if (task && (a2a::is_terminal(task->task.state) || a2a::needs_input(task->task.state))) {
      if (auto st = node_.save_received(task->task, /*inbound=*/false); !st) return st.error();
      return task;
    }
    if (!task && task.error().kind != ErrorKind::kPeerUnreachable) return task;
    const auto now = std::chrono::steady_clock::now();
    if (now >= deadline) {
      if (!task) return task;  // unreachable until the end: say so, not "timeout"
      return wait_timeout_error(id, timeout);
    }
    std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(interval, deadline - now));
    interval = std::min(interval * 2, std::chrono::milliseconds(2000));
  }
}

Result<std::vector<store::InboundTask>> LocalVerbs::inbox() { return node_.inbox(); }

Result<store::InboundTask> LocalVerbs::respond(const std::string& id, const std::string& text,
                                               bool failed,
                                               const std::vector<a2a::Part>& attachments) {
  return node_.respond(id, text, failed, attachments);
}

Result<store::OutboundTask> LocalVerbs::cancel(const std::string& id) { return node_.cancel(id); }

Result<std::string> LocalVerbs::send_turn(const std::string& id, const std::string& text,
                                          const std::vector<a2a::Part>& attachments) {
  return node_.send_turn(id, text, attachments);
}

Result<store::InboundTask> LocalVerbs::ask(const std::string& id, const std::string& question) {
  return node_.ask(id, question);
}

}  // namespace constellation::node

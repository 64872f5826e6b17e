#include "constellation/node/node.h"

#include <algorithm>

#include "constellation/a2a/legacy.h"
#include "constellation/client/a2a_client.h"
#include "constellation/client/block_on.h"
#include "constellation/node/peer_names.h"

namespace constellation::node {

Node::Node(store::Database& db, std::string self_url)
    : Node(db, SelfUrl([url = std::move(self_url)] { return url; })) {}

Node::Node(store::Database& db, SelfUrl self_url) : db_(db), self_url_(std::move(self_url)) {}

Result<std::vector<store::PeerRecord>> Node::peers() { return store::PeerTable(db_).list(); }

Result<store::PeerRecord> Node::resolve_peer(const std::string& name) {
  auto all = peers();
  if (!all) return all.error();
  return pick_peer(*all, name);
}

Result<std::string> Node::send(const std::string& peer_name, const std::string& text) {
  auto peer = resolve_peer(peer_name);
  if (!peer) return peer.error();

  store::OutboundTask out;
  out.task.id = a2a::legacy::new_task_id();
  out.task.state = a2a::TaskState::kSubmitted;
  out.task.updated_at = std::chrono::system_clock::now();
  out.task.history.push_back(a2a::text_message(a2a::Role::kUser, text));
  out.peer_name = peer->name;
  out.peer_url = peer->url;
  out.dialect = "legacy";
  out.created_at = out.task.updated_at;
  store::OutboundTasks table(db_);
  if (auto st = table.insert(out); !st) return st.error();

  a2a::legacy::SendParams params{out.task.id, out.task.history.front()};
  auto sent = client::block_on(
      client::legacy_send(peer->url, std::move(params), self_url_(), kPeerRequestTimeout));
  if (!sent) {
    (void)table.remove(out.task.id);  // the peer never took it: nothing to wait for
    const Error& e = sent.error();
    if (e.kind == ErrorKind::kPeerUnreachable) {
      return make_error(e.kind, "peer '" + peer->name + "' is unreachable (" + e.message +
                                    "); check 'constellation peers' and retry later");
    }
    return make_error(e.kind, "peer '" + peer->name + "' refused the task: " + e.message);
  }
  // Keep our copy of the request: the reply echoes it, but we trust our own bytes.
  a2a::Task stored = *sent;
  stored.id = out.task.id;
  if (stored.history.empty()) stored.history = out.task.history;
  if (auto st = table.update_task(stored); !st) return st.error();
  return out.task.id;
}

Result<std::vector<store::InboundTask>> Node::inbox() {
  return store::InboundTasks(db_).list_open();
}

Result<store::InboundTask> Node::respond(const std::string& id, const std::string& text,
                                         bool failed) {
  return store::InboundTasks(db_).respond(id, text, failed, std::chrono::system_clock::now());
}

Result<store::OutboundTask> Node::outbound(const std::string& id) {
  auto found = store::OutboundTasks(db_).get(id);
  if (!found) return found.error();
  if (!*found) {
    return make_error(ErrorKind::kUnknownTask,
                      "no outbound task " + id +
                          "; use the id 'constellation send' printed (inbound tasks are "
                          "answered with 'constellation respond')");
  }
  return std::move(**found);
}

Result<store::OutboundTask> Node::refresh(const std::string& id) {
  auto current = outbound(id);
  if (!current) return current;
  if (a2a::is_terminal(current->task.state)) return current;
  auto got = client::block_on(client::legacy_get(current->peer_url, id, kPeerRequestTimeout));
  store::OutboundTasks table(db_);
  if (!got) {
    (void)table.set_error(id, got.error().message);
    return got.error();
  }
  a2a::Task task = std::move(*got);
  task.id = id;
  if (auto st = table.update_task(task); !st) return st.error();
  return outbound(id);
}

}  // namespace constellation::node

#include "constellation/node/node.h"

#include <algorithm>
#include <cctype>
#include <variant>

#include "constellation/a2a/agent_card.h"
#include "constellation/a2a/legacy.h"
#include "constellation/a2a/push.h"
#include "constellation/client/a2a_client.h"
#include "constellation/client/block_on.h"
#include "constellation/node/attachments.h"
#include "constellation/node/peer_names.h"
#include "constellation/util/secret.h"

namespace constellation::node {

Result<a2a::PeerEndpoint> peer_endpoint(const store::PeerRecord& peer) {
  std::string why;
  auto endpoint = a2a::card_endpoint(peer.card_json, &why);
  if (!endpoint) {
    return make_error(ErrorKind::kPeerError,
                      "peer '" + peer.name + "' cannot take tasks from us: " + why +
                          "; see its card with 'constellation peers --json'");
  }
  return std::move(*endpoint);
}

bool printable_task_id(std::string_view id) {
  if (id.empty() || id.size() > kMaxPrintableTaskId) return false;
  if (!std::isalnum(static_cast<unsigned char>(id.front()))) return false;  // not an option
  return std::all_of(id.begin(), id.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == ':';
  });
}

a2a::PeerEndpoint task_endpoint(const store::OutboundTask& task) {
  return {a2a::dialect_from_name(task.dialect).value_or(a2a::Dialect::kLegacy), task.peer_url,
          task.tenant};
}

std::string push_callback_url(const std::string& a2a_url) {
  std::string url = a2a_url;
  if (url.ends_with('/')) url.pop_back();
  return url.append(a2a::kPushCallbackPath);
}

a2a::Task merge_peer_view(const store::OutboundTask& ours, a2a::Task theirs) {
  theirs.id = ours.task.id;
  if (theirs.history.empty()) theirs.history = ours.task.history;
  if (theirs.context_id.empty()) theirs.context_id = ours.task.context_id;
  // v0.3 and v1.0 make the status timestamp optional.
  if (theirs.updated_at == a2a::Timestamp{}) {
    theirs.updated_at =
        theirs.state == ours.task.state ? ours.task.updated_at : std::chrono::system_clock::now();
  }
  return theirs;
}

Node::Node(store::Database& db, std::string self_url, client::Outbound outbound)
    : Node(db, SelfUrl([url = std::move(self_url)] { return url; }), std::move(outbound)) {}

Node::Node(store::Database& db, SelfUrl self_url, client::Outbound outbound)
    : db_(db), self_url_(std::move(self_url)), outbound_(std::move(outbound)) {}

Result<std::vector<store::PeerRecord>> Node::peers() { return store::PeerTable(db_).list(); }

Result<store::PeerRecord> Node::resolve_peer(const std::string& name) {
  auto all = peers();
  if (!all) return all.error();
  return pick_peer(*all, name);
}

namespace {

/// The text (left out when empty and something else is sent), then the attachments.
a2a::Message request_message(const std::string& text, const std::vector<a2a::Part>& attachments) {
  a2a::Message message;
  message.role = a2a::Role::kUser;
  if (!text.empty() || attachments.empty()) message.parts.push_back(a2a::text_part(text));
  message.parts.insert(message.parts.end(), attachments.begin(), attachments.end());
  return message;
}

Error legacy_refuses_attachments(const std::string& peer_name) {
  return make_error(ErrorKind::kPeerError,
                    "peer '" + peer_name + "' speaks the original Rust dialect, which carries "
                    "text only: it cannot take files or data; nothing was sent. Send the text "
                    "alone, or put the content in the text (e.g. constellation send " + peer_name +
                        " - < notes.txt)");
}

}  // namespace

Result<std::string> Node::send(const std::string& peer_name, const std::string& text,
                               const std::vector<a2a::Part>& attachments) {
  auto peer = resolve_peer(peer_name);
  if (!peer) return peer.error();
  auto endpoint = peer_endpoint(*peer);
  if (!endpoint) return endpoint.error();
  const bool legacy = endpoint->dialect == a2a::Dialect::kLegacy;
  if (legacy && !attachments.empty()) return legacy_refuses_attachments(peer->name);

  store::OutboundTask out;
  out.task.id = a2a::legacy::new_task_id();
  out.task.state = a2a::TaskState::kSubmitted;
  out.task.updated_at = std::chrono::system_clock::now();
  a2a::Message request = request_message(text, attachments);
  // The legacy dialect has no message ids; the others require one.
  if (!legacy) request.message_id = a2a::new_uuid();
  out.task.history.push_back(request);
  out.peer_name = peer->name;
  out.peer_url = endpoint->url;
  out.dialect = a2a::dialect_name(endpoint->dialect);
  out.tenant = endpoint->tenant;
  // Push when the peer offers it, else a stream, else polling (all the original can do).
  const std::string self_url = self_url_();
  const bool push = endpoint->push && !self_url.empty();
  out.follow = push                  ? store::FollowMode::kPush
               : endpoint->streaming ? store::FollowMode::kStream
                                     : store::FollowMode::kPoll;
  // The token is the callback's only credential: stored before the peer can use it.
  if (push) out.push_token = random_hex(32);
  out.created_at = out.task.updated_at;
  store::OutboundTasks table(db_);
  if (auto st = table.insert(out); !st) return st.error();

  client::NewTask task{request, out.task.id, self_url};
  if (push) task.push = a2a::PushConfig{push_callback_url(self_url), out.push_token};
  auto sent = client::block_on(client::send_task(*endpoint, task, kPeerRequestTimeout), outbound_);
  if (!sent && push && sent.error().kind == ErrorKind::kPeerError) {
    // A peer that claims push but refuses our callback still gets the task, followed
    // the next best way.
    task.push.reset();
    out.follow = endpoint->streaming ? store::FollowMode::kStream : store::FollowMode::kPoll;
    if (auto st = table.set_follow(out.task.id, out.follow); !st) return st.error();
    sent = client::block_on(client::send_task(*endpoint, task, kPeerRequestTimeout), outbound_);
  }
  if (!sent) {
    (void)table.remove(out.task.id);  // the peer never took it: nothing to wait for
    const Error& e = sent.error();
    if (e.kind == ErrorKind::kPeerUnreachable) {
      return make_error(e.kind, "peer '" + peer->name + "' is unreachable (" + e.message +
                                    "); check 'constellation peers' and retry later");
    }
    return make_error(e.kind, "peer '" + peer->name + "' refused the task: " + e.message);
  }

  a2a::Task stored;
  if (auto* reply = std::get_if<a2a::Message>(&*sent)) {
    // A direct answer: there is no task on the peer's side to ask about later.
    stored = out.task;
    stored.state = a2a::TaskState::kCompleted;
    stored.updated_at = std::chrono::system_clock::now();
    stored.context_id = reply->context_id;
    reply->role = a2a::Role::kAgent;
    stored.history.push_back(std::move(*reply));
  } else {
    a2a::Task& theirs = std::get<a2a::Task>(*sent);
    if (!legacy && theirs.id != out.task.id) {
      // A Constellation peer (its card carries a node id) lists the task in its inbox
      // under its own id: printing that one lets both sides talk about one id. Other
      // agents show nobody their ids, so ours stays and theirs goes beside it.
      if (!peer->node_id.empty() && printable_task_id(theirs.id)) {
        auto adopted = table.adopt_remote_id(out.task.id, theirs.id);
        if (!adopted) return adopted.error();
        out.task.id = *adopted;
        out.remote_id = *adopted == theirs.id ? "" : theirs.id;
      } else {
        if (auto st = table.set_remote_id(out.task.id, theirs.id); !st) return st.error();
        out.remote_id = theirs.id;
      }
    }
    // Keep our copy of the request when the reply leaves it out.
    stored = merge_peer_view(out, std::move(theirs));
  }
  // A push may have brought a newer state while the reply was on its way: keep it.
  if (auto st = table.update_task_if(stored, out.task.state); !st) return st.error();
  return out.task.id;
}

Result<std::string> Node::send_turn(const std::string& id, const std::string& text,
                                    const std::vector<a2a::Part>& attachments) {
  auto current = outbound(id);
  if (!current) return current.error();
  if (a2a::is_terminal(current->task.state)) {
    return make_error(ErrorKind::kTaskNotOpen,
                      "task " + id + " has already ended (" + a2a::state_name(current->task.state) +
                          "); start a new one with 'constellation send " + current->peer_name +
                          " <text>'");
  }
  const a2a::PeerEndpoint endpoint = task_endpoint(*current);
  if (endpoint.dialect == a2a::Dialect::kLegacy) {
    return make_error(ErrorKind::kPeerError,
                      "peer '" + current->peer_name +
                          "' speaks the original Rust dialect, which has no follow-up turns; send "
                          "a new task with 'constellation send " + current->peer_name + " <text>'");
  }
  a2a::Message turn = request_message(text, attachments);
  turn.message_id = a2a::new_uuid();
  turn.task_id = current->wire_id();
  turn.context_id = current->task.context_id;
  client::NewTask request{turn, "", self_url_()};
  auto sent = client::block_on(client::send_task(endpoint, std::move(request), kPeerRequestTimeout), outbound_);
  if (!sent) {
    const Error& e = sent.error();
    return make_error(e.kind, "peer '" + current->peer_name + "' did not take the turn on task " +
                                  id + ": " + e.message);
  }
  store::OutboundTask ours = *current;
  turn.task_id.clear();
  turn.context_id.clear();
  ours.task.history.push_back(turn);
  a2a::Task stored;
  if (auto* reply = std::get_if<a2a::Message>(&*sent)) {
    stored = ours.task;
    stored.state = a2a::TaskState::kCompleted;
    stored.updated_at = std::chrono::system_clock::now();
    reply->role = a2a::Role::kAgent;
    stored.history.push_back(std::move(*reply));
  } else {
    stored = merge_peer_view(ours, std::move(std::get<a2a::Task>(*sent)));
    // The question we just answered is no longer the state's message.
    if (!a2a::needs_input(stored.state) && !a2a::is_terminal(stored.state)) stored.status_message.reset();
  }
  if (auto st = store::OutboundTasks(db_).update_task(stored); !st) return st.error();
  return id;
}

Result<std::vector<store::InboundTask>> Node::inbox() {
  auto tasks = store::InboundTasks(db_).list_open();
  if (!tasks) return tasks;
  for (auto& t : *tasks) {
    if (auto st = save_received(t.task, /*inbound=*/true); !st) return st.error();
  }
  return tasks;
}

Status Node::save_received(a2a::Task& task, bool inbound) const {
  // Only what the other side sent: our own files are where we took them from.
  std::vector<a2a::Part*> parts;
  const a2a::Role theirs = inbound ? a2a::Role::kUser : a2a::Role::kAgent;
  for (auto& m : task.history) {
    if (m.role != theirs) continue;
    for (auto& p : m.parts) parts.push_back(&p);
  }
  if (!inbound) {
    if (task.status_message) {
      for (auto& p : task.status_message->parts) parts.push_back(&p);
    }
    for (auto& a : task.artifacts) {
      for (auto& p : a.parts) parts.push_back(&p);
    }
  }
  return save_attachments(files_dir(db_.path()), task.id, parts);
}

Result<store::InboundTask> Node::respond(const std::string& id, const std::string& text,
                                         bool failed, const std::vector<a2a::Part>& attachments) {
  store::InboundTasks tasks(db_);
  if (!attachments.empty()) {
    auto found = tasks.get(id);
    if (!found) return found.error();
    if (*found && (*found)->dialect == a2a::dialect_name(a2a::Dialect::kLegacy)) {
      return make_error(ErrorKind::kUsage,
                        "task " + id + " came from a peer of the original Rust dialect, which "
                        "carries text only: it cannot take files or data; nothing changed. Answer "
                        "in text with 'constellation respond " + id + " <text>'");
    }
  }
  return tasks.respond(id, text, failed, std::chrono::system_clock::now(), attachments);
}

Result<store::InboundTask> Node::ask(const std::string& id, const std::string& question) {
  store::InboundTasks tasks(db_);
  auto found = tasks.get(id);
  if (!found) return found.error();
  // The original's client waits only for a final state and has no way to reply: a
  // question would leave it polling until its timeout.
  if (*found && (*found)->dialect == a2a::dialect_name(a2a::Dialect::kLegacy)) {
    return make_error(ErrorKind::kUsage,
                      "task " + id + " came from a peer of the original Rust dialect, which "
                      "cannot answer questions; answer it with 'constellation respond " + id +
                          " <text>' (or --failed, saying what is missing)");
  }
  return tasks.ask(id, question, std::chrono::system_clock::now());
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
  auto got = client::block_on(
      client::get_task(task_endpoint(*current), current->wire_id(), kPeerRequestTimeout), outbound_);
  store::OutboundTasks table(db_);
  if (!got) {
    (void)table.set_error(id, got.error().message);
    return got.error();
  }
  if (auto st = table.update_task(merge_peer_view(*current, std::move(*got))); !st) {
    return st.error();
  }
  return outbound(id);
}

Result<store::OutboundTask> Node::cancel(const std::string& id) {
  auto current = outbound(id);
  if (!current) return current;
  if (a2a::is_terminal(current->task.state)) {
    return make_error(ErrorKind::kTaskNotOpen, "task " + id + " has already ended (" +
                                                   a2a::state_name(current->task.state) +
                                                   "); nothing to cancel. 'constellation wait " +
                                                   id + "' prints its answer");
  }
  auto got = client::block_on(
      client::cancel_task(task_endpoint(*current), current->wire_id(), kPeerRequestTimeout), outbound_);
  if (!got) {
    const Error& e = got.error();
    if (e.kind == ErrorKind::kPeerUnreachable) {
      return make_error(e.kind, "peer '" + current->peer_name + "' is unreachable (" + e.message +
                                    "); the task goes on; retry the cancel later");
    }
    return make_error(
        e.kind, "peer '" + current->peer_name + "' did not cancel task " + id + ": " + e.message);
  }
  store::OutboundTasks table(db_);
  if (auto st = table.update_task(merge_peer_view(*current, std::move(*got))); !st) {
    return st.error();
  }
  return outbound(id);
}

}  // namespace constellation::node

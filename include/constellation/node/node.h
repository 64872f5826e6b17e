#pragma once
/// What this peer does, independent of who asks: the daemon runs these operations for
/// the verbs, and the verbs run them directly when no daemon answers. Every call is
/// synchronous (store and network); the daemon runs them on its blocking pool.

#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "constellation/a2a/dialect.h"
#include "constellation/a2a/task.h"
#include "constellation/client/outbound.h"
#include "constellation/store/database.h"
#include "constellation/store/inbound_tasks.h"
#include "constellation/store/outbound_tasks.h"
#include "constellation/store/peers.h"
#include "constellation/util/error.h"

namespace constellation::node {

/// How long one request to a peer may take, connect to last byte.
inline constexpr std::chrono::milliseconds kPeerRequestTimeout{std::chrono::seconds(15)};

/// The endpoint to hand `peer` new tasks at: what choose_endpoint makes of its stored
/// card (a2a-wire.md §4.5). kPeerError, saying why, when the card offers none.
Result<a2a::PeerEndpoint> peer_endpoint(const store::PeerRecord& peer);

/// The endpoint an outbound task lives at, as `send` recorded it. Rows from before the
/// dialects were recorded say "legacy", which is what they spoke.
a2a::PeerEndpoint task_endpoint(const store::OutboundTask& task);

/// Longest peer-given task id `send` prints as its own.
inline constexpr std::size_t kMaxPrintableTaskId = 128;
/// Whether a task id a peer chose is safe to print and to pass back on a command line:
/// 1 to kMaxPrintableTaskId letters, digits, '-', '_', '.', ':', not starting with a
/// punctuation mark (a leading '-' would read as an option).
bool printable_task_id(std::string_view id);

/// What we store when the peer reports `theirs` for our task `ours`: the peer's view,
/// under our id. Peers may leave out the history (v1.0 servers choose how much to send),
/// the context id or the status timestamp; then ours stays (the timestamp becomes now
/// when the state changed).
/// Our callback URL for push deliveries: the A2A URL's origin plus a2a::kPushCallbackPath.
std::string push_callback_url(const std::string& a2a_url);

a2a::Task merge_peer_view(const store::OutboundTask& ours, a2a::Task theirs);

class Node {
 public:
  /// Our card URL, which peers see in X-A2A-Source-Url on a send. A function, because
  /// working it out may ask `tailscale ip -4`: only a send should pay for that.
  using SelfUrl = std::function<std::string()>;
  /// `outbound`: how our calls to peers present themselves (source address, token).
  Node(store::Database& db, std::string self_url, client::Outbound outbound = {});
  Node(store::Database& db, SelfUrl self_url, client::Outbound outbound = {});

  Result<std::vector<store::PeerRecord>> peers();

  /// The peer `name` designates (see peer_names.h): kUnknownPeer or kAmbiguousPeer.
  Result<store::PeerRecord> resolve_peer(const std::string& name);

  /// Sends `text` as a new task, in the dialect the peer's card offers, and returns its
  /// id: "t-" + uuid, chosen by us (legacy peers take it as theirs; v0.3/v1.0 peers name
  /// the task themselves, and theirs is kept as remote_id). When the peer is a
  /// Constellation node (its card carries a node id) the id is the peer's, so that its
  /// inbox and our `send` show the same one — unless it is not printable_task_id or
  /// another of our tasks has it already. The task is stored before it leaves (so
  /// an answer can never arrive for a task we forgot) and removed if the peer does not
  /// take it. A peer that answers at once with a message instead of a task (v0.3/v1.0
  /// allow it) leaves the task completed with that message as the answer.
  /// `attachments` (file and data parts) follow the text, which may then be empty; a
  /// peer of the original Rust dialect, which carries text only, is refused them with
  /// kPeerError before anything is stored or sent.
  Result<std::string> send(const std::string& peer_name, const std::string& text,
                           const std::vector<a2a::Part>& attachments = {});
  /// A further turn in an outbound task the peer asked a question in (or one still
  /// open): sent with the task's id and context, so the peer sees the same task again.
  /// Returns the task id. kTaskNotOpen when the task has ended; kPeerError for legacy
  /// peers, whose dialect has no turns.
  Result<std::string> send_turn(const std::string& id, const std::string& text,
                                const std::vector<a2a::Part>& attachments = {});

  /// The open inbound tasks, their senders' files saved (save_received).
  Result<std::vector<store::InboundTask>> inbox();
  /// `attachments` join the answer (the artifact, or the status message when `failed`);
  /// kUsage when the task came in the original Rust dialect, which carries text only.
  Result<store::InboundTask> respond(const std::string& id, const std::string& text, bool failed,
                                     const std::vector<a2a::Part>& attachments = {});
  /// Asks the sender of an inbound task a question (the task waits in input-required).
  Result<store::InboundTask> ask(const std::string& id, const std::string& question);

  /// The outbound task as stored.
  Result<store::OutboundTask> outbound(const std::string& id);
  /// Asks the peer for the task's state once, in the task's dialect, and stores what it
  /// says. A finished task is returned as stored, without asking.
  Result<store::OutboundTask> refresh(const std::string& id);
  /// Saves the files the other side put in `task` under the data directory
  /// (attachments.h) and sets their saved_path: the user's messages of an inbound task,
  /// the agent's messages, status message and artifacts of an outbound one.
  Status save_received(a2a::Task& task, bool inbound) const;

  /// Asks the peer to cancel the task and stores what it says. kTaskNotOpen when the
  /// task has already ended; kPeerError for legacy peers, which cannot cancel.
  Result<store::OutboundTask> cancel(const std::string& id);

 private:
  store::Database& db_;
  SelfUrl self_url_;
  client::Outbound outbound_;
};

}  // namespace constellation::node

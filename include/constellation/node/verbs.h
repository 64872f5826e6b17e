#pragma once
/// The operations behind the agent-facing verbs, as the CLI sees them. Two
/// implementations: DaemonVerbs (control socket, event-driven waiting) and LocalVerbs
/// (straight to the store and the peers, when no daemon runs).

#include <chrono>
#include <string>
#include <vector>

#include "constellation/store/inbound_tasks.h"
#include "constellation/store/outbound_tasks.h"
#include "constellation/store/peers.h"
#include "constellation/util/error.h"

namespace constellation::node {

class Verbs {
 public:
  virtual ~Verbs() = default;
  virtual Result<std::vector<store::PeerRecord>> peers() = 0;
  /// Returns the new task id. `attachments`: file and data parts after the text
  /// (Node::send says what happens to them).
  virtual Result<std::string> send(const std::string& peer, const std::string& text,
                                   const std::vector<a2a::Part>& attachments) = 0;
  /// A further turn in an outbound task (`send --task`); returns its id.
  virtual Result<std::string> send_turn(const std::string& id, const std::string& text,
                                        const std::vector<a2a::Part>& attachments) = 0;
  /// Blocks until the outbound task is terminal or waits for our input (the peer asked
  /// something), or `timeout` passes (kTimeout). The files of the answer are saved
  /// (Node::save_received), each part naming its saved_path.
  virtual Result<store::OutboundTask> wait(const std::string& id,
                                           std::chrono::milliseconds timeout) = 0;
  /// The open inbound tasks, their files saved (each part naming its saved_path).
  virtual Result<std::vector<store::InboundTask>> inbox() = 0;
  virtual Result<store::InboundTask> respond(const std::string& id, const std::string& text,
                                             bool failed,
                                             const std::vector<a2a::Part>& attachments) = 0;
  /// Asks the sender of an inbound task a question (`respond --ask`).
  virtual Result<store::InboundTask> ask(const std::string& id, const std::string& question) = 0;
  /// Asks the peer to cancel an outbound task; returns it as the peer then reports it.
  virtual Result<store::OutboundTask> cancel(const std::string& id) = 0;
};

}  // namespace constellation::node

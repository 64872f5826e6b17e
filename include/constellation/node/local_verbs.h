#pragma once
/// Verbs without a daemon: the store directly, and the peer polled from this process
/// (gently: this is the fallback, not the normal path).

#include <memory>

#include "constellation/node/node.h"
#include "constellation/node/verbs.h"

namespace constellation::node {

class LocalVerbs : public Verbs {
 public:
  LocalVerbs(std::unique_ptr<store::Database> db, Node::SelfUrl self_url,
             client::Outbound outbound = {});

  Result<std::vector<store::PeerRecord>> peers() override;
  Result<std::string> send(const std::string& peer, const std::string& text,
                           const std::vector<a2a::Part>& attachments) override;
  Result<store::OutboundTask> wait(const std::string& id,
                                   std::chrono::milliseconds timeout) override;
  Result<std::vector<store::InboundTask>> inbox() override;
  Result<store::InboundTask> respond(const std::string& id, const std::string& text, bool failed,
                                     const std::vector<a2a::Part>& attachments) override;
  Result<store::OutboundTask> cancel(const std::string& id) override;
  Result<std::string> send_turn(const std::string& id, const std::string& text,
                                const std::vector<a2a::Part>& attachments) override;
  Result<store::InboundTask> ask(const std::string& id, const std::string& question) override;

 private:
  std::unique_ptr<store::Database> db_;
  Node node_;
};

/// The kTimeout error `wait` reports, shared so both paths say the same thing.
Error wait_timeout_error(const std::string& id, std::chrono::milliseconds timeout);

}  // namespace constellation::node

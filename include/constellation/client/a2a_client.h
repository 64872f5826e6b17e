#pragma once
/// Talking A2A to other peers: fetch a card, then send, get and cancel tasks in the
/// dialect the peer's card offers (a2a-wire.md §4.5; a2a_calls.h says what goes on the
/// wire). Every error names the call, the endpoint and what to do next.

#include <chrono>
#include <string>

#include <boost/asio/awaitable.hpp>

#include "constellation/a2a/agent_card.h"
#include "constellation/a2a/dialect.h"
#include "constellation/a2a/task.h"
#include "constellation/client/a2a_calls.h"
#include "constellation/util/error.h"

namespace constellation::client {

struct FetchedCard {
  a2a::AgentCard card;
  std::string raw_json;  ///< the card as served, for `peers --json` and choose_endpoint
  std::string card_url;  ///< where it was found
};

/// GET {base}/.well-known/agent-card.json with `A2A-Version: 1.0` (so a server that
/// varies its card by version shows its v1.0 interfaces), then {base}/.well-known/agent.json
/// when the first is missing or not a card. kPeerUnreachable when the host does not
/// answer, kPeerError when it answers without a usable card. `timeout` covers both.
boost::asio::awaitable<Result<FetchedCard>> fetch_card(std::string base_url,
                                                       std::chrono::milliseconds timeout);

/// Hands the peer a new task without waiting for its answer. The reply is the task the
/// peer made (with its own id, for v0.3/v1.0) or a direct answer message.
boost::asio::awaitable<Result<SendReply>> send_task(a2a::PeerEndpoint endpoint, NewTask task,
                                                    std::chrono::milliseconds timeout);

/// The task as the peer has it now; `task_id` is the peer's id. JSON-RPC -32001 becomes
/// kUnknownTask, other JSON-RPC errors kPeerError.
boost::asio::awaitable<Result<a2a::Task>> get_task(a2a::PeerEndpoint endpoint, std::string task_id,
                                                   std::chrono::milliseconds timeout);

/// Asks the peer to cancel the task and returns it as the peer then has it. Legacy peers
/// cannot cancel: kPeerError without asking. -32002 (already ended) becomes kTaskNotOpen.
boost::asio::awaitable<Result<a2a::Task>> cancel_task(a2a::PeerEndpoint endpoint,
                                                      std::string task_id,
                                                      std::chrono::milliseconds timeout);

}  // namespace constellation::client

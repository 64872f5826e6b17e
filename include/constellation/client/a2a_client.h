#pragma once
/// Talking A2A to other peers: fetch a card, send a task, read a task back.
/// Only the legacy dialect so far (what the Rust original speaks).

#include <chrono>
#include <string>

#include <boost/asio/awaitable.hpp>

#include "constellation/a2a/agent_card.h"
#include "constellation/a2a/legacy.h"
#include "constellation/a2a/task.h"
#include "constellation/util/error.h"

namespace constellation::client {

struct FetchedCard {
  a2a::AgentCard card;
  std::string raw_json;  ///< the card as served, for `peers --json`
  std::string card_url;  ///< where it was found
};

/// GET {base}/.well-known/agent-card.json, then {base}/.well-known/agent.json when the
/// first is missing or not a card. kPeerUnreachable when the host does not answer,
/// kPeerError when it answers without a usable card. `timeout` covers both requests.
boost::asio::awaitable<Result<FetchedCard>> fetch_card(std::string base_url,
                                                       std::chrono::milliseconds timeout);

/// `tasks/send` with a client-chosen id. `source_url` goes in X-A2A-Source-Url.
boost::asio::awaitable<Result<a2a::Task>> legacy_send(std::string endpoint,
                                                      a2a::legacy::SendParams params,
                                                      std::string source_url,
                                                      std::chrono::milliseconds timeout);

/// `tasks/get`. A JSON-RPC -32001 becomes kUnknownTask; other errors kPeerError.
boost::asio::awaitable<Result<a2a::Task>> legacy_get(std::string endpoint, std::string task_id,
                                                     std::chrono::milliseconds timeout);

}  // namespace constellation::client

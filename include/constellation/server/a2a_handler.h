#pragma once
/// The public A2A endpoint: the agent card and JSON-RPC on one port.

#include <functional>
#include <string>

#include <boost/asio/any_io_executor.hpp>

#include "constellation/server/http_message.h"
#include "constellation/server/rpc_service.h"

namespace constellation::server {

struct A2aHandlerDeps {
  std::string card_json;                ///< served at both well-known paths
  RpcService* rpc = nullptr;            ///< runs on `blocking`
  boost::asio::any_io_executor blocking;  ///< thread pool for store work
  /// Called (on the blocking pool) after a new inbound task is committed.
  std::function<void(const std::string& task_id)> on_new_task;
};

/// Routes: GET /.well-known/agent.json and /.well-known/agent-card.json → the card;
/// POST / → JSON-RPC; anything else 404/405 with a plain-text reason.
HttpHandler make_a2a_handler(A2aHandlerDeps deps);

/// Pure routing decision, separated so it is testable without Asio.
enum class A2aRoute { kCard, kRpc, kMethodNotAllowed, kNotFound };
A2aRoute route_a2a(const std::string& method, std::string_view path);

}  // namespace constellation::server

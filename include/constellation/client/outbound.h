#pragma once
/// How this process's outgoing A2A calls present themselves, held by the io_context
/// that runs them (an Asio service, set once before the context runs; a context
/// without one connects from any address and sends no token).

#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/execution_context.hpp>

namespace constellation::client {

struct Outbound {
  /// Connect from this address (a daemon bound to one address speaks from it, so the
  /// peers it calls can tell who calls). "" = let the system choose.
  std::string source_address;
  /// [security] token_file's token, sent as `Authorization: Bearer` on POSTs to peers.
  std::string bearer_token;
};

/// The outbound settings for a daemon bound to `bind_host`: its source address unless
/// it listens on every address ("0.0.0.0", "::").
Outbound outbound_for_bind(const std::string& bind_host, std::string bearer_token);

void set_outbound(boost::asio::execution_context& context, Outbound outbound);
/// The settings of the context behind `executor`; empty when none were set.
Outbound outbound_of(const boost::asio::any_io_executor& executor);

}  // namespace constellation::client

#pragma once
/// Who is calling: turns a connection's source address into a security::Caller with
/// what the network knows about it — `tailscale whois` for tailnet nodes, else the
/// discovered peer answering on that address. Answers are cached, and concurrent
/// requests from one address share one lookup, so a burst of calls costs one whois.

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>

#include "constellation/discovery/tailscale_whois.h"
#include "constellation/security/caller.h"
#include "constellation/store/database.h"
#include "constellation/store/peers.h"

namespace constellation::daemon {

/// The caller at `address` given the tailnet's answer (nullptr when it has none) and the
/// peers discovery knows. A whois answer verifies the node, its owner and tags; a peer
/// whose URL (or last probe) is on the address, or on one of the node's names, gives the
/// peer name. Without either the caller is unverified. Pure, for tests.
security::Caller make_caller(const std::string& address, const discovery::TailscaleWhois* whois,
                             const std::vector<store::PeerRecord>& peers);

struct CallerResolverOptions {
  bool ask_tailscale = true;  ///< run `tailscale whois` ([network] discovery has "tailscale")
  std::chrono::milliseconds whois_timeout{std::chrono::seconds(2)};
  /// How long a verified answer is reused; an unverified one is retried sooner, as
  /// discovery may find the peer in the meantime.
  std::chrono::milliseconds verified_ttl{std::chrono::minutes(1)};
  std::chrono::milliseconds unverified_ttl{std::chrono::seconds(5)};
};

class CallerResolver {
 public:
  CallerResolver(boost::asio::io_context& ioc, boost::asio::any_io_executor blocking,
                 store::Database& db, CallerResolverOptions options);
  ~CallerResolver();
  CallerResolver(const CallerResolver&) = delete;
  CallerResolver& operator=(const CallerResolver&) = delete;

  /// Never fails: when nothing can be learnt the caller is unverified (and why is logged
  /// at debug level). Resumes on the awaiting coroutine's executor.
  boost::asio::awaitable<security::Caller> identify(std::string address);

  struct State;

 private:
  std::shared_ptr<State> state_;
};

}  // namespace constellation::daemon

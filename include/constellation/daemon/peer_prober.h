#pragma once
/// Probes the static peers from config.toml for their cards every interval (the first
/// round at start-up), concurrently, each with its own deadline, and records the
/// outcome in the store. Discovery sources (Tailscale, mDNS) feed the same table.

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/io_context.hpp>

#include "constellation/store/database.h"

namespace constellation::daemon {

struct ProberOptions {
  std::vector<std::string> static_peers;  ///< base URLs
  std::chrono::milliseconds interval{std::chrono::seconds(30)};
  std::chrono::milliseconds probe_timeout{std::chrono::seconds(3)};
  std::string self_url;  ///< our own card URL: a static entry pointing at us is skipped
};

class PeerProber {
 public:
  PeerProber(boost::asio::io_context& ioc, boost::asio::any_io_executor blocking,
             store::Database& db, ProberOptions options);
  ~PeerProber();
  void start();
  void stop();

  struct State;

 private:
  std::shared_ptr<State> state_;
};

}  // namespace constellation::daemon

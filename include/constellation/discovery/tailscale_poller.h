#pragma once
/// Runs `tailscale status --json` every interval (the first time at start) and hands
/// each outcome to a callback. Trouble — no `tailscale` binary, tailscaled not running,
/// logged out, garbage output, a hung CLI — is logged once when it starts and once when
/// it clears, never once per round.

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include <boost/asio/any_io_executor.hpp>

#include "constellation/discovery/tailscale_status.h"
#include "constellation/util/error.h"

namespace constellation::discovery {

struct TailscalePollerOptions {
  std::string executable = "tailscale";  ///< searched on PATH
  std::chrono::milliseconds interval{std::chrono::seconds(30)};
  std::chrono::milliseconds timeout{std::chrono::seconds(5)};
};

class TailscalePoller {
 public:
  /// `on_status` runs on `executor` after every round: the parsed status, or an error
  /// saying why there is none. A status whose backend is not Running is passed on
  /// (its peers are stale), so the caller can take every peer offline.
  using Callback = std::function<void(Result<TailscaleStatus>)>;
  TailscalePoller(boost::asio::any_io_executor executor, TailscalePollerOptions options,
                  Callback on_status);
  ~TailscalePoller();
  TailscalePoller(const TailscalePoller&) = delete;
  TailscalePoller& operator=(const TailscalePoller&) = delete;

  void start();
  /// Stops the loop and kills a running child; no callback runs after stop() returns
  /// on the executor's thread.
  void stop();

  struct State;

 private:
  std::shared_ptr<State> state_;
};

/// `tailscale ip -4`, synchronously with a short timeout: the address, or an error
/// saying why not (missing binary, not logged in, …). For start-up.
Result<std::string> query_tailscale_ipv4(const std::string& executable,
                                         std::chrono::milliseconds timeout);

}  // namespace constellation::discovery

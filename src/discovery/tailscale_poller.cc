#include "constellation/discovery/tailscale_poller.h"

#include <algorithm>
#include <atomic>
#include <utility>
#include <vector>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <spdlog/spdlog.h>

#include "constellation/discovery/child_process.h"

namespace constellation::discovery {

namespace asio = boost::asio;

struct TailscalePoller::State {
  asio::any_io_executor executor;
  TailscalePollerOptions options;
  Callback on_status;
  asio::strand<asio::any_io_executor> strand;
  asio::steady_timer timer;  // on `strand`
  /// Cancels whatever the loop awaits, the child included; emitted only on `strand`.
  asio::cancellation_signal cancel;
  bool started = false;  // touched only by start()
  /// Set by stop() on the caller's thread, so a callback already posted is dropped.
  std::atomic<bool> stopped{false};
  /// The trouble seen last round ("" when running), so a condition that lasts is logged
  /// once when it starts and once when it clears, never per round.
  std::string last_condition = "<first round>";

  State(asio::any_io_executor e, TailscalePollerOptions o, Callback cb)
      : executor(std::move(e)),
        options(std::move(o)),
        on_status(std::move(cb)),
        strand(asio::make_strand(executor)),
        timer(strand) {}
};

namespace {

using State = TailscalePoller::State;

std::string first_line(const std::string& text) {
  const auto begin = text.find_first_not_of(" \t\r\n");
  if (begin == std::string::npos) return "";
  std::string line = text.substr(begin, text.find('\n', begin) - begin);
  while (!line.empty() && (line.back() == ' ' || line.back() == '\t' || line.back() == '\r')) {
    line.pop_back();
  }
  return line;
}

// A CLI that exits non-zero could not reach tailscaled (status --json exits 0 in every
// backend state); its stderr says why.
Error cli_failed(const std::string& command, const ProcessOutput& run) {
  const std::string message = first_line(run.err);
  return make_error(ErrorKind::kInternal, command + ": exit " + std::to_string(run.exit_code) +
                                              ": " +
                                              (message.empty() ? "no message on stderr" : message));
}

asio::awaitable<Result<TailscaleStatus>> poll_once(TailscalePollerOptions options) {
  std::vector<std::string> argv{options.executable, "status", "--json"};
  ProcessOptions process;
  process.timeout = options.timeout;
  auto run = co_await run_process(std::move(argv), process);
  if (!run) co_return run.error();
  if (run->exit_code != 0) co_return cli_failed(options.executable + " status --json", *run);
  co_return parse_tailscale_status(run->out);
}

void log_change(State& state, const Result<TailscaleStatus>& outcome) {
  std::string condition;
  if (!outcome) {
    condition = outcome.error().message;
  } else if (!outcome->running()) {
    condition = "state " + outcome->backend_state;
  }
  if (condition == state.last_condition) return;
  const bool first = state.last_condition == "<first round>";
  state.last_condition = condition;
  if (!outcome) {
    const auto ms = state.options.interval.count();
    spdlog::warn("tailscale discovery: {}; retrying every {} (drop \"tailscale\" from "
                 "[network] discovery if this host has no Tailscale)",
                 condition, ms % 1000 == 0 ? std::to_string(ms / 1000) + " s" : std::to_string(ms) + " ms");
  } else if (!outcome->running()) {
    spdlog::warn("tailscale discovery: {}", describe_backend_state(outcome->backend_state));
  } else {
    const auto online = std::count_if(outcome->peers.begin(), outcome->peers.end(),
                                      [](const TailscaleNode& peer) { return peer.online; });
    spdlog::info("tailscale: running{}, {} online peers", first ? "" : " again", online);
  }
}

void deliver(const std::shared_ptr<State>& state, Result<TailscaleStatus> outcome) {
  asio::post(state->executor, [state, outcome = std::move(outcome)]() mutable {
    if (!state->stopped) state->on_status(std::move(outcome));
  });
}

asio::awaitable<void> poll_loop(std::shared_ptr<State> state) {
  while (!state->stopped) {
    auto outcome = co_await poll_once(state->options);
    if (state->stopped) co_return;  // a child killed by stop() is no news
    log_change(*state, outcome);
    deliver(state, std::move(outcome));
    state->timer.expires_after(state->options.interval);
    auto [ec] = co_await state->timer.async_wait(asio::as_tuple(asio::use_awaitable));
    if (ec) co_return;
  }
}

}  // namespace

TailscalePoller::TailscalePoller(asio::any_io_executor executor, TailscalePollerOptions options,
                                 Callback on_status)
    : state_(
          std::make_shared<State>(std::move(executor), std::move(options), std::move(on_status))) {}

TailscalePoller::~TailscalePoller() { stop(); }

void TailscalePoller::start() {
  if (state_->started || state_->stopped) return;
  state_->started = true;
  asio::co_spawn(state_->strand, poll_loop(state_),
                 asio::bind_cancellation_slot(state_->cancel.slot(), asio::detached));
}

void TailscalePoller::stop() {
  if (state_->stopped.exchange(true)) return;
  auto state = state_;
  asio::post(state->strand, [state] {
    state->timer.cancel();
    state->cancel.emit(asio::cancellation_type::terminal);
  });
}

Result<std::string> query_tailscale_ipv4(const std::string& executable,
                                         std::chrono::milliseconds timeout) {
  ProcessOptions process;
  process.timeout = timeout;
  auto run = run_process_sync({executable, "ip", "-4"}, process);
  if (!run) return run.error();
  if (run->exit_code != 0) return cli_failed(executable + " ip -4", *run);
  return parse_tailscale_ip4(run->out);
}

}  // namespace constellation::discovery

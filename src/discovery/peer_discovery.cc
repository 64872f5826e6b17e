#include "constellation/discovery/peer_discovery.h"

#include <map>
#include <set>
#include <unordered_map>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <spdlog/spdlog.h>

#include "constellation/client/a2a_client.h"
#include "constellation/store/peers.h"
#include "constellation/util/run_blocking.h"

namespace constellation::discovery {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

namespace {

std::string trimmed(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

/// One address to probe, with every source that offers it.
struct Job {
  std::string base;
  std::vector<ProbeTarget> targets;
  std::vector<std::string> sources;
};

struct Outcome {
  Job job;
  Result<client::FetchedCard> card;
  std::int64_t latency_ms = 0;
  std::optional<std::string> problem;  ///< the card answered but cannot be taken
  bool self = false;
};

}  // namespace

struct PeerDiscovery::State {
  asio::io_context& ioc;
  asio::any_io_executor blocking;
  store::Database& db;
  DiscoveryOptions options;
  asio::strand<asio::io_context::executor_type> strand;
  asio::steady_timer timer;
  std::function<void(const RoundReport&)> on_round;
  // Everything below is touched only on `strand`.
  bool started = false;
  bool stopped = false;
  /// base URL → source → target.
  std::map<std::string, std::map<std::string, ProbeTarget>> targets;
  /// base URL → what the last probe there found, so the log tells changes only.
  std::unordered_map<std::string, std::string> last_outcome;

  State(asio::io_context& i, asio::any_io_executor b, store::Database& d, DiscoveryOptions o)
      : ioc(i), blocking(std::move(b)), db(d), options(std::move(o)),
        strand(asio::make_strand(i)), timer(strand) {}

  Job job_for(const std::string& base) const {
    Job job{base, {}, {}};
    for (const auto& [source, target] : targets.at(base)) {
      job.targets.push_back(target);
      job.sources.push_back(source);
    }
    return job;
  }

  /// Remembers `outcome` for `base`; returns the previous one.
  std::string remember(const std::string& base, std::string outcome) {
    auto& slot = last_outcome[base];
    std::string previous = std::move(slot);
    slot = std::move(outcome);
    return previous;
  }
};

namespace {

using State = PeerDiscovery::State;

bool is_self(const State& state, const a2a::AgentCard& card) {
  if (!state.options.self_node_id.empty() && card.node_id == state.options.self_node_id) return true;
  return trimmed(card.url) == trimmed(state.options.self_url);
}

asio::awaitable<Outcome> probe(std::shared_ptr<State> state, Job job) {
  Outcome o;
  const auto started = Clock::now();
  o.card = co_await client::fetch_card(job.base, state->options.probe_timeout);
  o.latency_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started).count();
  if (o.card) {
    o.self = is_self(*state, o.card->card);
    // Any source whose expectations the card meets vouches for it.
    for (const auto& target : job.targets) {
      o.problem = check_card(o.card->card, target);
      if (!o.problem) break;
    }
  }
  o.job = std::move(job);
  co_return o;
}

store::PeerRecord seen_record(const Outcome& o, a2a::Timestamp now) {
  const auto& card = o.card->card;
  store::PeerRecord peer;
  peer.node_id = card.node_id;
  peer.key = store::peer_key(card.node_id, card.url);
  peer.name = card.name;
  peer.url = card.url;
  peer.probe_url = o.job.base;
  peer.description = card.description;
  for (const auto& s : card.skills) peer.skills.push_back(s.name);
  peer.card_json = o.card->raw_json;
  peer.sources = o.job.sources;
  peer.last_seen = peer.last_probe = now;
  peer.online = true;
  peer.latency_ms = o.latency_ms;
  return peer;
}

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ", ") + i;
  return out;
}

/// Logs what changed at this address since the last probe; nothing when nothing did.
void log_outcome(State& state, const Outcome& o) {
  const std::string& base = o.job.base;
  const std::string origin = o.job.targets.empty() ? base : o.job.targets.front().origin;
  if (o.self) {
    if (state.remember(base, "self") != "self") spdlog::debug("{} ({}) is this node", base, origin);
    return;
  }
  if (o.card && !o.problem) {
    const auto& card = o.card->card;
    if (state.remember(base, "up:" + card.name + "@" + card.url) != "up:" + card.name + "@" + card.url) {
      spdlog::info("peer '{}' found at {} (via {}, {} ms)", card.name, card.url,
                   joined(o.job.sources), o.latency_ms);
    }
    return;
  }
  if (o.card) {
    if (state.remember(base, "bad:" + *o.problem) != "bad:" + *o.problem) {
      spdlog::warn("ignoring the agent at {} ({}): {}", base, origin, *o.problem);
    }
    return;
  }
  const std::string previous = state.remember(base, "down");
  if (previous.rfind("up:", 0) == 0) {
    spdlog::warn("peer '{}' at {} stopped answering: {}",
                 previous.substr(3, previous.rfind('@') - 3), base, o.card.error().message);
  } else if (previous.empty()) {
    // Most tailnet hosts run no Constellation: not worth more than a debug line.
    spdlog::debug("no agent at {} ({}): {}", base, origin, o.card.error().message);
  }
}

/// Stores updates (and prunes, after a full round) off the I/O threads.
asio::awaitable<void> record(std::shared_ptr<State> state, std::vector<store::PeerUpdate> updates,
                             bool prune) {
  const auto cutoff = std::chrono::system_clock::now() - state->options.prune_after;
  auto job = [state, updates = std::move(updates), prune,
              cutoff]() -> Result<std::vector<std::string>> {
    store::PeerTable table(state->db);
    if (auto st = table.apply(updates); !st) return st.error();
    if (!prune) return std::vector<std::string>{};
    return table.prune(cutoff);
  };
  auto stored = co_await run_blocking(state->blocking, std::move(job));
  if (!stored) {
    spdlog::error("recording discovery results: {}", stored.error().message);
    co_return;
  }
  for (const auto& name : *stored) {
    spdlog::info("forgot peer '{}': not seen for {} s", name,
                 std::chrono::duration_cast<std::chrono::seconds>(state->options.prune_after).count());
  }
}

/// Probes `jobs` concurrently (each on its own strand, so one dead host never delays
/// the others), then stores every outcome in one transaction. Runs on state->strand.
asio::awaitable<RoundReport> run_batch(std::shared_ptr<State> state, std::vector<Job> jobs,
                                       bool prune) {
  struct Batch {
    explicit Batch(asio::strand<asio::io_context::executor_type>& s) : done(s) {}
    std::vector<Outcome> outcomes;
    std::size_t pending = 0;
    asio::steady_timer done;
  };
  const auto started = Clock::now();
  auto batch = std::make_shared<Batch>(state->strand);
  batch->pending = jobs.size();
  for (auto& job : jobs) {
    auto on_done = asio::bind_executor(state->strand, [batch](std::exception_ptr, Outcome o) {
      batch->outcomes.push_back(std::move(o));
      if (--batch->pending == 0) batch->done.cancel();
    });
    asio::co_spawn(asio::make_strand(state->ioc), probe(state, std::move(job)), std::move(on_done));
  }
  if (batch->pending > 0) {
    batch->done.expires_at(asio::steady_timer::time_point::max());
    co_await batch->done.async_wait(asio::as_tuple(asio::use_awaitable));
  }

  RoundReport report;
  report.targets = batch->outcomes.size();
  const auto now = std::chrono::system_clock::now();
  std::vector<store::PeerUpdate> updates;
  for (const auto& o : batch->outcomes) {
    // A target withdrawn while its probe ran is no longer ours to judge.
    if (!state->targets.contains(o.job.base)) continue;
    log_outcome(*state, o);
    if (o.self) continue;
    if (o.card && !o.problem) {
      ++report.answered;
      updates.push_back(store::PeerSeen{seen_record(o, now)});
    } else {
      std::string why = o.card ? *o.problem : o.card.error().message;
      updates.push_back(store::PeerDown{o.job.base, std::move(why), now});
    }
  }
  co_await record(state, std::move(updates), prune);
  report.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
  co_return report;
}

asio::awaitable<void> round_loop(std::shared_ptr<State> state) {
  while (!state->stopped) {
    std::vector<Job> jobs;
    for (const auto& [base, sources] : state->targets) jobs.push_back(state->job_for(base));
    const auto report = co_await run_batch(state, std::move(jobs), /*prune=*/true);
    if (state->stopped) co_return;
    spdlog::debug("discovery round: {} of {} addresses answered in {} ms", report.answered,
                  report.targets, report.elapsed.count());
    if (state->on_round) state->on_round(report);
    state->timer.expires_after(state->options.interval);
    auto [ec] = co_await state->timer.async_wait(asio::as_tuple(asio::use_awaitable));
    if (ec == asio::error::operation_aborted) co_return;
  }
}

/// Probes the given addresses now, outside the round rhythm.
void probe_now(const std::shared_ptr<State>& state, std::vector<Job> jobs) {
  if (!state->started || state->stopped || jobs.empty()) return;
  asio::co_spawn(
      state->strand,
      [state, jobs = std::move(jobs)]() mutable -> asio::awaitable<void> {
        co_await run_batch(state, std::move(jobs), /*prune=*/false);
      },
      asio::detached);
}

/// Takes peers at withdrawn addresses offline now rather than at the next round.
void withdraw(const std::shared_ptr<State>& state, std::vector<store::PeerUpdate> downs) {
  if (downs.empty()) return;
  for (const auto& d : downs) {
    const auto& down = std::get<store::PeerDown>(d);
    auto it = state->last_outcome.find(down.probe_url);
    const std::string previous = it == state->last_outcome.end() ? "" : it->second;
    if (it != state->last_outcome.end()) state->last_outcome.erase(it);
    if (previous.rfind("up:", 0) == 0) {
      spdlog::info("peer '{}' at {} is offline: {}", previous.substr(3, previous.rfind('@') - 3),
                   down.probe_url, down.error);
    }
  }
  asio::co_spawn(state->strand, record(state, std::move(downs), false), asio::detached);
}

}  // namespace

PeerDiscovery::PeerDiscovery(asio::io_context& ioc, asio::any_io_executor blocking,
                             store::Database& db, DiscoveryOptions options)
    : state_(std::make_shared<State>(ioc, std::move(blocking), db, std::move(options))) {}

PeerDiscovery::~PeerDiscovery() { stop(); }

void PeerDiscovery::on_round(std::function<void(const RoundReport&)> callback) {
  auto state = state_;
  asio::post(state->strand, [state, cb = std::move(callback)]() mutable { state->on_round = std::move(cb); });
}

void PeerDiscovery::start() {
  auto state = state_;
  asio::post(state->strand, [state] {
    if (state->started || state->stopped) return;
    state->started = true;
    asio::co_spawn(state->strand, round_loop(state), asio::detached);
  });
}

void PeerDiscovery::stop() {
  auto state = state_;
  asio::post(state->strand, [state] {
    state->stopped = true;
    state->timer.cancel();
  });
}

void PeerDiscovery::set_targets(std::string source, std::vector<ProbeTarget> targets,
                                std::string reason) {
  auto state = state_;
  asio::post(state->strand, [state, source = std::move(source), targets = std::move(targets),
                             reason = std::move(reason)]() mutable {
    std::set<std::string> offered;
    for (const auto& t : targets) offered.insert(t.base_url);
    std::vector<store::PeerUpdate> downs;
    const auto now = std::chrono::system_clock::now();
    for (auto it = state->targets.begin(); it != state->targets.end();) {
      auto& by_source = it->second;
      if (by_source.erase(source) > 0 && !offered.contains(it->first) && by_source.empty()) {
        downs.push_back(store::PeerDown{it->first, reason, now});
        it = state->targets.erase(it);
      } else {
        ++it;
      }
    }
    std::vector<std::string> fresh;
    for (auto& t : targets) {
      auto base = t.base_url;
      if (!state->targets.contains(base)) fresh.push_back(base);
      state->targets[base][source] = std::move(t);
    }
    std::vector<Job> jobs;
    for (const auto& base : fresh) jobs.push_back(state->job_for(base));
    withdraw(state, std::move(downs));
    probe_now(state, std::move(jobs));
  });
}

void PeerDiscovery::add_target(std::string source, ProbeTarget target) {
  auto state = state_;
  asio::post(state->strand, [state, source = std::move(source), target = std::move(target)]() mutable {
    const std::string base = target.base_url;
    state->targets[base][source] = std::move(target);
    std::vector<Job> jobs{state->job_for(base)};
    probe_now(state, std::move(jobs));
  });
}

void PeerDiscovery::remove_target(std::string source, std::string base_url, std::string reason) {
  auto state = state_;
  asio::post(state->strand, [state, source = std::move(source), base = std::move(base_url),
                             reason = std::move(reason)] {
    auto it = state->targets.find(base);
    if (it == state->targets.end() || it->second.erase(source) == 0 || !it->second.empty()) return;
    state->targets.erase(it);
    std::vector<store::PeerUpdate> downs{
        store::PeerDown{base, reason, std::chrono::system_clock::now()}};
    withdraw(state, std::move(downs));
  });
}

}  // namespace constellation::discovery

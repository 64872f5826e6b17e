#include "constellation/daemon/caller_resolver.h"

#include <map>
#include <mutex>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <spdlog/spdlog.h>

#include "constellation/discovery/child_process.h"
#include "constellation/util/run_blocking.h"

namespace constellation::daemon {

namespace asio = boost::asio;
using asio::awaitable;

namespace {

bool same_host(std::string_view a, std::string_view b) {
  if (a.ends_with('.')) a.remove_suffix(1);
  if (b.ends_with('.')) b.remove_suffix(1);
  return !a.empty() && a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

}  // namespace

security::Caller make_caller(const std::string& address, const discovery::TailscaleWhois* whois,
                             const std::vector<store::PeerRecord>& peers) {
  security::Caller caller = security::unverified_caller(address);
  std::vector<std::string> names{caller.address};
  if (whois != nullptr) {
    caller.verified_by = std::string(security::kVerifiedByTailscale);
    caller.node = whois->node_name;
    caller.user = whois->login_name;
    caller.tags = whois->tags;
    for (const auto& a : whois->addresses) {
      if (a != caller.address) caller.hosts.push_back(a);
    }
    if (!whois->dns_name.empty()) caller.hosts.push_back(whois->dns_name);
    names.insert(names.end(), caller.hosts.begin(), caller.hosts.end());
  }
  for (const auto& peer : peers) {
    const std::string_view url_host = security::url_host(peer.url);
    const std::string_view probe_host = security::url_host(peer.probe_url);
    const bool here = std::any_of(names.begin(), names.end(), [&](const std::string& n) {
      return same_host(n, url_host) || same_host(n, probe_host);
    });
    if (!here) continue;
    caller.peer = peer.name;
    if (!caller.verified()) caller.verified_by = std::string(security::kVerifiedByDiscovery);
    // Its callback may name the host its card gives rather than the address it calls from.
    for (const auto h : {url_host, probe_host}) {
      if (!h.empty() && !same_host(h, caller.address)) caller.hosts.emplace_back(h);
    }
    break;
  }
  return caller;
}

struct CallerResolver::State {
  State(asio::io_context& ioc, asio::any_io_executor pool, store::Database& database,
        CallerResolverOptions opts)
      : strand(asio::make_strand(ioc)), blocking(std::move(pool)), db(database), options(opts) {}

  /// One lookup in progress; later askers wait on `done` (cancelled when it finishes).
  struct Flight {
    explicit Flight(const asio::strand<asio::io_context::executor_type>& s)
        : done(s, asio::steady_timer::time_point::max()) {}
    asio::steady_timer done;
    std::optional<security::Caller> result;
  };
  struct Entry {
    security::Caller caller;
    std::chrono::steady_clock::time_point expires;
  };

  /// A fresh cache entry, read without the strand: a hit, the usual case, then costs
  /// no hop to the strand and back (every inbound call asks).
  std::optional<security::Caller> cached(const std::string& address,
                                         std::chrono::steady_clock::time_point now) {
    std::lock_guard lock(cache_mutex);
    if (auto it = cache.find(address); it != cache.end() && it->second.expires > now) {
      return it->second.caller;
    }
    return std::nullopt;
  }

  asio::strand<asio::io_context::executor_type> strand;
  asio::any_io_executor blocking;
  store::Database& db;
  CallerResolverOptions options;
  // Changed only on `strand`, under cache_mutex; read anywhere under cache_mutex.
  std::mutex cache_mutex;
  std::map<std::string, Entry> cache;
  // Touched only on `strand`.
  std::map<std::string, std::shared_ptr<Flight>> flights;
};

namespace {

using State = CallerResolver::State;

/// A bound on the cache: a scan of the whole IPv4 space must not grow it forever.
constexpr std::size_t kMaxCachedCallers = 4096;

awaitable<std::optional<discovery::TailscaleWhois>> ask_tailscale(std::shared_ptr<State> st,
                                                                 std::string address) {
  if (!st->options.ask_tailscale) co_return std::nullopt;
  discovery::ProcessOptions opts;
  opts.timeout = st->options.whois_timeout;
  opts.max_output = 1u << 20;
  // Named first: GCC 12 miscompiles a braced list inside co_await.
  std::vector<std::string> argv{"tailscale", "whois", "--json", address};
  auto out = co_await discovery::run_process(std::move(argv), opts);
  if (!out) {
    spdlog::debug("caller {}: tailscale whois: {}", address, out.error().message);
    co_return std::nullopt;
  }
  if (out->exit_code != 0) {
    // Not a tailnet address (or tailscaled is down): the usual case off the tailnet.
    spdlog::debug("caller {}: tailscale whois exited {}: {}", address, out->exit_code, out->err);
    co_return std::nullopt;
  }
  auto whois = discovery::parse_tailscale_whois(out->out);
  if (!whois) {
    spdlog::warn("caller {}: {}", address, whois.error().message);
    co_return std::nullopt;
  }
  co_return std::move(*whois);
}

awaitable<security::Caller> resolve(std::shared_ptr<State> st, std::string address) {
  auto whois = co_await ask_tailscale(st, address);
  store::Database* db = &st->db;
  auto read_peers = [db] { return store::PeerTable(*db).list(); };
  auto peers = co_await run_blocking(st->blocking, std::move(read_peers));
  if (!peers) spdlog::warn("caller {}: reading peers: {}", address, peers.error().message);
  static const std::vector<store::PeerRecord> kNone;
  co_return make_caller(address, whois ? &*whois : nullptr, peers ? *peers : kNone);
}

/// Runs on the strand.
awaitable<security::Caller> lookup(std::shared_ptr<State> st, std::string address) {
  const auto now = std::chrono::steady_clock::now();
  if (auto hit = st->cached(address, now)) co_return std::move(*hit);
  if (auto it = st->flights.find(address); it != st->flights.end()) {
    auto flight = it->second;
    while (!flight->result) co_await flight->done.async_wait(asio::as_tuple(asio::use_awaitable));
    co_return *flight->result;
  }
  auto flight = std::make_shared<State::Flight>(st->strand);
  st->flights.emplace(address, flight);
  security::Caller caller = co_await resolve(st, address);
  const auto ttl = caller.verified() ? st->options.verified_ttl : st->options.unverified_ttl;
  {
    std::lock_guard lock(st->cache_mutex);
    if (st->cache.size() >= kMaxCachedCallers) {
      std::erase_if(st->cache, [now](const auto& e) { return e.second.expires <= now; });
      if (st->cache.size() >= kMaxCachedCallers) st->cache.clear();
    }
    st->cache[address] = State::Entry{caller, std::chrono::steady_clock::now() + ttl};
  }
  st->flights.erase(address);
  flight->result = caller;
  flight->done.cancel();
  co_return caller;
}

}  // namespace

CallerResolver::CallerResolver(asio::io_context& ioc, asio::any_io_executor blocking,
                               store::Database& db, CallerResolverOptions options)
    : state_(std::make_shared<State>(ioc, std::move(blocking), db, options)) {}

CallerResolver::~CallerResolver() = default;

awaitable<security::Caller> CallerResolver::identify(std::string address) {
  address = security::normalize_address(address);
  if (address.empty()) co_return security::Caller{};
  if (auto hit = state_->cached(address, std::chrono::steady_clock::now())) co_return std::move(*hit);
  co_return co_await asio::co_spawn(state_->strand, lookup(state_, std::move(address)),
                                    asio::use_awaitable);
}

}  // namespace constellation::daemon

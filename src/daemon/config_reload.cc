#include "constellation/daemon/config_reload.h"

#include <tuple>

#include "constellation/util/concat.h"

namespace constellation::daemon {

namespace {

/// Collects the differences between two configs, key by key.
class Differ {
 public:
  explicit Differ(ReloadPlan& plan) : plan_(plan) {}

  template <class T>
  void live(const char* key, const T& now, const T& fresh, T& effective) {
    if (now == fresh) return;
    effective = fresh;
    plan_.applied.emplace_back(key);
  }

  template <class T>
  void fixed(const char* key, const T& now, const T& fresh, const char* why) {
    if (now == fresh) return;
    plan_.needs_restart.push_back(concat({key, ": needs a restart (", why, ")"}));
  }

 private:
  ReloadPlan& plan_;
};

}  // namespace

ReloadPlan plan_reload(const config::Config& running, const config::Config& fresh) {
  ReloadPlan plan;
  plan.effective = running;
  auto& e = plan.effective;
  Differ d(plan);
  const auto& r = running;
  const auto& f = fresh;

  d.live("agent.name", r.agent.name, f.agent.name, e.agent.name);
  if (r.agent.name != f.agent.name) {
    // The card changes now; the mDNS advertisement is registered once, at start.
    plan.needs_restart.emplace_back(
        "agent.name on mDNS: needs a restart (the LAN announcement keeps the old name)");
  }
  d.live("agent.description", r.agent.description, f.agent.description, e.agent.description);
  d.live("agent.skills", r.agent.skills, f.agent.skills, e.agent.skills);
  d.live("security.allow", r.security.allow, f.security.allow, e.security.allow);
  d.live("network.peers", r.network.peers, f.network.peers, e.network.peers);

  const char* socket = "the listening socket stays open";
  d.fixed("network.bind", std::tie(r.network.bind_host, r.network.bind_port),
          std::tie(f.network.bind_host, f.network.bind_port), socket);
  d.fixed("network.advertised_host", r.network.advertised_host, f.network.advertised_host,
          "peers know this agent by the URL it started with");
  d.fixed("network.discovery", r.network.discovery, f.network.discovery,
          "discovery sources start with the daemon");
  const char* rounds = "discovery is scheduled when the daemon starts";
  d.fixed("discovery.interval", r.discovery.interval, f.discovery.interval, rounds);
  d.fixed("discovery.probe_timeout", r.discovery.probe_timeout, f.discovery.probe_timeout, rounds);
  d.fixed("discovery.prune_after", r.discovery.prune_after, f.discovery.prune_after, rounds);
  d.fixed("discovery.ports", r.discovery.ports, f.discovery.ports, rounds);
  const char* handler = "the A2A server is built with it at start";
  d.fixed("a2a.blocking_timeout", r.a2a.blocking_timeout, f.a2a.blocking_timeout, handler);
  d.fixed("a2a.stream_keepalive", r.a2a.stream_keepalive, f.a2a.stream_keepalive, handler);
  d.fixed("store.path", r.store.path, f.store.path, "the open store stays in use");
  d.fixed("security.token_file", r.security.token_file, f.security.token_file,
          "the server and every call to peers must switch tokens together");
  const char* limits = "the server's limits are set when it starts";
  d.fixed("files.max_bytes", r.files.max_bytes, f.files.max_bytes, limits);
  d.fixed("limits.max_body_bytes", r.limits.max_body_bytes, f.limits.max_body_bytes, limits);
  d.fixed("limits.header_timeout", r.limits.header_timeout, f.limits.header_timeout, limits);
  d.fixed("limits.body_timeout", r.limits.body_timeout, f.limits.body_timeout, limits);
  d.fixed("limits.idle_timeout", r.limits.idle_timeout, f.limits.idle_timeout, limits);
  d.fixed("limits.max_connections", r.limits.max_connections, f.limits.max_connections, limits);
  d.fixed("limits.max_pending_per_peer", r.limits.max_pending_per_peer,
          f.limits.max_pending_per_peer, limits);
  return plan;
}

}  // namespace constellation::daemon

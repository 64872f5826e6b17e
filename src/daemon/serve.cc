#include "constellation/daemon/serve.h"

#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <thread>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "constellation/a2a/agent_card.h"
#include "constellation/a2a/timestamp.h"
#include "constellation/client/outbound.h"
#include "constellation/daemon/caller_resolver.h"
#include "constellation/control/daemon_verbs.h"
#include "constellation/daemon/control_routes.h"
#include "constellation/daemon/outbound_tracker.h"
#include "constellation/daemon/push_deliverer.h"
#include "constellation/daemon/push_receiver.h"
#include "constellation/daemon/discovery_sources.h"
#include "constellation/daemon/live_config.h"
#include "constellation/daemon/sd_notify.h"
#include "constellation/daemon/task_waiters.h"
#include "constellation/node/identity.h"
#include "constellation/node/node.h"
#include "constellation/security/allowlist.h"
#include "constellation/server/a2a_handler.h"
#include "constellation/server/http_server.h"
#include "constellation/server/rpc_service.h"
#include "constellation/store/database.h"
#include "constellation/store/meta.h"
#include "constellation/store/peers.h"
#include "constellation/util/concat.h"

namespace constellation::daemon {

namespace asio = boost::asio;

namespace {

/// Control socket connections at once (see where the control server is made).
constexpr std::size_t kControlConnections = 4096;

/// How long in-flight requests get to finish after SIGTERM before we stop regardless.
constexpr std::chrono::seconds kShutdownGrace{10};

/// Makes the socket's directory (0700) and clears a stale socket file — but only when
/// no live daemon answers on it.
Status prepare_control_socket(const std::filesystem::path& socket) {
  std::error_code ec;
  const auto dir = socket.parent_path();
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    return make_error(ErrorKind::kInternal,
                      "cannot create " + dir.string() + " for the control socket: " + ec.message());
  }
  ::chmod(dir.c_str(), 0700);
  if (!std::filesystem::exists(socket, ec)) return Ok{};
  if (auto live = control::DaemonVerbs::connect(socket)) {
    return make_error(ErrorKind::kUsage,
                      "another constellation daemon ('" + live->status().value("name", "?") +
                          "', pid " + std::to_string(live->status().value("pid", 0)) +
                          ") already serves " + socket.string() +
                          "; stop it first, or give this one its own XDG_RUNTIME_DIR");
  }
  std::filesystem::remove(socket, ec);
  if (ec) {
    return make_error(ErrorKind::kInternal,
                      "cannot remove stale control socket " + socket.string() + ": " + ec.message());
  }
  return Ok{};
}

DiscoverySetup discovery_setup(const config::Config& config, const std::string& node_id) {
  DiscoverySetup setup;
  setup.methods = config.network.discovery;
  setup.static_peers = config.network.peers;
  setup.interval = config.discovery.interval;
  setup.tailscale_ports.push_back(config.network.bind_port);
  for (auto port : config.discovery.ports)
    if (port != config.network.bind_port) setup.tailscale_ports.push_back(port);
  setup.advert.instance_name = config.agent.name;
  setup.advert.port = config.network.bind_port;
  setup.advert.agent_name = config.agent.name;
  setup.advert.node_id = node_id;
  setup.avahi_library = config.discovery.avahi_library;
  return setup;
}

/// Every connection is a descriptor: with the usual soft limit of 1024, the A2A cap
/// (512) plus a burst of verbs on the control socket would run out (EMFILE) before any
/// cap applies. The hard limit is ours to take; more than 65536 is never needed.
void raise_descriptor_limit() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return;
  const rlim_t wanted = std::min<rlim_t>(limit.rlim_max, 65536);
  if (limit.rlim_cur >= wanted) return;
  const rlim_t before = limit.rlim_cur;
  limit.rlim_cur = wanted;
  if (::setrlimit(RLIMIT_NOFILE, &limit) != 0) {
    spdlog::warn("cannot raise the open-file limit from {} to {}: {}", before, wanted,
                 std::strerror(errno));
    return;
  }
  spdlog::debug("open-file limit raised from {} to {}", before, wanted);
}

/// Requests (and `send`s over the control socket) may carry [files] max_bytes of files
/// on top of [limits] max_body_bytes.
server::ServerLimits server_limits(const config::Config& config) {
  server::ServerLimits limits;
  limits.max_body_bytes = static_cast<std::size_t>(config.limits.max_body_bytes) +
                          server::base64_room_for_files(config.files.max_bytes);
  limits.header_timeout = config.limits.header_timeout;
  limits.body_timeout = config.limits.body_timeout;
  limits.idle_timeout = config.limits.idle_timeout;
  limits.max_connections = static_cast<std::size_t>(config.limits.max_connections);
  return limits;
}

}  // namespace

Status serve(const ServeOptions& options) {
  const auto& config = options.config;
  const auto started = std::chrono::system_clock::now();
  const auto started_steady = std::chrono::steady_clock::now();
  SystemdNotifier notifier;
  raise_descriptor_limit();
  auto db = store::Database::open(options.store_path);
  if (!db) return db.error();
  // Found at start, a damaged page is a clear refusal; found later, a failed request.
  if (auto st = (*db)->check_integrity(); !st) return st;
  auto node_id = store::node_id(**db);
  if (!node_id) return node_id.error();
  auto identity = node::load_identity(config, *node_id);
  if (!identity) return identity.error();

  if (auto st = prepare_control_socket(options.control_socket); !st) return st;

  asio::io_context ioc(options.io_threads);
  asio::thread_pool blocking(static_cast<std::size_t>(options.blocking_threads));
  std::atomic<bool> stopping{false};

  // Calls to peers come from our bound address and carry the mesh token, from the
  // daemon's own io_context and from the Node's private ones alike.
  const client::Outbound outbound =
      client::outbound_for_bind(config.network.bind_host, options.bearer_token);
  client::set_outbound(ioc, outbound);
  node::Node node(**db, identity->url, outbound);
  // One log for every limit hit, whichever part of the server refuses.
  auto limit_log = std::make_shared<server::LimitLog>();
  server::RpcService rpc(**db, config.files.max_bytes, config.limits.max_pending_per_peer,
                         limit_log);
  TaskWaiters waiters;  // outbound tasks: `wait` verbs
  TaskWaiters inbound_waiters;  // inbound tasks: blocking sends held open
  OutboundTracker tracker(ioc, blocking.get_executor(), **db, waiters);
  PushDeliverer pusher(ioc, blocking.get_executor(), **db);

  server::A2aHandlerDeps a2a_deps;
  a2a_deps.rpc = &rpc;
  a2a_deps.blocking = blocking.get_executor();
  a2a_deps.on_new_task = [](const std::string& id) { spdlog::info("task {} received", id); };
  a2a_deps.on_task_changed = [&inbound_waiters, &pusher](const std::string& id) {
    inbound_waiters.notify(id);
    pusher.kick(id);
  };
  a2a_deps.on_push = [&db, &waiters](const server::HttpRequest& req) {
    const PushReceipt receipt = receive_push(**db, req.header("x-a2a-notification-token"), req.body);
    if (receipt.changed_task_id) {
      // The poller's wording, so a log reader sees one story whichever way news came.
      spdlog::info("task {} to {}: {} (pushed)", *receipt.changed_task_id, receipt.peer_name,
                   a2a::state_name(receipt.state));
      waiters.notify(*receipt.changed_task_id);
    } else if (receipt.http_status != 200) {
      spdlog::warn("push from {} refused ({}): {}", req.remote_address, receipt.http_status,
                   receipt.message);
    }
    return server::text_response(receipt.http_status, receipt.message + "\n");
  };
  a2a_deps.watch_task = [&inbound_waiters](const std::string& id,
                                           const asio::any_io_executor& executor) {
    return std::unique_ptr<server::TaskWatch>(inbound_waiters.enter(id, executor));
  };
  CallerResolverOptions caller_options;
  caller_options.ask_tailscale = std::find(config.network.discovery.begin(), config.network.discovery.end(),
                                           "tailscale") != config.network.discovery.end();
  CallerResolver callers(ioc, blocking.get_executor(), **db, caller_options);
  a2a_deps.identify = [&callers](std::string address) {
    return callers.identify(std::move(address));
  };
  auto allow = security::Allowlist::parse(config.security.allow);
  if (!allow) return make_error(ErrorKind::kConfig, "[security] " + allow.error().message);
  // The card and the allowlist can change on SIGHUP; the handler reads them from here.
  auto a2a_live = std::make_shared<server::A2aLiveSettings>(
      a2a::card_to_json(identity->card).dump(), std::move(*allow));
  a2a_deps.live = a2a_live;
  a2a_deps.bearer_token = options.bearer_token;
  // Like every limit: once per caller and minute, so a refused caller cannot flood the log.
  a2a_deps.on_refused = [limit_log](const security::Caller& caller, int status) {
    const std::string who = security::display_name(caller) +
                            (caller.verified() ? " (" + caller.address + ")" : std::string());
    if (status == 403) {
      limit_log->hit("allowlist", who, "refused with 403: not in [security] allow");
    } else {
      limit_log->hit("token", who, "refused with 401: no valid bearer token");
    }
  };
  a2a_deps.blocking_timeout = config.a2a.blocking_timeout;
  a2a_deps.stream_keepalive = config.a2a.stream_keepalive;
  const server::ServerLimits limits = server_limits(config);
  server::HttpServer a2a_server(ioc, server::make_a2a_handler(std::move(a2a_deps)), limits, "a2a",
                                server::a2a_refusal, limit_log);
  if (auto st = a2a_server.listen_tcp(config.network.bind_host, config.network.bind_port); !st) {
    return make_error(st.error().kind, "cannot serve A2A: " + st.error().message);
  }

  // Rows from an earlier run (a peer since removed from config, or gone) must not be
  // listed as reachable: only this run's probes bring peers back online.
  if (auto st = store::PeerTable(**db).mark_all_offline("not probed since the daemon started");
      !st) {
    spdlog::warn("resetting peer liveness: {}", st.error().message);
  }
  discovery::DiscoveryOptions discovery_options;
  discovery_options.interval = config.discovery.interval;
  discovery_options.probe_timeout = config.discovery.probe_timeout;
  discovery_options.prune_after = config.discovery.prune_after;
  discovery_options.self_url = identity->url;
  discovery_options.self_node_id = *node_id;
  discovery::PeerDiscovery prober(ioc, blocking.get_executor(), **db, discovery_options);
  DiscoverySources sources(ioc, prober, discovery_setup(config, *node_id));
  LiveConfig live_config(config, options.config_path,
                         {a2a_live.get(), &sources, identity->url, *node_id});

  ControlDeps control_deps;
  control_deps.node = &node;
  control_deps.blocking = blocking.get_executor();
  control_deps.tracker = &tracker;
  control_deps.waiters = &waiters;
  control_deps.inbound_waiters = &inbound_waiters;
  control_deps.pusher = &pusher;
  control_deps.stopping = &stopping;
  control_deps.status = {{"name", config.agent.name},
                         {"node_id", *node_id},
                         {"url", identity->url},
                         {"pid", static_cast<long>(::getpid())},
                         {"version", CONSTELLATION_VERSION},
                         // A CLI sends files only to a daemon that says it reads them.
                         {"attachments", true}};
  control_deps.db = db->get();
  control_deps.live_status = [&, base = control_deps.status] {
    nlohmann::json daemon = base;
    daemon["running"] = true;
    daemon["name"] = live_config.agent_name();
    daemon["started_at"] = a2a::format_timestamp(started);
    daemon["uptime_s"] = std::chrono::duration_cast<std::chrono::seconds>(
                             std::chrono::steady_clock::now() - started_steady)
                             .count();
    daemon["control_socket"] = options.control_socket.string();
    daemon["store"] = options.store_path.string();
    nlohmann::json discovery = nlohmann::json::array();
    for (const auto& h : sources.health()) discovery.push_back(health_to_json(h));
    return nlohmann::json{{"daemon", daemon}, {"discovery", discovery}};
  };
  // Waits are long polls: no read deadline applies while a handler runs, only between
  // requests, so the A2A limits suit the control socket too. Its clients are this user's
  // own verbs, though, which a script may start by the hundred: their connections are
  // bounded by the descriptors the process may open, not by the A2A cap.
  server::ServerLimits control_limits = limits;
  control_limits.max_connections = std::max<std::size_t>(limits.max_connections, kControlConnections);
  server::HttpServer control_server(ioc, make_control_handler(std::move(control_deps)),
                                    control_limits, "control", server::plain_refusal, limit_log);
  if (auto st = control_server.listen_unix(options.control_socket); !st) {
    return make_error(st.error().kind, "cannot open the control socket: " + st.error().message);
  }

  prober.start();
  sources.start();
  tracker.track_all_active();
  pusher.start();

  asio::steady_timer grace_timer(ioc);
  // Once every connection has ended, the grace timer is all that keeps run() going.
  asio::steady_timer drain_timer(ioc);
  std::function<void()> drain_check = [&] {
    if (a2a_server.connection_count() == 0 && control_server.connection_count() == 0) {
      grace_timer.cancel();
      return;
    }
    drain_timer.expires_after(std::chrono::milliseconds(50));
    drain_timer.async_wait([&](const boost::system::error_code& ec) {
      if (!ec) drain_check();
    });
  };
  // SIGHUP (systemctl reload: ExecReload=kill -HUP) re-reads the config, again and again.
  asio::signal_set reload_signals(ioc, SIGHUP);
  std::function<void()> await_reload = [&] {
    reload_signals.async_wait([&](const boost::system::error_code& ec, int) {
      if (ec || stopping) return;
      notifier.reloading("reloading config.toml");
      const std::string outcome = live_config.reload();
      // READY=1 ends the reload for systemd whether or not the file was good: the
      // daemon serves either way, on the previous config when the new one is broken.
      notifier.ready(outcome);
      await_reload();
    });
  };
  await_reload();
  asio::signal_set signals(ioc, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code& ec, int signo) {
    if (ec) return;
    spdlog::info("signal {}: stopping (in-flight requests get up to {} s)", signo,
                 kShutdownGrace.count());
    notifier.stopping("stopping: letting in-flight requests finish");
    stopping = true;
    reload_signals.cancel();
    a2a_server.stop();
    control_server.stop();
    sources.stop();
    prober.stop();
    tracker.stop();
    pusher.stop();
    waiters.notify_all();
    inbound_waiters.notify_all();
    grace_timer.expires_after(kShutdownGrace);
    grace_timer.async_wait([&](const boost::system::error_code& tec) {
      if (tec) return;
      spdlog::warn("requests still running after {} s; stopping anyway", kShutdownGrace.count());
      ioc.stop();
    });
    drain_check();
  });

  spdlog::info("'{}' (node {}) serving A2A on {} (bound to {}:{}), control socket {}, store {}",
               config.agent.name, *node_id, identity->url, config.network.bind_host,
               config.network.bind_port, options.control_socket.string(),
               options.store_path.string());
  // The store is open and both listeners accept (connections queue until run() below),
  // so whatever systemd starts after us can connect at once.
  notifier.ready(concat({"serving A2A on ", identity->url}));

  std::vector<std::thread> threads;
  for (int i = 1; i < options.io_threads; ++i) threads.emplace_back([&ioc] { ioc.run(); });
  ioc.run();
  for (auto& t : threads) t.join();
  blocking.join();
  spdlog::info("stopped");
  return Ok{};
}

}  // namespace constellation::daemon

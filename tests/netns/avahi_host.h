#pragma once
/// Real mDNS for tests: a private Ethernet segment of network namespaces, each running its
/// own D-Bus system bus and avahi-daemon (see the team's avahi-testing.md for why each
/// piece is needed). Needs root and `ip netns`; check unavailable_reason() first and skip.
///
/// Layout, for a Lan with prefix "cst<pid>n<k>" and subnet 10.99.N.0/24:
///   namespace <prefix>hub   bridge br0, one port per host ("v<label>")
///   namespace <prefix><label>   "eth0" = 10.99.N.<i> (i = 1, 2, … in order of add_host),
///       its veth peer plugged into br0; dbus-daemon + avahi-daemon (host name
///       "<prefix><label>.local") when started
///   directory /tmp/cstnet/<prefix>/<label>/   bus socket, configs, logs
///
/// Anything can join a host: run it under `exec_prefix()` (or `wrap(argv)`) for its
/// network, and give it `env()` (DBUS_SYSTEM_BUS_ADDRESS) for its avahi. The bus is a
/// socket file, so a process in any namespace reaches it, but libdbus reads that variable
/// once per process: one process can be an avahi client of one host only. Hence one
/// process per simulated peer (tests/discovery/mdns_probe_main.cc, or the real
/// `constellation serve`).
///
/// Everything is torn down by the destructors, including processes a test started inside
/// a host's namespace. Namespaces and directories left by a crashed run (their pid is
/// dead) are removed when the next Lan is made.

#include <csignal>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "netns/subprocess.h"

namespace netns {

/// "" when this process can build namespaces and run avahi; otherwise the reason, for
/// GTEST_SKIP.
std::string unavailable_reason();

class AvahiHost;

class Lan {
 public:
  /// Creates the hub namespace and bridge; throws std::runtime_error on failure.
  Lan();
  ~Lan();  ///< destroys every host, then the hub and the directories
  Lan(const Lan&) = delete;
  Lan& operator=(const Lan&) = delete;

  /// Adds a namespace plugged into the LAN. `label` is a short [a-z0-9]+ name ("a").
  /// With start, its dbus-daemon and avahi-daemon are running and ready on return;
  /// without, call host.start() later (e.g. to test a client that starts first).
  AvahiHost& add_host(const std::string& label, bool start = true);

  const std::string& prefix() const { return prefix_; }
  /// "10.99.N" (hosts are .1, .2, …; /24).
  const std::string& subnet() const { return subnet_; }

 private:
  std::string prefix_, subnet_, hub_;
  std::filesystem::path dir_;
  std::vector<std::unique_ptr<AvahiHost>> hosts_;
};

class AvahiHost {
 public:
  AvahiHost(const std::string& netns, const std::string& address, const std::filesystem::path& dir);
  ~AvahiHost();  ///< stops daemons, kills whatever else runs in the namespace, deletes it
  AvahiHost(const AvahiHost&) = delete;
  AvahiHost& operator=(const AvahiHost&) = delete;

  const std::string& netns() const { return netns_; }
  /// IPv4 address of eth0 in this namespace, as peers on the LAN see it.
  const std::string& address() const { return address_; }
  const std::string& interface() const { return interface_; }
  /// Avahi's host name, without ".local" (the namespace name).
  const std::string& host_name() const { return netns_; }
  /// Value for DBUS_SYSTEM_BUS_ADDRESS: "unix:path=<dir>/system_bus_socket".
  std::string bus_address() const;
  /// {"DBUS_SYSTEM_BUS_ADDRESS", bus_address()}, for processes that should use this avahi.
  EnvOverrides env() const;
  /// {"ip", "netns", "exec", netns}: prepend to run a command inside (full path of ip).
  std::vector<std::string> exec_prefix() const;
  /// exec_prefix() + argv.
  std::vector<std::string> wrap(const std::vector<std::string>& argv) const;
  /// Scratch directory owned by this host (configs and daemon logs live here too).
  const std::filesystem::path& dir() const { return dir_; }

  /// Starts dbus-daemon, then avahi-daemon; returns once avahi answers GetState with 2
  /// (running). Throws with the daemons' logs on timeout (15 s).
  void start();
  /// Stops avahi-daemon (SIGTERM lets it send goodbye packets; SIGKILL does not) and
  /// waits until it is gone. The bus stays up.
  void kill_avahi(int sig = SIGTERM);
  /// Starts avahi-daemon again (the bus must be up) and waits until it runs.
  void restart_avahi();
  bool avahi_running();
  /// Stops avahi-daemon and dbus-daemon.
  void stop();
  /// The avahi-daemon log (all runs), for failure messages.
  std::string avahi_log() const;

 private:
  void start_avahi();
  void wait_until_avahi_runs();

  std::string netns_, address_, interface_ = "eth0";
  std::filesystem::path dir_;
  std::unique_ptr<Daemon> dbus_, avahi_;
};

}  // namespace netns

#pragma once
/// A peer's view of a made-up tailnet: the fake `tailscale` CLI (tests/e2e/bin/tailscale)
/// installed first on the peer's PATH, printing status JSON built from the captured
/// fixture (tests/data/tailscale) with its peers moved to loopback addresses.

#include <filesystem>
#include <string>
#include <vector>

#include "e2e/peer.h"

namespace e2e {

class FakeTailnet {
 public:
  /// Installs the fake CLI for `peer` (set its PATH and FAKE_TAILSCALE_DIR); until a
  /// status is written it answers like a host whose tailscaled is not running.
  explicit FakeTailnet(TestPeer& peer);

  struct Node {
    std::string host;  ///< HostName; DNSName is host + ".tail4f2a9c.ts.net."
    std::string ip;    ///< its Tailscale IPv4 (a 127.x address here)
    bool online = true;
    std::string user;  ///< owner's login for whois; "" = a tagged device
    std::vector<std::string> tags{"tag:a2a-agent"};
  };
  /// `tailscale status --json`: Running, self at `self_ip`, these peers; and
  /// `tailscale whois --json <ip>` for each peer's IPv4 (built from the whois fixture).
  void write_status(const std::string& self_ip, const std::vector<Node>& nodes);
  /// `tailscale whois --json <node.ip>` only (e.g. for a caller not in the status).
  void write_whois(const Node& node);
  /// A fixture file printed verbatim (e.g. "status-stopped.json").
  void write_fixture(const std::string& fixture);
  /// Anything at all, for broken-CLI cases.
  void write_raw(const std::string& out, const std::string& err, int exit_code);
  /// `tailscale ip -4` prints `ip`.
  void write_ip4(const std::string& ip);
  /// Removes the fake binary (as if Tailscale were uninstalled), or puts it back.
  void remove_cli();
  void restore_cli();

 private:
  void put(const std::string& name, const std::string& text);
  std::filesystem::path dir_;
};

}  // namespace e2e

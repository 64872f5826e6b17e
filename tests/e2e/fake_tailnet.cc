#include "e2e/fake_tailnet.h"

#include <cstdio>
#include <fstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "e2e/process.h"

namespace e2e {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

const fs::path kFixtures = fs::path(CONSTELLATION_TEST_DATA) / "tailscale";
const fs::path kFakeCli = fs::path(CONSTELLATION_E2E_BIN_DIR) / "tailscale";

json fixture(const std::string& name) { return json::parse(read_file(kFixtures / name)); }

/// The fixture's peer called `host`, as a template for made-up ones.
json template_peer(const json& status, const std::string& host) {
  for (const auto& [key, peer] : status.at("Peer").items())
    if (peer.at("HostName") == host) return peer;
  throw std::runtime_error("fixture status-online.json has no peer " + host);
}

}  // namespace

FakeTailnet::FakeTailnet(TestPeer& peer) : dir_(peer.root() / "tailscale") {
  fs::create_directories(dir_ / "bin");
  restore_cli();
  peer.set_env("PATH", (dir_ / "bin").string() + ":/usr/bin:/bin");
  peer.set_env("FAKE_TAILSCALE_DIR", dir_.string());
}

void FakeTailnet::put(const std::string& name, const std::string& text) {
  // Written aside and renamed: the daemon may run the CLI at any moment.
  const fs::path tmp = dir_ / (name + ".tmp");
  std::ofstream(tmp, std::ios::binary | std::ios::trunc) << text;
  fs::rename(tmp, dir_ / name);
}

void FakeTailnet::write_status(const std::string& self_ip, const std::vector<Node>& nodes) {
  json status = fixture("status-online.json");
  const json online = template_peer(status, "buildbox");
  const json offline = template_peer(status, "Bobs-MacBook-Pro");
  status["TailscaleIPs"] = json::array({self_ip});
  status["Self"]["TailscaleIPs"] = json::array({self_ip});
  json peers = json::object();
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    const auto& n = nodes[i];
    json p = n.online ? online : offline;
    char key[80];
    std::snprintf(key, sizeof key, "nodekey:%064zx", i + 1);
    p["PublicKey"] = key;
    p["HostName"] = n.host;
    p["DNSName"] = n.host + ".tail4f2a9c.ts.net.";
    p["TailscaleIPs"] = json::array({n.ip, "fd7a:115c:a1e0::" + std::to_string(i + 1)});
    p["Online"] = n.online;
    peers[key] = std::move(p);
    write_whois(n);
  }
  status["Peer"] = std::move(peers);
  put("status.out", status.dump(2));  // like Go's MarshalIndent: no trailing newline
  fs::remove(dir_ / "status.err");
  fs::remove(dir_ / "status.exit");
}

void FakeTailnet::write_whois(const Node& n) {
  json whois = fixture("whois.json");
  whois["Node"]["Name"] = n.host + ".tail4f2a9c.ts.net.";
  whois["Node"]["ComputedName"] = n.host;
  whois["Node"]["Hostinfo"]["Hostname"] = n.host;
  whois["Node"]["Addresses"] = json::array({n.ip + "/32"});
  whois["Node"]["Tags"] = n.tags.empty() ? json(nullptr) : json(n.tags);
  if (!n.user.empty()) {
    whois["UserProfile"]["LoginName"] = n.user;
    whois["UserProfile"]["DisplayName"] = n.host + "'s owner";
  }
  put("whois-" + n.ip + ".out", whois.dump(2));
}

void FakeTailnet::write_fixture(const std::string& name) {
  put("status.out", read_file(kFixtures / name));
  fs::remove(dir_ / "status.err");
  fs::remove(dir_ / "status.exit");
}

void FakeTailnet::write_raw(const std::string& out, const std::string& err, int exit_code) {
  put("status.out", out);
  put("status.err", err);
  put("status.exit", std::to_string(exit_code));
}

void FakeTailnet::write_ip4(const std::string& ip) { put("ip4.out", ip + "\n"); }

void FakeTailnet::remove_cli() { fs::remove(dir_ / "bin" / "tailscale"); }

void FakeTailnet::restore_cli() {
  fs::copy_file(kFakeCli, dir_ / "bin" / "tailscale", fs::copy_options::overwrite_existing);
  fs::permissions(dir_ / "bin" / "tailscale", fs::perms::owner_all);
}

}  // namespace e2e

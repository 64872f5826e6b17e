// The fake tailnet on disk: a `tailscale status --json` output with N online peers and
// the test suite's stand-in CLI that prints it. The real poller and parser read these,
// so the benchmark covers the path `constellation serve` takes, JSON included.

#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

#include "discovery_bench.h"

namespace constellation::bench {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void write_text(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out.flush()) throw std::runtime_error("cannot write " + path.string());
}

/// The fixture's peer whose HostName is "buildbox": online, linux, an exit node — an
/// ordinary, fully populated peer object, so generated peers look like real ones.
json buildbox_template(const json& status) {
  for (const auto& [key, peer] : status.at("Peer").items()) {
    if (peer.value("HostName", "") == "buildbox") return peer;
  }
  throw std::runtime_error("the status fixture has no peer named buildbox");
}

std::string node_key(std::size_t i) {
  char key[8 + 64 + 1];
  std::snprintf(key, sizeof key, "nodekey:%064" PRIx64, static_cast<std::uint64_t>(i) + 1);
  return key;
}

}  // namespace

fs::path write_fake_tailnet(const fs::path& dir, std::size_t peers) {
  json status = json::parse(read_text(BENCH_STATUS_FIXTURE));
  const json tmpl = buildbox_template(status);
  json generated = json::object();
  for (std::size_t i = 0; i < peers; ++i) {
    json peer = tmpl;
    const std::string host = "peer-" + std::to_string(i);
    const std::string v4 = peer_address(i);
    peer["HostName"] = host;
    peer["DNSName"] = host + ".tail4f2a9c.ts.net.";
    peer["TailscaleIPs"] = json::array({v4});
    peer["AllowedIPs"] = json::array({v4 + "/32"});
    peer["Online"] = true;
    peer["NodeID"] = tmpl.value("NodeID", std::int64_t{0}) + static_cast<std::int64_t>(i) + 1;
    peer["PublicKey"] = node_key(i);
    generated[node_key(i)] = std::move(peer);
  }
  status["Peer"] = std::move(generated);
  write_text(dir / "status.out", status.dump(2));

  const fs::path cli = dir / "tailscale";
  fs::copy_file(BENCH_FAKE_TAILSCALE, cli, fs::copy_options::overwrite_existing);
  fs::permissions(cli, fs::perms::owner_all, fs::perm_options::replace);
  return fs::absolute(cli);
}

std::uint64_t rss_kib() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::strtoull(line.c_str() + 6, nullptr, 10);
  }
  return 0;
}

}  // namespace constellation::bench

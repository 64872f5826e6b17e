#include "e2e/peer.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <regex>
#include <stdexcept>

#include <gtest/gtest.h>

#include "e2e/raw_http.h"

namespace e2e {

namespace fs = std::filesystem;

int free_port(const std::string& address) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw std::runtime_error("socket: " + std::string(strerror(errno)));
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = 0;
  inet_pton(AF_INET, address.c_str(), &sa.sin_addr);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0) {
    ::close(fd);
    throw std::runtime_error("bind " + address + ": " + strerror(errno));
  }
  socklen_t len = sizeof sa;
  getsockname(fd, reinterpret_cast<sockaddr*>(&sa), &len);
  ::close(fd);
  return ntohs(sa.sin_port);
}

int common_free_port(const std::vector<std::string>& addresses) {
  for (int attempt = 0; attempt < 50; ++attempt) {
    const int port = free_port(addresses.front());
    bool everywhere = true;
    for (const auto& a : addresses) {
      int fd = ::socket(AF_INET, SOCK_STREAM, 0);
      sockaddr_in sa{};
      sa.sin_family = AF_INET;
      sa.sin_port = htons(static_cast<uint16_t>(port));
      inet_pton(AF_INET, a.c_str(), &sa.sin_addr);
      everywhere = everywhere && ::bind(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) == 0;
      ::close(fd);
    }
    if (everywhere) return port;
  }
  throw std::runtime_error("no port is free on every test address");
}

TestPeer::TestPeer(std::string name, std::string address)
    : TestPeer(name, address, free_port(address)) {}

TestPeer::TestPeer(std::string name, std::string address, int port)
    : name_(std::move(name)), address_(std::move(address)), port_(port) {
  for (const char* d : {"config", "data", "run"}) fs::create_directories(root() / d);
  fs::permissions(root() / "run", fs::perms::owner_all);
  env_ = {{"PATH", "/usr/bin:/bin"},
          {"HOME", (root() / "home").string()},
          {"XDG_CONFIG_HOME", (root() / "config").string()},
          {"XDG_DATA_HOME", (root() / "data").string()},
          {"XDG_RUNTIME_DIR", (root() / "run").string()},
          {"LANG", "C.UTF-8"}};
}

TestPeer::~TestPeer() {
  if (!daemon_) return;
  daemon_->stop(15, std::chrono::seconds(10));
  // In a sanitized build a report from the daemon (leaks are found only at its exit)
  // fails the test that ran it, whatever the test itself checked.
  const std::string text = log();
  for (const char* marker : {"ERROR: AddressSanitizer", "ERROR: LeakSanitizer",
                             "SUMMARY: UndefinedBehaviorSanitizer"}) {
    if (text.find(marker) != std::string::npos) {
      ADD_FAILURE() << "daemon '" << name_ << "' reported '" << marker << "'; its log:\n" << text;
      break;
    }
  }
}

std::string TestPeer::base_url() const {
  return "http://" + address_ + ":" + std::to_string(port_);
}

fs::path TestPeer::config_file() const { return root() / "config" / "constellation" / "config.toml"; }

RunResult TestPeer::init(const std::vector<std::string>& static_peers, const std::string& skills,
                         const std::vector<std::string>& extra) {
  std::vector<std::string> args{"init", "--name", name_, "--bind", address_, "--port",
                                std::to_string(port_)};
  if (!skills.empty()) args.insert(args.end(), {"--skills", skills});
  for (const auto& p : static_peers) args.insert(args.end(), {"--peer", p});
  // Static peers only, unless the test asks for a discovery method: keeps tests from
  // finding each other (or a host's avahi) by accident.
  if (std::find(extra.begin(), extra.end(), "--discovery") == extra.end())
    args.insert(args.end(), {"--discovery", "none"});
  args.insert(args.end(), extra.begin(), extra.end());
  auto r = cli(args);
  if (r.exit_code == 0) {
    // Probe every 300 ms instead of 30 s so the tests do not wait on discovery.
    std::string text = read_file(config_file());
    text = std::regex_replace(text, std::regex("\ninterval = [^\n]*"), "\ninterval = \"300ms\"");
    std::ofstream(config_file(), std::ios::binary | std::ios::trunc) << text;
    // Loopback answers in microseconds; a short probe timeout keeps dead-peer tests quick.
    set_config("probe_timeout", "\"1s\"");
  }
  return r;
}

void TestPeer::move_to(const std::string& address) {
  address_ = address;
  set_config("bind", "\"" + address_ + ":" + std::to_string(port_) + "\"");
}

void TestPeer::set_config(const std::string& key, const std::string& value) {
  const std::string text = read_file(config_file());
  const std::regex line("\n" + key + " = [^\n]*");
  if (!std::regex_search(text, line)) throw std::runtime_error("config has no key " + key);
  std::ofstream(config_file(), std::ios::binary | std::ios::trunc)
      << std::regex_replace(text, line, "\n" + key + " = " + value);
}

RunResult TestPeer::cli(const std::vector<std::string>& args, const std::string& input,
                        std::chrono::milliseconds timeout) const {
  std::vector<std::string> argv{CONSTELLATION_BIN};
  argv.insert(argv.end(), args.begin(), args.end());
  return run(argv, env_, input, timeout);
}

void TestPeer::start() {
  std::vector<std::string> argv = launcher_;
  argv.insert(argv.end(), {CONSTELLATION_BIN, "serve"});
  if (verbose_) argv.push_back("--verbose");
  daemon_ = std::make_unique<Background>(argv, env_, log_file());
  bool up = eventually(
      [&] {
        if (!daemon_->running()) return true;
        if (!launcher_.empty()) {
          // The control socket answers once the listeners are up.
          auto r = cli({"peers", "--all"});
          return r.exit_code == 0 && r.err.empty();
        }
        auto r = http_request(address_, port_, "GET /.well-known/agent.json HTTP/1.1\r\nHost: x\r\n"
                                               "Connection: close\r\n\r\n");
        return r.status == 200;
      },
      std::chrono::seconds(15));
  if (!up || !daemon_->running()) {
    throw std::runtime_error("daemon '" + name_ + "' did not come up; its log:\n" + log());
  }
}

RunResult TestPeer::stop(int sig, std::chrono::milliseconds timeout) {
  if (!daemon_) return {};
  return daemon_->stop(sig, timeout);
}

std::string TestPeer::log() const { return read_file(log_file()); }

bool TestPeer::sees(const TestPeer& other, std::chrono::milliseconds timeout) {
  return eventually(
      [&] {
        auto r = cli({"peers"});
        return r.exit_code == 0 && r.out.find(other.name() + "\t") != std::string::npos;
      },
      timeout);
}

}  // namespace e2e

#pragma once
/// One Constellation peer under test: its own config, data and runtime directories in a
/// temporary folder, a loopback address and a free port, and the real binary to drive it.

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "e2e/process.h"
#include "support/temp_dir.h"

namespace e2e {

/// A temporary directory removed with everything in it, whatever the test's outcome.
class TempDir : public test_support::TempDir {
 public:
  TempDir() : test_support::TempDir("constellation-e2e") {}
};

/// A TCP port on `address` that nothing listens on right now.
int free_port(const std::string& address);

/// A TCP port free on every one of `addresses` (peers found through Tailscale are
/// probed on our own port, so a test tailnet shares one).
int common_free_port(const std::vector<std::string>& addresses);

class TestPeer {
 public:
  TestPeer(std::string name, std::string address);
  TestPeer(std::string name, std::string address, int port);
  ~TestPeer();

  const std::string& name() const { return name_; }
  const std::string& address() const { return address_; }
  int port() const { return port_; }
  /// The base URL other peers probe ("http://127.0.0.2:40123").
  std::string base_url() const;
  /// The A2A URL on its card ("http://127.0.0.2:40123/").
  std::string card_url() const { return base_url() + "/"; }
  const std::filesystem::path& root() const { return dir_.path(); }
  std::filesystem::path config_file() const;
  std::filesystem::path log_file() const { return root() / "serve.log"; }
  /// The environment every command of this peer runs with (XDG dirs point into root()).
  const Env& env() const { return env_; }
  /// Sets a variable for every later command and daemon of this peer.
  void set_env(const std::string& key, const std::string& value) { env_[key] = value; }
  /// Runs `serve` under `prefix` (e.g. {"/usr/sbin/ip", "netns", "exec", "ns1"}): the
  /// daemon then lives in another network namespace, so readiness is checked through
  /// the control socket (a file, reachable from here) instead of over TCP.
  void set_launcher(std::vector<std::string> prefix) { launcher_ = std::move(prefix); }
  /// `serve --verbose` from the next start on: debug lines (every A2A call) in the log.
  void set_verbose(bool on) { verbose_ = on; }
  /// Binds to `address` from the next start on (same port, same store).
  void move_to(const std::string& address);
  /// Rewrites the config line `key = …` (a key that appears once in the file) to
  /// `key = value`, e.g. set_config("prune_after", "\"1s\"").
  void set_config(const std::string& key, const std::string& value);

  /// `constellation init` for this peer, with fast probing of `static_peers`.
  RunResult init(const std::vector<std::string>& static_peers, const std::string& skills = "",
                 const std::vector<std::string>& extra = {});
  /// Any verb: `constellation <args...>` with this peer's environment.
  RunResult cli(const std::vector<std::string>& args, const std::string& input = "",
                std::chrono::milliseconds timeout = std::chrono::seconds(30)) const;

  /// Starts `constellation serve` and waits until its card is served.
  void start();
  /// SIGTERM (or `sig`) and wait for the exit.
  RunResult stop(int sig = 15, std::chrono::milliseconds timeout = std::chrono::seconds(20));
  bool running() const { return daemon_ && daemon_->running(); }
  /// The daemon's process id (-1 when none was started).
  pid_t pid() const { return daemon_ ? daemon_->pid() : -1; }
  std::string log() const;

  /// Waits until `peers` lists `other` by name.
  bool sees(const TestPeer& other, std::chrono::milliseconds timeout = std::chrono::seconds(15));

 private:
  std::string name_, address_;
  int port_;
  TempDir dir_;
  Env env_;
  std::unique_ptr<Background> daemon_;
  bool verbose_ = false;
  std::vector<std::string> launcher_;
};

}  // namespace e2e

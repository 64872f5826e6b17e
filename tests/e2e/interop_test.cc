// Interoperability with the official A2A JavaScript SDK (@a2a-js/sdk 1.3.0, pinned in
// tests/interop/package-lock.json and installed by scripts/setup.sh): the SDK's client
// against a real `constellation serve` (tests/interop/sdk_client.mjs), and constellation's
// client against an agent built on the SDK's server (tests/interop/sdk_agent.mjs), in
// both A2A v1.0 and v0.3.

#include <atomic>
#include <filesystem>
#include <fstream>
#include <regex>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "e2e/peer.h"

namespace e2e {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// Addresses no other e2e test binds, so these tests can run beside the rest (ctest -j2).
const std::string kPeerAddress = "127.0.0.40";
const std::string kAgentAddress = "127.0.0.41";

const fs::path kInteropDir = CONSTELLATION_INTEROP_DIR;
const fs::path kNode = CONSTELLATION_NODE;

/// Node and the pinned SDK must be installed; a missing one is a failure, never a skip,
/// so a machine that cannot run these tests cannot pass them.
::testing::AssertionResult sdk_installed() {
  const std::string hint =
      ": run ./scripts/setup.sh (it installs Node and runs npm ci in " + kInteropDir.string() + ")";
  if (!fs::exists(kNode)) {
    return ::testing::AssertionFailure()
           << "node not found (CMake's find_program gave '" << kNode.string() << "')" << hint;
  }
  const fs::path sdk = kInteropDir / "node_modules" / "@a2a-js" / "sdk" / "package.json";
  if (!fs::exists(sdk))
    return ::testing::AssertionFailure() << sdk.string() << " is missing" << hint;
  const auto version = json::parse(read_file(sdk), nullptr, false).value("version", "");
  if (version != "1.3.0") {
    return ::testing::AssertionFailure()
           << "installed @a2a-js/sdk is " << version << ", the tests are written for 1.3.0" << hint;
  }
  return ::testing::AssertionSuccess();
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream s(text);
  for (std::string line; std::getline(s, line);) lines.push_back(line);
  return lines;
}

/// sdk_agent.mjs on its own address and a free port, with a request log; SIGTERM (then
/// SIGKILL through Background) when it goes, whatever the test's outcome.
class SdkAgent {
 public:
  SdkAgent(const std::string& name, const std::string& mode,
           const std::vector<std::string>& extra = {}, const std::string& address = kAgentAddress)
      : name_(name), address_(address) {
    port_ = free_port(address_);
    std::vector<std::string> argv{kNode.string(), (kInteropDir / "sdk_agent.mjs").string(),
                                  "--host", address_, "--port", std::to_string(port_), "--name",
                                  name, "--mode", mode, "--log", request_log().string()};
    argv.insert(argv.end(), extra.begin(), extra.end());
    agent_ = std::make_unique<Background>(
        argv, Env{{"PATH", "/usr/bin:/bin"}, {"HOME", dir_.path().string()}, {"LANG", "C.UTF-8"}},
        output_file());
  }
  ~SdkAgent() { agent_->stop(15, std::chrono::seconds(5)); }

  /// Waits for the "ready" line sdk_agent.mjs prints once it listens.
  bool wait_ready() {
    return eventually(
               [&] { return output().find("ready\n") != std::string::npos || !agent_->running(); },
               std::chrono::seconds(20)) &&
           agent_->running();
  }
  const std::string& name() const { return name_; }
  std::string base_url() const { return "http://" + address_ + ":" + std::to_string(port_); }
  /// stdout and stderr of node.
  std::string output() const { return read_file(output_file()); }
  /// One "method<TAB>A2A-Version" line per JSON-RPC request ("-": no header).
  std::vector<std::string> requests() const { return split_lines(read_file(request_log())); }

 private:
  fs::path output_file() const { return dir_.path() / "agent.out"; }
  fs::path request_log() const { return dir_.path() / "requests.log"; }

  std::string name_;
  std::string address_;
  TempDir dir_;
  int port_ = 0;
  std::unique_ptr<Background> agent_;
};

/// The bytes of the file ScriptedAgent attaches (sdk_client.mjs expects the same).
std::string scripted_answer_bytes() {
  std::string out;
  for (int i = 0; i < 2000; ++i) out += static_cast<char>((i * 11 + 3) & 0xff);
  return out;
}

/// Stands in for the LLM agent at a constellation peer: every ~100 ms it reads the inbox
/// and answers each task whose text contains "please answer" with "answered: <text>",
/// attaching answer.bin (scripted_answer_bytes) when the text also says "please attach".
/// Stopped and joined when it goes.
class ScriptedAgent {
 public:
  explicit ScriptedAgent(const TestPeer& peer) : peer_(peer), thread_([this] { loop(); }) {}
  ~ScriptedAgent() {
    stop_ = true;
    thread_.join();
  }
  /// Failures of its own `inbox`/`respond` calls, for the test's failure message.
  std::string problems() {
    std::lock_guard lock(mutex_);
    return problems_;
  }

 private:
  void loop() {
    std::set<std::string> answered;
    while (!stop_) {
      auto inbox = peer_.cli({"inbox", "--json"});
      auto list = json::parse(inbox.out, nullptr, false);
      if (inbox.exit_code != 0 || !list.is_array()) {
        note("inbox: " + inbox.describe());
      } else {
        for (const auto& task : list) {
          const std::string id = task.value("id", ""), text = task.value("text", "");
          if (text.find("please answer") == std::string::npos || answered.count(id)) continue;
          std::vector<std::string> args{"respond", id, "answered: " + text};
          if (text.find("please attach") != std::string::npos) {
            args.insert(args.end(), {"--file", answer_file_.string()});
          }
          auto r = peer_.cli(args);
          if (r.exit_code != 0) note("respond " + id + ": " + r.describe());
          answered.insert(id);
        }
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
  void note(const std::string& problem) {
    std::lock_guard lock(mutex_);
    if (problems_.size() < 4000) problems_ += problem + "\n";
  }

  const TestPeer& peer_;
  TempDir dir_;
  const fs::path answer_file_ = [this] {
    const fs::path path = dir_.path() / "answer.bin";
    std::ofstream(path, std::ios::binary) << scripted_answer_bytes();
    return path;
  }();
  std::atomic<bool> stop_{false};
  std::mutex mutex_;
  std::string problems_;
  std::thread thread_;  // last: starts once everything it uses exists
};

// ---- the SDK's client against `constellation serve`

void run_sdk_client(const std::string& version) {
  ASSERT_TRUE(sdk_installed());
  TestPeer peer("constellation-" + std::string(version == "1.0" ? "v10" : "v03"), kPeerAddress);
  auto init = peer.init({});
  ASSERT_EQ(init.exit_code, 0) << init.describe();
  peer.start();
  ScriptedAgent agent(peer);

  TempDir home;
  auto r = run({kNode.string(), (kInteropDir / "sdk_client.mjs").string(), "--version", version,
                "--url", peer.base_url(), "--peer-name", peer.name()},
               {{"PATH", "/usr/bin:/bin"}, {"HOME", home.path().string()}, {"LANG", "C.UTF-8"}}, "",
               std::chrono::seconds(90));
  EXPECT_EQ(r.exit_code, 0) << r.describe() << "\n---- scripted agent ----\n"
                            << agent.problems() << "\n---- log of " << peer.name() << " ----\n"
                            << peer.log();

  // The SDK client's file, as the scripted agent's `inbox` saved it: byte for byte.
  std::string expected;
  for (int i = 0; i < 3000; ++i) expected += static_cast<char>((i * 7) & 0xff);
  std::vector<fs::path> saved;
  const fs::path files = peer.root() / "data" / "constellation" / "files";
  std::error_code ec;
  for (const auto& entry : fs::recursive_directory_iterator(files, ec)) {
    if (entry.path().filename() == "sdk_file.bin") saved.push_back(entry.path());
  }
  ASSERT_EQ(saved.size(), 1u) << "sdk_file.bin under " << files;
  EXPECT_EQ(read_file(saved[0]), expected);
}

TEST(SdkInterop, SdkV10ClientRoundTrip) { run_sdk_client("1.0"); }

TEST(SdkInterop, SdkV03ClientRoundTrip) { run_sdk_client("0.3"); }

// ---- constellation's client against an agent on the SDK's server

/// `send` and `wait` to an SDK agent in `mode`; `dialect` is what constellation must
/// have chosen (the last column of `peers`) and `method` what it must have called.
void send_wait_to_sdk_agent(const std::string& mode, const std::string& dialect,
                            const std::string& method) {
  ASSERT_TRUE(sdk_installed());
  SdkAgent agent("sdkpal", mode);
  ASSERT_TRUE(agent.wait_ready()) << agent.output();
  TestPeer peer("alice", kPeerAddress);
  auto init = peer.init({agent.base_url()});
  ASSERT_EQ(init.exit_code, 0) << init.describe();
  peer.start();

  const auto failure_context = [&] {
    return "\n---- sdk agent output ----\n" + agent.output() + "\n---- log of alice ----\n" +
           peer.log();
  };
  std::string peers;
  ASSERT_TRUE(eventually(
      [&] {
        peers = peer.cli({"peers"}).out;
        return peers.find(agent.name() + "\t") != std::string::npos;
      },
      std::chrono::seconds(15)))
      << "alice never listed " << agent.name() << ": " << peers << failure_context();
  for (const auto& line : split_lines(peers)) {
    if (line.rfind(agent.name() + "\t", 0) != 0) continue;
    EXPECT_TRUE(line.ends_with("\t" + dialect))
        << "peers line should end with the dialect " << dialect << ": " << line;
  }

  auto send = peer.cli({"send", agent.name(), "hello sdk"});
  ASSERT_EQ(send.exit_code, 0) << send.describe() << failure_context();
  ASSERT_EQ(send.out.size(), 39u) << send.out;  // "t-" + UUID + "\n"
  const std::string id = send.out.substr(0, 38);

  auto wait = peer.cli({"wait", id, "--timeout", "30"}, "", std::chrono::seconds(40));
  EXPECT_EQ(wait.exit_code, 0) << wait.describe() << failure_context();
  EXPECT_EQ(wait.out, agent.name() + " got: hello sdk\n") << failure_context();

  // Which dialect reached the agent: the method, and an A2A-Version that fits it.
  const auto requests = agent.requests();
  bool seen = false;
  for (const auto& line : requests) {
    const auto tab = line.find('\t');
    if (line.substr(0, tab) != method) continue;
    seen = true;
    const std::string header = tab == std::string::npos ? "" : line.substr(tab + 1);
    if (dialect == "1.0") {
      EXPECT_EQ(header, "1.0") << line;
    } else {
      EXPECT_TRUE(header == "-" || header == "0.3") << line;
    }
  }
  std::string all;
  for (const auto& line : requests) all += line + "\n";
  EXPECT_TRUE(seen) << "the agent never received " << method << "; it received:\n"
                    << all << failure_context();
}

TEST(SdkInterop, SendWaitToSdkAgentV10) { send_wait_to_sdk_agent("v10", "1.0", "SendMessage"); }

TEST(SdkInterop, SendWaitToSdkAgentV03Only) {
  send_wait_to_sdk_agent("v03", "0.3", "message/send");
}

/// `send --file --data` to an SDK agent in `mode`: the agent describes what it got (name,
/// type, size, data) and echoes the file back in its answer, which `wait` saves.
/// Addresses 127.0.0.63/64.
void send_file_to_sdk_agent(const std::string& mode) {
  ASSERT_TRUE(sdk_installed());
  SdkAgent agent("sdkfiles", mode, {}, "127.0.0.64");
  ASSERT_TRUE(agent.wait_ready()) << agent.output();
  TestPeer peer("alice", "127.0.0.63");
  ASSERT_EQ(peer.init({agent.base_url()}).exit_code, 0);
  peer.start();
  const auto failure_context = [&] {
    return "\n---- sdk agent output ----\n" + agent.output() + "\n---- log of alice ----\n" +
           peer.log();
  };
  ASSERT_TRUE(eventually(
      [&] { return peer.cli({"peers"}).out.find(agent.name() + "\t") != std::string::npos; },
      std::chrono::seconds(15)))
      << failure_context();

  std::string bytes;
  for (int i = 0; i < 3000; ++i) bytes += static_cast<char>((i * 13 + i / 256) & 0xff);
  const fs::path file = peer.root() / "blob.bin";
  std::ofstream(file, std::ios::binary) << bytes;
  auto send = peer.cli({"send", agent.name(), "hello file", "--file", file.string(), "--data",
                        R"({"n": [1, 2]})"});
  ASSERT_EQ(send.exit_code, 0) << send.describe() << failure_context();
  const std::string id = send.out.substr(0, send.out.size() - 1);

  auto wait = peer.cli({"wait", id, "--timeout", "30"}, "", std::chrono::seconds(40));
  ASSERT_EQ(wait.exit_code, 0) << wait.describe() << failure_context();
  const fs::path echoed = peer.root() / "data" / "constellation" / "files" / id / "echo-blob.bin";
  EXPECT_TRUE(std::regex_match(
      wait.out, std::regex("sdkfiles got: hello file \\[file blob\\.bin application/octet-stream "
                           "3000 bytes sha256 [0-9a-f]{64}\\] \\[data \\{\"n\":\\[1,2\\]\\}\\]\n"
                           "attachment: " + echoed.string() + "\n")))
      << wait.out << failure_context();
  EXPECT_EQ(read_file(echoed), bytes);
}

TEST(SdkInterop, SendFileToSdkAgentV10) { send_file_to_sdk_agent("v10"); }

TEST(SdkInterop, SendFileToSdkAgentV03Only) { send_file_to_sdk_agent("v03"); }

/// `cancel` of a task an SDK agent is still working on, in the agent's dialect.
void cancel_at_sdk_agent(const std::string& mode, const std::string& method) {
  ASSERT_TRUE(sdk_installed());
  SdkAgent agent("sdkpal", mode);
  ASSERT_TRUE(agent.wait_ready()) << agent.output();
  TestPeer peer("alice", kPeerAddress);
  ASSERT_EQ(peer.init({agent.base_url()}).exit_code, 0);
  peer.start();
  ASSERT_TRUE(eventually([&] { return peer.cli({"peers"}).out.find("sdkpal\t") == 0; },
                         std::chrono::seconds(15)))
      << peer.log();

  // sdk_agent.mjs keeps a task with this text working until it is canceled.
  auto send = peer.cli({"send", "sdkpal", "please cancel me"});
  ASSERT_EQ(send.exit_code, 0) << send.describe() << peer.log();
  const std::string id = send.out.substr(0, send.out.size() - 1);
  auto cancel = peer.cli({"cancel", id});
  EXPECT_EQ(cancel.exit_code, 0) << cancel.describe() << "\n" << agent.output();
  EXPECT_EQ(cancel.out, "canceled\n");
  auto wait = peer.cli({"wait", id, "--timeout", "10"}, "", std::chrono::seconds(20));
  EXPECT_EQ(wait.exit_code, 11) << wait.describe();
  bool seen = false;
  for (const auto& line : agent.requests()) seen = seen || line.rfind(method + "\t", 0) == 0;
  EXPECT_TRUE(seen) << "the agent never received " << method;
}

TEST(SdkInterop, CancelAtSdkAgentV10) { cancel_at_sdk_agent("v10", "CancelTask"); }

TEST(SdkInterop, CancelAtSdkAgentV03Only) { cancel_at_sdk_agent("v03", "tasks/cancel"); }

// ---- constellation following an SDK agent's task by stream (issue 5)

// Addresses of their own (127.0.0.50–59 belong to the streaming tests).
const std::string kStreamPeerAddress = "127.0.0.51";
const std::string kStreamAgentAddress = "127.0.0.52";

/// The methods the agent received, one per line, for failure messages.
std::string received_methods(const SdkAgent& agent) {
  std::string all;
  for (const auto& line : agent.requests()) all += line + "\n";
  return all;
}

bool received(const SdkAgent& agent, const std::string& method) {
  for (const auto& line : agent.requests())
    if (line.rfind(method + "\t", 0) == 0) return true;
  return false;
}

/// `send` to an SDK agent that answers after a while, then `wait`: constellation must
/// follow the task by `subscribe` and must not ask with `get` while it waits — or, with
/// the agent refusing to stream, must fall back to `get`.
void follow_sdk_agent(const std::string& mode, const std::string& subscribe,
                      const std::string& get, bool refuse) {
  ASSERT_TRUE(sdk_installed());
  std::vector<std::string> extra{"--slow-ms", "2000"};
  if (refuse) extra.push_back("--refuse-streaming");
  SdkAgent agent("sdkstream", mode, extra, kStreamAgentAddress);
  ASSERT_TRUE(agent.wait_ready()) << agent.output();
  TestPeer peer("alice", kStreamPeerAddress);
  ASSERT_EQ(peer.init({agent.base_url()}).exit_code, 0);
  peer.start();
  ASSERT_TRUE(eventually([&] { return peer.cli({"peers"}).out.find("sdkstream\t") == 0; },
                         std::chrono::seconds(15)))
      << peer.log();
  const auto context = [&] {
    return "\n---- requests the agent received ----\n" + received_methods(agent) +
           "---- sdk agent output ----\n" + agent.output() + "\n---- log of alice ----\n" +
           peer.log();
  };

  auto send = peer.cli({"send", "sdkstream", "please answer slowly: what is 6*7?"});
  ASSERT_EQ(send.exit_code, 0) << send.describe() << context();
  const std::string id = send.out.substr(0, send.out.size() - 1);
  auto wait = peer.cli({"wait", id, "--timeout", "30"}, "", std::chrono::seconds(40));
  EXPECT_EQ(wait.exit_code, 0) << wait.describe() << context();
  EXPECT_EQ(wait.out, "sdkstream got: please answer slowly: what is 6*7?\n") << context();

  EXPECT_TRUE(received(agent, subscribe)) << "no " << subscribe << context();
  if (refuse) {
    EXPECT_TRUE(received(agent, get)) << "no fallback to " << get << context();
    EXPECT_NE(peer.log().find("polling it instead"), std::string::npos) << context();
  } else {
    EXPECT_FALSE(received(agent, get)) << "polled with " << get << " while streaming" << context();
  }
}

TEST(SdkInterop, FollowsSdkAgentByStreamV10) {
  follow_sdk_agent("v10", "SubscribeToTask", "GetTask", false);
}

TEST(SdkInterop, FollowsSdkAgentByStreamV03Only) {
  follow_sdk_agent("v03", "tasks/resubscribe", "tasks/get", false);
}

TEST(SdkInterop, FallsBackToPollingWhenSdkAgentRefusesStreams) {
  follow_sdk_agent("v10", "SubscribeToTask", "GetTask", true);
}

}  // namespace
}  // namespace e2e

#include "constellation/discovery/tailscale_poller.h"

#include <gtest/gtest.h>

#include <sys/stat.h>
#include <sys/wait.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

namespace constellation::discovery {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

// What the fake CLI does, chosen by the word in `scenario` next to it.
constexpr const char* kFakeTailscale = R"sh(#!/bin/sh
data="$DATA"
here=$(dirname "$0")
echo "$*" >> "$here/calls"
case "$(cat "$here/scenario")" in
  online) cat "$data/status-online.json" ;;
  stopped) cat "$data/status-stopped.json" ;;
  garbage) echo 'panic: runtime error' ;;
  down) cat "$data/daemon-not-running.stderr.txt" >&2; exit 1 ;;
  hang) exec sleep 30 ;;
  ip) cat "$data/ip4.txt" ;;
  ip-logged-out) echo 'no current Tailscale IPs; state: NeedsLogin' >&2; exit 1 ;;
esac
)sh";

/// A temp dir holding the fake `tailscale` script, plus a log capture.
class TailscalePollerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string templ = (fs::temp_directory_path() / "constellation-ts-XXXXXX").string();
    ASSERT_NE(mkdtemp(templ.data()), nullptr);
    dir_ = templ;
    exe_ = (dir_ / "tailscale").string();
    std::string script = kFakeTailscale;
    script.replace(script.find("$DATA"), 5, std::string(CONSTELLATION_TEST_DATA) + "/tailscale");
    write(exe_, script);
    ASSERT_EQ(chmod(exe_.c_str(), 0755), 0);
    set_scenario("online");

    previous_logger_ = spdlog::default_logger();
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(log_);
    auto logger = std::make_shared<spdlog::logger>("test", sink);
    logger->set_pattern("%l %v");
    spdlog::set_default_logger(logger);
  }

  void TearDown() override {
    spdlog::set_default_logger(previous_logger_);
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  static void write(const fs::path& path, const std::string& text) {
    std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
  }

  // Written beside and renamed, so the script never reads a half-written word.
  void set_scenario(const std::string& word) {
    write(dir_ / "scenario.tmp", word);
    fs::rename(dir_ / "scenario.tmp", dir_ / "scenario");
  }

  TailscalePollerOptions options() const {
    TailscalePollerOptions o;
    o.executable = exe_;
    o.interval = 100ms;
    o.timeout = 5s;
    return o;
  }

  /// Runs the io_context until `done` or 10 s (a bound, not a timing assertion).
  template <class Pred>
  bool run_until(Pred done) {
    const auto limit = std::chrono::steady_clock::now() + 10s;
    while (!done() && std::chrono::steady_clock::now() < limit) {
      ioc_.run_for(20ms);
      if (ioc_.stopped()) ioc_.restart();
    }
    return done();
  }

  /// Waits for the next callback after the ones seen so far and returns it.
  Result<TailscaleStatus> next_result() {
    const std::size_t seen = results_.size();
    EXPECT_TRUE(run_until([&] { return results_.size() > seen; })) << "no callback";
    if (results_.size() <= seen) return Error{ErrorKind::kInternal, "no callback"};
    return results_.back();
  }

  /// Switches the scenario and waits for the first result that reflects it (a round
  /// already running may still report the old one).
  Result<TailscaleStatus> result_after(const std::string& word,
                                       bool (*matches)(const Result<TailscaleStatus>&)) {
    set_scenario(word);
    Result<TailscaleStatus> r;
    for (int i = 0; i < 5; ++i) {
      r = next_result();
      if (matches(r)) break;
    }
    return r;
  }

  std::size_t log_count(const std::string& needle) const {
    const std::string text = log_.str();
    std::size_t count = 0;
    for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) {
      ++count;
    }
    return count;
  }

  TailscalePoller::Callback collect() {
    return [this](Result<TailscaleStatus> r) { results_.push_back(std::move(r)); };
  }

  fs::path dir_;
  std::string exe_;
  std::ostringstream log_;
  std::shared_ptr<spdlog::logger> previous_logger_;
  boost::asio::io_context ioc_;
  std::vector<Result<TailscaleStatus>> results_;
};

bool is_running(const Result<TailscaleStatus>& r) { return r.ok() && r->running(); }
bool is_stopped(const Result<TailscaleStatus>& r) {
  return r.ok() && r->backend_state == "Stopped";
}
bool is_error(const Result<TailscaleStatus>& r) { return !r.ok(); }

void expect_no_children() {
  errno = 0;
  EXPECT_EQ(waitpid(-1, nullptr, WNOHANG), -1);
  EXPECT_EQ(errno, ECHILD);
}

TEST_F(TailscalePollerTest, FollowsTheBackendThroughEveryKindOfTrouble) {
  TailscalePoller poller(ioc_.get_executor(), options(), collect());
  poller.start();

  auto first = next_result();
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_TRUE(first->running());
  EXPECT_EQ(first->peers.size(), 3u);
  EXPECT_EQ(log_count("info tailscale: running, 2 online peers"), 1u) << log_.str();

  auto stopped = result_after("stopped", is_stopped);
  ASSERT_TRUE(is_stopped(stopped));
  EXPECT_EQ(stopped->peers.size(), 3u);  // passed on, so the caller can take them offline

  auto garbage = result_after("garbage", is_error);
  ASSERT_FALSE(garbage.ok());
  EXPECT_EQ(garbage.error().message.rfind("tailscale status --json: not JSON: ", 0), 0u)
      << garbage.error().message;

  auto down = result_after("down", [](const Result<TailscaleStatus>& r) {
    return !r.ok() && r.error().message.find("exit 1") != std::string::npos;
  });
  ASSERT_FALSE(down.ok());
  EXPECT_EQ(down.error().message,
            exe_ +
                " status --json: exit 1: failed to connect to local tailscaled; it doesn't "
                "appear to be running (sudo systemctl start tailscaled ?)");

  auto again = result_after("online", is_running);
  ASSERT_TRUE(is_running(again));
  EXPECT_EQ(log_count("info tailscale: running again, 2 online peers"), 1u) << log_.str();
  poller.stop();
}

TEST_F(TailscalePollerTest, LogsAConditionOnceNotEveryRound) {
  set_scenario("stopped");
  TailscalePoller poller(ioc_.get_executor(), options(), collect());
  poller.start();
  for (int i = 0; i < 4; ++i) next_result();
  EXPECT_EQ(log_count("Tailscale is stopped (BackendState Stopped); run 'tailscale up'"), 1u)
      << log_.str();

  ASSERT_TRUE(is_error(result_after("down", is_error)));
  for (int i = 0; i < 3; ++i) next_result();
  EXPECT_EQ(log_count("warning tailscale discovery: " + exe_ + " status --json: exit 1: "), 1u)
      << log_.str();
  poller.stop();
}

TEST_F(TailscalePollerTest, MissingExecutableIsAnErrorCallback) {
  auto o = options();
  o.executable = (dir_ / "no-such-tailscale").string();
  TailscalePoller poller(ioc_.get_executor(), o, collect());
  poller.start();
  auto r = next_result();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, o.executable + ": not found");
  next_result();
  EXPECT_EQ(log_count("not found"), 1u) << log_.str();
  poller.stop();
}

TEST_F(TailscalePollerTest, HungCliTimesOut) {
  set_scenario("hang");
  auto o = options();
  o.timeout = 300ms;
  TailscalePoller poller(ioc_.get_executor(), o, collect());
  poller.start();
  auto r = next_result();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, exe_ + " status --json: no answer within 300 ms");
  poller.stop();
}

TEST_F(TailscalePollerTest, StopEndsCallbacks) {
  TailscalePoller poller(ioc_.get_executor(), options(), collect());
  poller.start();
  next_result();
  poller.stop();
  const std::size_t seen = results_.size();
  ioc_.restart();
  ioc_.run_for(500ms);
  EXPECT_EQ(results_.size(), seen);
  EXPECT_TRUE(ioc_.stopped()) << "the loop should have ended, leaving no work";
}

TEST_F(TailscalePollerTest, StopKillsARunningChild) {
  set_scenario("hang");
  const auto start = std::chrono::steady_clock::now();
  {
    TailscalePoller poller(ioc_.get_executor(), options(), collect());
    poller.start();
    // Wait until the fake CLI has been started.
    ASSERT_TRUE(run_until([&] { return fs::exists(dir_ / "calls"); }));
    poller.stop();
    ioc_.restart();
    ioc_.run_for(5s);  // returns as soon as no work is left
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, 10s);
  EXPECT_TRUE(results_.empty());
  expect_no_children();
}

TEST_F(TailscalePollerTest, QueryIpv4) {
  set_scenario("ip");
  auto ip = query_tailscale_ipv4(exe_, 5s);
  ASSERT_TRUE(ip.ok()) << ip.error().message;
  EXPECT_EQ(*ip, "100.101.102.103");

  set_scenario("ip-logged-out");
  auto logged_out = query_tailscale_ipv4(exe_, 5s);
  ASSERT_FALSE(logged_out.ok());
  EXPECT_EQ(logged_out.error().message,
            exe_ + " ip -4: exit 1: no current Tailscale IPs; state: NeedsLogin");

  auto missing = query_tailscale_ipv4("constellation-no-such-tailscale", 5s);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message, "constellation-no-such-tailscale: not found on PATH");
  expect_no_children();
}

}  // namespace
}  // namespace constellation::discovery

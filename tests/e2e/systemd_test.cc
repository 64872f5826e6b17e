// serve under systemd, without systemd: the readiness protocol over a NOTIFY_SOCKET this
// test listens on, SIGHUP reloads, journald-style logs, and the unit install-service
// writes (checked by systemd-analyze where it runs). Addresses: 127.0.15.2–.4.

#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <csignal>
#include <cstring>
#include <fstream>
#include <optional>
#include <random>
#include <regex>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "e2e/peer.h"
#include "e2e/raw_http.h"

namespace e2e {
namespace {

namespace fs = std::filesystem;
using std::chrono::seconds;

/// A datagram socket in the abstract namespace, as systemd's own NOTIFY_SOCKET is.
class NotifyListener {
 public:
  NotifyListener() {
    std::random_device rd;
    name_ = "@constellation-e2e-notify-" + std::to_string(::getpid()) + "-" + std::to_string(rd());
    fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0) throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::memcpy(addr.sun_path, name_.data(), name_.size());
    addr.sun_path[0] = '\0';
    const auto len = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + name_.size());
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&addr), len) != 0) {
      throw std::runtime_error(std::string("bind notify socket: ") + std::strerror(errno));
    }
  }
  ~NotifyListener() { ::close(fd_); }

  /// The value for NOTIFY_SOCKET.
  const std::string& name() const { return name_; }

  /// The next datagram, or nullopt when none comes within scaled(`timeout`).
  std::optional<std::string> next(std::chrono::milliseconds timeout = seconds(15)) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(scaled(timeout).count())) != 1) return std::nullopt;
    char buf[4096];
    const auto n = ::recv(fd_, buf, sizeof buf, 0);
    if (n < 0) return std::nullopt;
    return std::string(buf, static_cast<std::size_t>(n));
  }

 private:
  std::string name_;
  int fd_ = -1;
};

bool starts_with(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }

/// Whether something accepts TCP connections on address:port right now.
bool accepts(const std::string& address, int port) {
  auto r = http_request(address, port, "GET /.well-known/agent-card.json HTTP/1.1\r\nHost: x\r\n"
                                       "Connection: close\r\n\r\n");
  return r.status == 200;
}

std::string card_description(const TestPeer& p) {
  auto r = http_request(p.address(), p.port(), "GET /.well-known/agent-card.json HTTP/1.1\r\n"
                                               "Host: x\r\nConnection: close\r\n\r\n");
  if (r.status != 200) return "<no card: " + r.error + ">";
  return nlohmann::json::parse(r.body).value("description", "<none>");
}

TEST(Systemd, ReadyComesOnceServingAndReloadsKeepTheDaemonOnAGoodConfig) {
  TestPeer p("alice", "127.0.15.2");
  ASSERT_EQ(p.init({}).exit_code, 0);
  NotifyListener notify;
  p.set_env("NOTIFY_SOCKET", notify.name());
  const fs::path store = p.root() / "data" / "constellation" / "store.db";
  ASSERT_FALSE(fs::exists(store));

  Background daemon({CONSTELLATION_BIN, "serve"}, p.env(), p.log_file());
  auto ready = notify.next();
  ASSERT_TRUE(ready) << "no notification; log:\n" << p.log();
  // At READY=1 the port already accepts and the store exists: whatever systemd starts
  // after this unit can use it at once.
  EXPECT_TRUE(accepts(p.address(), p.port())) << p.log();
  EXPECT_TRUE(fs::exists(store));
  EXPECT_TRUE(starts_with(*ready, "READY=1\nSTATUS=serving A2A on " + p.card_url())) << *ready;
  EXPECT_NE(card_description(p), "reviews pull requests");

  // SIGHUP with a new description: RELOADING=1 (with the time systemd 253 asks for),
  // then READY=1 again, and the card shows it.
  p.set_config("description", "\"reviews pull requests\"");
  ASSERT_EQ(::kill(daemon.pid(), SIGHUP), 0);
  auto reloading = notify.next();
  ASSERT_TRUE(reloading) << p.log();
  EXPECT_TRUE(std::regex_search(*reloading, std::regex("^RELOADING=1\nMONOTONIC_USEC=[0-9]+\n")))
      << *reloading;
  auto again = notify.next();
  ASSERT_TRUE(again) << p.log();
  EXPECT_EQ(*again, "READY=1\nSTATUS=config reloaded: applied agent.description");
  EXPECT_EQ(card_description(p), "reviews pull requests");

  // A change that needs a restart is logged as such and not applied.
  const int other_port = free_port(p.address());
  p.set_config("bind", "\"" + p.address() + ":" + std::to_string(other_port) + "\"");
  ASSERT_EQ(::kill(daemon.pid(), SIGHUP), 0);
  ASSERT_TRUE(notify.next());  // RELOADING=1
  auto restart = notify.next();
  ASSERT_TRUE(restart) << p.log();
  EXPECT_EQ(*restart, "READY=1\nSTATUS=config reloaded: some changes need a restart");
  EXPECT_NE(p.log().find("network.bind: needs a restart"), std::string::npos) << p.log();
  EXPECT_TRUE(accepts(p.address(), p.port()));

  // A broken file: the daemon keeps serving on the config it had, and says why.
  std::ofstream(p.config_file(), std::ios::app) << "\n[agent\n";
  ASSERT_EQ(::kill(daemon.pid(), SIGHUP), 0);
  ASSERT_TRUE(notify.next());  // RELOADING=1
  auto failed = notify.next();
  ASSERT_TRUE(failed) << p.log();
  EXPECT_TRUE(starts_with(*failed, "READY=1\nSTATUS=config reload failed (")) << *failed;
  EXPECT_NE(failed->find("still running the previous config"), std::string::npos) << *failed;
  EXPECT_TRUE(daemon.running());
  EXPECT_EQ(card_description(p), "reviews pull requests");
  const std::string log = p.log();
  EXPECT_NE(log.find("config reload failed, still running the previous config: "),
            std::string::npos)
      << log;
  EXPECT_NE(log.find("config.toml:"), std::string::npos) << "the error names the file: " << log;

  // SIGTERM: STOPPING=1 first, then a clean exit.
  ASSERT_EQ(::kill(daemon.pid(), SIGTERM), 0);
  auto stopping = notify.next();
  ASSERT_TRUE(stopping) << p.log();
  EXPECT_TRUE(starts_with(*stopping, "STOPPING=1\n")) << *stopping;
  auto stopped = daemon.stop(SIGTERM, seconds(20));
  EXPECT_EQ(stopped.exit_code, 0) << p.log();
}

/// `serve` with JOURNAL_STREAM set to `journal_stream`, its stderr going to `log`;
/// returns the log once the daemon said it serves.
std::string serve_log(TestPeer& p, const fs::path& log, const std::string& journal_stream) {
  p.set_env("JOURNAL_STREAM", journal_stream);
  Background daemon({CONSTELLATION_BIN, "serve"}, p.env(), log);
  const bool up = eventually([&] { return read_file(log).find(" serving A2A on ") != std::string::npos; });
  daemon.stop(SIGTERM, seconds(20));
  return up ? read_file(log) : "<never served>\n" + read_file(log);
}

TEST(Systemd, UnderJournaldLogLinesCarryAPriorityAndNoTimestamp) {
  TestPeer p("alice", "127.0.15.3");
  ASSERT_EQ(p.init({}).exit_code, 0);
  const fs::path log = p.root() / "journal.log";
  std::ofstream(log).flush();
  struct stat st {};
  ASSERT_EQ(::stat(log.c_str(), &st), 0);
  const std::string text = serve_log(
      p, log, std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino));
  EXPECT_TRUE(std::regex_search(text, std::regex("(^|\n)<6>info: 'alice' \\(node [0-9a-f-]+\\) "
                                                 "serving A2A on ")))
      << text;
  EXPECT_FALSE(std::regex_search(text, std::regex("\\d{4}-\\d\\d-\\d\\dT\\d\\d:"))) << text;

  // Inherited by a process whose stderr goes elsewhere, the variable changes nothing.
  const fs::path other = p.root() / "other.log";
  const std::string plain = serve_log(p, other, std::to_string(st.st_dev) + ":1");
  EXPECT_TRUE(std::regex_search(plain, std::regex("(^|\n)\\d{4}-\\d\\d-\\d\\dT[0-9:.]+ info "
                                                  "'alice' .* serving A2A on ")))
      << plain;
  EXPECT_EQ(plain.find("<6>"), std::string::npos) << plain;
}

TEST(Systemd, InstallServiceWritesAHardenedNotifyUnitThatSystemdAccepts) {
  TestPeer p("alice", "127.0.15.4");
  ASSERT_EQ(p.init({}).exit_code, 0);
  auto r = p.cli({"install-service"});
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  const fs::path unit = p.root() / "config" / "systemd" / "user" / "constellation.service";
  const std::string text = read_file(unit);
  const fs::path data = p.root() / "data" / "constellation";
  EXPECT_TRUE(fs::is_directory(data)) << "created, so the unit may write there";
  const std::vector<std::string> lines = {
      "Type=notify", "ExecReload=/bin/kill -HUP $MAINPID", "NoNewPrivileges=yes",
        "ProtectSystem=strict", "ProtectHome=read-only", "PrivateTmp=yes",
        "ReadWritePaths=-\"" + data.string() + "\"", "RuntimeDirectory=constellation",
        "RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6 AF_NETLINK", "LockPersonality=yes",
        "RestrictRealtime=yes", "SystemCallArchitectures=native", "MemoryDenyWriteExecute=yes",
        "Restart=on-failure",
        "ExecStart=\"" + std::string(CONSTELLATION_BIN) + "\" --config \"" +
            p.config_file().string() + "\" serve"};
  for (const auto& line : lines) {
    EXPECT_NE(text.find("\n" + line + "\n"), std::string::npos) << line << " in:\n" << text;
  }
  EXPECT_EQ(text.find("@CONSTELLATION"), std::string::npos) << "a placeholder was left:\n" << text;
  EXPECT_NE(r.out.find("systemctl --user enable --now constellation"), std::string::npos) << r.out;

  const fs::path analyze = "/usr/bin/systemd-analyze";
  if (!fs::exists(analyze)) GTEST_SKIP() << "no systemd-analyze here to verify the unit with";
  // --man=no: the man page in Documentation= is installed by the package, not here.
  auto verify = run({analyze.string(), "--user", "--man=no", "verify", unit.string()},
                    {{"PATH", "/usr/bin:/bin"}, {"XDG_RUNTIME_DIR", (p.root() / "run").string()},
                     {"HOME", (p.root() / "home").string()}});
  if (verify.exit_code != 0 && verify.err.find("Failed to initialize manager") != std::string::npos) {
    GTEST_SKIP() << "systemd-analyze cannot run here: " << verify.describe();
  }
  EXPECT_EQ(verify.exit_code, 0) << verify.describe();
  // It only warns (exit 0) about settings it cannot parse: any line on stderr is a fault.
  EXPECT_EQ(verify.err, "") << text;
}

}  // namespace
}  // namespace e2e

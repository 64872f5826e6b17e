#include "netns/avahi_host.h"

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace netns {

namespace fs = std::filesystem;

namespace {

const fs::path kRoot = "/tmp/cstnet";
/// Names we create: "cst<pid>n<k>…"; the pid says whether the owner still runs.
const std::regex kOurName("^cst([0-9]+)n[0-9]+.*");
constexpr auto kReadyTimeout = std::chrono::seconds(15);

std::string ip() { return find_program("ip"); }

std::string own_prefix(int k) { return "cst" + std::to_string(getpid()) + "n" + std::to_string(k); }

/// A zombie counts as dead: where PID 1 does not reap, a crashed run stays one forever.
bool pid_alive(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(stat, line)) return false;
  // "pid (comm) S …": the state follows the last ')', since comm may contain one.
  auto paren = line.rfind(')');
  if (paren == std::string::npos || paren + 2 >= line.size()) return true;
  char state = line[paren + 2];
  return state != 'Z' && state != 'X';
}

/// pid of the process that created `name`, or 0 when the name is not one of ours.
pid_t owner_of(const std::string& name) {
  std::smatch m;
  if (!std::regex_match(name, m, kOurName)) return 0;
  return static_cast<pid_t>(std::stol(m[1]));
}

std::vector<std::string> list_namespaces() {
  std::vector<std::string> names;
  std::istringstream in(run_command({ip(), "netns", "list"}).output);
  // Lines are "name" or "name (id: N)".
  for (std::string line; std::getline(in, line);) {
    std::string name = line.substr(0, line.find(' '));
    if (!name.empty()) names.push_back(name);
  }
  return names;
}

/// Kills everything whose network namespace is `ns`, then deletes it. Best effort: used
/// in destructors and for leftovers.
void delete_namespace(const std::string& ns) {
  std::istringstream pids(run_command({ip(), "netns", "pids", ns}).output);
  for (std::string pid; pids >> pid;) kill(static_cast<pid_t>(std::stol(pid)), SIGKILL);
  run_command({ip(), "netns", "del", ns});
}

void remove_leftovers() {
  for (const auto& ns : list_namespaces()) {
    pid_t owner = owner_of(ns);
    if (owner != 0 && owner != getpid() && !pid_alive(owner)) delete_namespace(ns);
  }
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(kRoot, ec)) {
    pid_t owner = owner_of(entry.path().filename().string());
    if (owner != 0 && owner != getpid() && !pid_alive(owner)) fs::remove_all(entry.path(), ec);
  }
}

void write_file(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::trunc);
  out << text;
  if (!out) throw std::runtime_error("write " + path.string() + " failed");
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string bus_config(const fs::path& socket) {
  return R"(<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>unix:path=)" +
         socket.string() + R"(</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="*"/>
    <allow own="*"/>
    <allow send_type="method_call"/>
    <allow send_destination="*"/>
    <allow receive_sender="*"/>
  </policy>
</busconfig>
)";
}

/// Quiet and quick: one interface, IPv4 only, no wide-area, no extra records, and a
/// ratelimit that never throttles a test.
std::string avahi_config(const std::string& host_name, const std::string& interface) {
  return "[server]\nhost-name=" + host_name +
         "\nuse-ipv4=yes\nuse-ipv6=no\nallow-interfaces=" + interface +
         "\nenable-dbus=yes\nratelimit-interval-usec=1000000\nratelimit-burst=1000\n"
         "[wide-area]\nenable-wide-area=no\n"
         "[publish]\npublish-hinfo=no\npublish-workstation=no\npublish-aaaa-on-ipv4=no\n"
         "publish-a-on-ipv6=no\n"
         "[reflector]\nenable-reflector=no\n";
}

template <class Pred>
bool poll_until(Pred pred, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (pred()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

}  // namespace

std::string unavailable_reason() {
  if (geteuid() != 0) return "needs root (network namespaces, mounts)";
  for (const char* program : {"ip", "dbus-daemon", "dbus-send", "avahi-daemon", "mount", "sh"})
    if (find_program(program).empty()) return std::string(program) + " is not installed";
  const std::string probe = own_prefix(0) + "probe";
  auto added = run_command({ip(), "netns", "add", probe});
  if (added.exit_code != 0) return "'ip netns add' is not possible here: " + added.output;
  run_command({ip(), "netns", "del", probe});
  return "";
}

// ---- Lan -------------------------------------------------------------------------------

Lan::Lan() {
  static std::atomic<int> counter{0};  // only to name several Lans of one process apart
  remove_leftovers();
  const int k = ++counter;
  prefix_ = own_prefix(k);
  // The namespaces are isolated, so equal subnets could not clash; a pid-derived one
  // only makes logs of concurrent runs easier to tell apart.
  subnet_ = "10.99." + std::to_string((getpid() * 7 + k) % 250 + 1);
  hub_ = prefix_ + "hub";
  dir_ = kRoot / prefix_;
  fs::create_directories(dir_);
  try {
    check_command({ip(), "netns", "add", hub_});
    check_command({ip(), "-n", hub_, "link", "add", "br0", "type", "bridge"});
    // Flood multicast to every port instead of relying on IGMP snooping.
    check_command(
        {ip(), "-n", hub_, "link", "set", "br0", "type", "bridge", "mcast_snooping", "0"});
    check_command({ip(), "-n", hub_, "link", "set", "br0", "up"});
  } catch (...) {
    delete_namespace(hub_);
    std::error_code ec;
    fs::remove_all(dir_, ec);
    throw;
  }
}

Lan::~Lan() {
  hosts_.clear();
  delete_namespace(hub_);
  std::error_code ec;
  fs::remove_all(dir_, ec);
}

AvahiHost& Lan::add_host(const std::string& label, bool start) {
  if (!std::regex_match(label, std::regex("[a-z0-9]{1,8}")))
    throw std::invalid_argument("host label '" + label + "': use 1-8 of [a-z0-9]");
  const std::string address = subnet_ + "." + std::to_string(hosts_.size() + 1);
  hosts_.push_back(std::make_unique<AvahiHost>(prefix_ + label, address, dir_ / label));
  AvahiHost& host = *hosts_.back();
  const std::string port = "v" + label;
  check_command({ip(), "link", "add", host.interface(), "netns", host.netns(), "type", "veth",
                 "peer", "name", port, "netns", hub_});
  check_command({ip(), "-n", hub_, "link", "set", port, "master", "br0", "up"});
  check_command(
      {ip(), "-n", host.netns(), "addr", "add", address + "/24", "dev", host.interface()});
  check_command({ip(), "-n", host.netns(), "link", "set", host.interface(), "up"});
  if (start) host.start();
  return host;
}

// ---- AvahiHost -------------------------------------------------------------------------

AvahiHost::AvahiHost(const std::string& netns, const std::string& address, const fs::path& dir)
    : netns_(netns), address_(address), dir_(dir) {
  fs::create_directories(dir_ / "run");
  check_command({ip(), "netns", "add", netns_});
  try {
    check_command({ip(), "-n", netns_, "link", "set", "lo", "up"});
  } catch (...) {
    delete_namespace(netns_);
    throw;
  }
}

AvahiHost::~AvahiHost() {
  stop();
  delete_namespace(netns_);
  std::error_code ec;
  fs::remove_all(dir_, ec);
}

std::string AvahiHost::bus_address() const {
  return "unix:path=" + (dir_ / "system_bus_socket").string();
}

EnvOverrides AvahiHost::env() const { return {{"DBUS_SYSTEM_BUS_ADDRESS", bus_address()}}; }

std::vector<std::string> AvahiHost::exec_prefix() const { return {ip(), "netns", "exec", netns_}; }

std::vector<std::string> AvahiHost::wrap(const std::vector<std::string>& argv) const {
  auto out = exec_prefix();
  out.insert(out.end(), argv.begin(), argv.end());
  return out;
}

void AvahiHost::start() {
  if (dbus_ && dbus_->running()) throw std::logic_error(netns_ + ": already started");
  write_file(dir_ / "bus.conf", bus_config(dir_ / "system_bus_socket"));
  write_file(dir_ / "avahi.conf", avahi_config(netns_, interface_));
  std::error_code ec;
  fs::remove(dir_ / "system_bus_socket", ec);
  dbus_ = std::make_unique<Daemon>(
      wrap({find_program("dbus-daemon"), "--nofork", "--nopidfile", "--nosyslog",
            "--config-file=" + (dir_ / "bus.conf").string()}),
      EnvOverrides{}, dir_ / "dbus.log");
  const std::vector<std::string> ping = {"dbus-send",
                                         "--system",
                                         "--print-reply",
                                         "--dest=org.freedesktop.DBus",
                                         "/org/freedesktop/DBus",
                                         "org.freedesktop.DBus.GetId"};
  bool up =
      poll_until([&] { return run_command(ping, env(), std::chrono::seconds(2)).exit_code == 0; },
                 kReadyTimeout);
  if (!up)
    throw std::runtime_error(netns_ +
                             ": dbus-daemon did not come up: " + read_file(dir_ / "dbus.log"));
  start_avahi();
  wait_until_avahi_runs();
}

void AvahiHost::start_avahi() {
  // avahi-daemon insists on /run/avahi-daemon/{pid,socket}. `ip netns exec` gives us a
  // private mount namespace, so cover /run with a tmpfs (the host may have no
  // /run/avahi-daemon to mount over) and bind our directory there; nothing leaks out.
  std::error_code ec;
  fs::remove(dir_ / "run" / "pid", ec);
  const std::string script =
      "mount -t tmpfs -o mode=0755 cstrun /run && mkdir /run/avahi-daemon && "
      "mount --bind \"$1\" /run/avahi-daemon && "
      "exec \"$2\" --no-drop-root --no-chroot --no-rlimits -f \"$3\"";
  avahi_ =
      std::make_unique<Daemon>(wrap({"sh", "-c", script, "sh", (dir_ / "run").string(),
                                     find_program("avahi-daemon"), (dir_ / "avahi.conf").string()}),
                               env(), dir_ / "avahi.log");
}

void AvahiHost::wait_until_avahi_runs() {
  const std::vector<std::string> get_state = {"dbus-send",
                                              "--system",
                                              "--print-reply",
                                              "--dest=org.freedesktop.Avahi",
                                              "/",
                                              "org.freedesktop.Avahi.Server.GetState"};
  bool running = poll_until(
      [&] {
        if (!avahi_->running()) return true;  // reported below
        auto r = run_command(get_state, env(), std::chrono::seconds(2));
        return r.exit_code == 0 && r.output.find("int32 2") != std::string::npos;
      },
      kReadyTimeout);
  if (!running || !avahi_->running())
    throw std::runtime_error(netns_ + ": avahi-daemon is not running: " + avahi_log());
}

void AvahiHost::kill_avahi(int sig) {
  if (avahi_) avahi_->stop(sig);
  avahi_.reset();
}

void AvahiHost::restart_avahi() {
  if (!dbus_ || !dbus_->running()) throw std::logic_error(netns_ + ": the bus is not running");
  kill_avahi(SIGTERM);
  start_avahi();
  wait_until_avahi_runs();
}

bool AvahiHost::avahi_running() { return avahi_ && avahi_->running(); }

void AvahiHost::stop() {
  kill_avahi(SIGTERM);
  if (dbus_) dbus_->stop(SIGTERM);
  dbus_.reset();
}

std::string AvahiHost::avahi_log() const { return read_file(dir_ / "avahi.log"); }

}  // namespace netns

#include "constellation/discovery/tailscale_status.h"

#include <arpa/inet.h>

#include <algorithm>
#include <map>
#include <optional>
#include <tuple>
#include <utility>

#include <nlohmann/json.hpp>

#include "constellation/util/concat.h"
#include "go_json.h"

namespace constellation::discovery {
namespace {

using nlohmann::json;
using go_json::Failure;
using go_json::expected;
using go_json::member;
using go_json::read_bool;
using go_json::read_int64;
using go_json::read_string;
using go_json::read_strings;

constexpr const char* kStatusCommand = "tailscale status --json";
constexpr const char* kIpCommand = "tailscale ip -4";

// The command name is added once, here.
Error fail_status(const std::string& what) {
  return make_error(ErrorKind::kInternal, concat({kStatusCommand, ": ", what}));
}

std::optional<Failure> read_ips(const json& obj, const std::string& prefix, TailscaleNode* node) {
  std::vector<std::string> ips;
  if (auto f = read_strings(obj, prefix, "TailscaleIPs", &ips)) return f;
  for (std::size_t i = 0; i < ips.size(); ++i) {
    unsigned char buf[sizeof(in6_addr)];
    if (inet_pton(AF_INET, ips[i].c_str(), buf) == 1) {
      node->ipv4.push_back(ips[i]);
    } else if (inet_pton(AF_INET6, ips[i].c_str(), buf) == 1) {
      node->ipv6.push_back(ips[i]);
    } else {
      return Failure{prefix + "TailscaleIPs[" + std::to_string(i) + "]: \"" + ips[i] +
                     "\" is not an IP address"};
    }
  }
  return std::nullopt;
}

// `prefix` names the node, e.g. "Self: " or "Peer.nodekey:ab12…: ".
std::optional<Failure> read_node(const json& j, const std::string& prefix, TailscaleNode* node) {
  if (auto f = read_string(j, prefix, "HostName", &node->host_name)) return f;
  if (auto f = read_string(j, prefix, "DNSName", &node->dns_name)) return f;
  if (!node->dns_name.empty() && node->dns_name.back() == '.') node->dns_name.pop_back();
  if (auto f = read_string(j, prefix, "OS", &node->os)) return f;
  if (auto f = read_ips(j, prefix, node)) return f;
  if (auto f = read_bool(j, prefix, "Online", &node->online)) return f;
  if (auto f = read_strings(j, prefix, "Tags", &node->tags)) return f;
  if (auto f = read_int64(j, prefix, "UserID", &node->user_id)) return f;
  return std::nullopt;
}

// The User map: decimal user id → LoginName.
std::optional<Failure> read_users(const json& top, std::map<std::string, std::string>* logins) {
  const json* users = member(top, "User");
  if (users == nullptr) return std::nullopt;
  if (!users->is_object()) return expected("User", "an object", *users);
  for (const auto& [id, profile] : users->items()) {
    if (profile.is_null()) continue;
    const std::string path = "User." + id;
    if (!profile.is_object()) return expected(path, "an object", profile);
    if (auto f = read_string(profile, path + ": ", "LoginName", &(*logins)[id])) return f;
  }
  return std::nullopt;
}

std::optional<Failure> read_status(const json& top, TailscaleStatus* status) {
  if (auto f = read_string(top, "", "BackendState", &status->backend_state)) return f;
  if (auto f = read_strings(top, "", "Health", &status->health)) return f;
  if (const json* self = member(top, "Self")) {
    if (!self->is_object()) return expected("Self", "an object", *self);
    if (auto f = read_node(*self, "Self: ", &status->self)) return f;
  }
  if (const json* peers = member(top, "Peer")) {
    if (!peers->is_object()) return expected("Peer", "an object", *peers);
    for (const auto& [key, value] : peers->items()) {
      if (value.is_null()) continue;
      const std::string path = "Peer." + key;
      if (!value.is_object()) return expected(path, "an object", value);
      TailscaleNode node;
      if (auto f = read_node(value, path + ": ", &node)) return f;
      status->peers.push_back(std::move(node));
    }
  }
  std::map<std::string, std::string> logins;
  if (auto f = read_users(top, &logins)) return f;
  auto login_of = [&logins](TailscaleNode& node) {
    const auto it = logins.find(std::to_string(node.user_id));
    if (it != logins.end()) node.login_name = it->second;
  };
  login_of(status->self);
  for (auto& peer : status->peers) login_of(peer);
  std::stable_sort(status->peers.begin(), status->peers.end(),
                   [](const TailscaleNode& a, const TailscaleNode& b) {
                     return std::tie(a.dns_name, a.host_name) < std::tie(b.dns_name, b.host_name);
                   });
  return std::nullopt;
}

std::string_view trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(" \t\r\n");
  return s.substr(first, last - first + 1);
}

// What a command printed, for an error message: one line, bounded.
std::string quoted(std::string_view text) {
  constexpr std::size_t kMax = 200;
  std::string out = "\"";
  for (const char c : text.substr(0, kMax)) {
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else {
      out += c;
    }
  }
  out += text.size() > kMax ? "…\"" : "\"";
  return out;
}

}  // namespace

Result<TailscaleStatus> parse_tailscale_status(std::string_view text) {
  json top;
  if (auto f = go_json::parse_object(text, &top)) return fail_status(f->what);
  TailscaleStatus status;
  if (auto f = read_status(top, &status)) return fail_status(f->what);
  return status;
}

Result<std::string> parse_tailscale_ip4(std::string_view text) {
  std::string_view rest = text;
  while (!rest.empty()) {
    const auto eol = rest.find('\n');
    const std::string line(trim(rest.substr(0, eol)));
    rest = eol == std::string_view::npos ? std::string_view{} : rest.substr(eol + 1);
    in_addr addr;
    if (inet_pton(AF_INET, line.c_str(), &addr) == 1) return line;
  }
  if (trim(text).empty()) {
    return make_error(ErrorKind::kInternal, concat({kIpCommand, ": printed nothing"}));
  }
  return make_error(
      ErrorKind::kInternal,
      concat({kIpCommand, ": no IPv4 address in its output: ", quoted(trim(text))}));
}

std::string describe_backend_state(const std::string& backend_state) {
  const std::string tag = " (BackendState " + backend_state + ")";
  if (backend_state == "Running") return "Tailscale is running" + tag;
  if (backend_state == "NeedsLogin") {
    return "Tailscale is logged out" + tag + "; run 'tailscale up' to log in";
  }
  if (backend_state == "NeedsMachineAuth") {
    return "This machine is waiting for the tailnet admin's approval" + tag +
           "; approve it at https://login.tailscale.com/admin/machines, then run "
           "'tailscale status'";
  }
  if (backend_state == "Stopped") {
    return "Tailscale is stopped" + tag + "; run 'tailscale up' to connect";
  }
  if (backend_state == "Starting") {
    return "Tailscale is still connecting" + tag +
           "; wait a moment, or run 'tailscale status' to see why";
  }
  if (backend_state == "NoState") {
    return "tailscaled has not loaded its state yet" + tag +
           "; wait a moment, or run 'sudo systemctl restart tailscaled' if it stays";
  }
  if (backend_state == "InUseOtherUser") {
    return "Tailscale is in use by another user of this machine" + tag +
           "; run 'tailscale up' as that user, or ask them to run 'tailscale down'";
  }
  if (backend_state.empty()) {
    return "tailscale status --json gave no BackendState; run 'tailscale status' to check";
  }
  return "Tailscale is in an unexpected state" + tag + "; run 'tailscale status' to see why";
}

}  // namespace constellation::discovery

#include "constellation/discovery/tailscale_whois.h"

#include <nlohmann/json.hpp>

#include "constellation/util/concat.h"
#include "go_json.h"

namespace constellation::discovery {
namespace {

using nlohmann::json;
using go_json::Failure;

constexpr const char* kWhoisCommand = "tailscale whois --json";
// What Tailscale puts in UserProfile for a device owned by its tags, not by a person.
constexpr std::string_view kTaggedDevicesLogin = "tagged-devices";

std::optional<Failure> read_node(const json& node, TailscaleWhois* out) {
  const std::string prefix = "Node: ";
  std::string name;
  if (auto f = go_json::read_string(node, prefix, "Name", &name)) return f;
  if (!name.empty() && name.back() == '.') name.pop_back();
  out->dns_name = name;
  if (auto f = go_json::read_string(node, prefix, "ComputedName", &out->node_name)) return f;
  if (out->node_name.empty()) out->node_name = name.substr(0, name.find('.'));
  if (out->node_name.empty()) return Failure{"Node: has neither ComputedName nor Name"};
  if (auto f = go_json::read_strings(node, prefix, "Tags", &out->tags)) return f;
  std::vector<std::string> prefixes;
  if (auto f = go_json::read_strings(node, prefix, "Addresses", &prefixes)) return f;
  for (auto& p : prefixes) out->addresses.push_back(p.substr(0, p.find('/')));
  return std::nullopt;
}

std::optional<Failure> read_whois(const json& top, TailscaleWhois* out) {
  const json* node = go_json::member(top, "Node");
  if (node == nullptr) return Failure{"no Node: the address belongs to no node of this tailnet"};
  if (!node->is_object()) return go_json::expected("Node", "an object", *node);
  if (auto f = read_node(*node, out)) return f;
  if (const json* profile = go_json::member(top, "UserProfile")) {
    if (!profile->is_object()) return go_json::expected("UserProfile", "an object", *profile);
    const std::string prefix = "UserProfile: ";
    if (auto f = go_json::read_string(*profile, prefix, "LoginName", &out->login_name)) return f;
    if (auto f = go_json::read_string(*profile, prefix, "DisplayName", &out->display_name)) return f;
  }
  if (out->login_name == kTaggedDevicesLogin) {
    out->login_name.clear();
    out->display_name.clear();
  }
  return std::nullopt;
}

}  // namespace

Result<TailscaleWhois> parse_tailscale_whois(std::string_view text) {
  auto fail = [](const Failure& f) {
    return make_error(ErrorKind::kInternal, concat({kWhoisCommand, ": ", f.what}));
  };
  json top;
  if (auto f = go_json::parse_object(text, &top)) return fail(*f);
  TailscaleWhois whois;
  if (auto f = read_whois(top, &whois)) return fail(*f);
  return whois;
}

}  // namespace constellation::discovery

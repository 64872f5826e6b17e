#include "mdns_txt.h"

#include <algorithm>
#include <cctype>

namespace constellation::discovery {

namespace {

bool is_continuation_byte(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

std::string entry(std::string_view key, std::string_view value) {
  std::string prefix = std::string(key) + "=";
  return prefix + truncate_utf8(value, kMaxTxtEntry - prefix.size());
}

}  // namespace

std::string truncate_utf8(std::string_view s, std::size_t max_bytes) {
  if (s.size() <= max_bytes) return std::string(s);
  std::size_t cut = max_bytes;
  // s[cut] is the first byte dropped; if it continues a sequence, drop that sequence's
  // leading bytes too.
  while (cut > 0 && is_continuation_byte(s[cut])) --cut;
  return std::string(s.substr(0, cut));
}

std::vector<std::string> make_txt(const MdnsAdvert& advert) {
  return {entry("name", advert.agent_name), entry("node", advert.node_id),
          entry("path", advert.card_path), entry("protocols", advert.protocols)};
}

std::string make_instance_name(const MdnsAdvert& advert) {
  std::string name = advert.instance_name;
  if (name.empty()) name = advert.agent_name;
  if (name.empty()) name = "constellation";
  return truncate_utf8(name, kMaxInstanceName);
}

std::map<std::string, std::string> parse_txt(const std::vector<std::string>& strings) {
  std::map<std::string, std::string> out;
  for (const auto& s : strings) {
    auto eq = s.find('=');
    std::string key = s.substr(0, eq);
    if (key.empty()) continue;
    std::transform(key.begin(), key.end(), key.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    std::string value = eq == std::string::npos ? "" : s.substr(eq + 1);
    out.emplace(std::move(key), std::move(value));
  }
  return out;
}

void apply_txt(const std::vector<std::string>& strings, MdnsPeer& peer) {
  peer.txt = parse_txt(strings);
  auto get = [&](const char* key) {
    auto it = peer.txt.find(key);
    return it == peer.txt.end() ? std::string() : it->second;
  };
  peer.agent_name = get("name");
  peer.node_id = get("node");
  peer.card_path = get("path");
}

bool same_resolution(const MdnsPeer& a, const MdnsPeer& b) {
  return a.instance_name == b.instance_name && a.host_name == b.host_name &&
         a.address == b.address && a.port == b.port && a.txt == b.txt;
}

}  // namespace constellation::discovery

#include "constellation/security/allowlist.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>

#include "constellation/util/concat.h"

namespace constellation::security {
namespace {

std::string lowercase(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool is_name(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '-' || c == '_' || c == '.';
  });
}

/// The address as 16 bytes (IPv4 mapped into IPv6), or nullopt.
std::optional<std::array<std::uint8_t, 16>> address_bytes(std::string_view text) {
  const std::string s = normalize_address(text);
  std::array<std::uint8_t, 16> out{};
  in_addr v4;
  if (inet_pton(AF_INET, s.c_str(), &v4) == 1) {
    out[10] = out[11] = 0xff;
    std::copy_n(reinterpret_cast<const std::uint8_t*>(&v4), 4, out.begin() + 12);
    return out;
  }
  if (inet_pton(AF_INET6, s.c_str(), out.data()) == 1) return out;
  return std::nullopt;
}

}  // namespace

std::optional<Cidr> Cidr::parse(std::string_view text) {
  const auto slash = text.find('/');
  auto bytes = address_bytes(text.substr(0, slash));
  if (!bytes) return std::nullopt;
  const bool v4 = text.substr(0, slash).find(':') == std::string_view::npos;
  Cidr c;
  c.address = *bytes;
  c.prefix = 128;
  if (slash != std::string_view::npos) {
    const std::string_view digits = text.substr(slash + 1);
    if (digits.empty() || digits.size() > 3 ||
        !std::all_of(digits.begin(), digits.end(), [](unsigned char d) { return std::isdigit(d); })) {
      return std::nullopt;
    }
    const int bits = std::stoi(std::string(digits));
    if (bits > (v4 ? 32 : 128)) return std::nullopt;
    c.prefix = v4 ? bits + 96 : bits;
  }
  return c;
}

bool Cidr::contains(std::string_view text) const {
  const auto bytes = address_bytes(text);
  if (!bytes) return false;
  int left = prefix;
  for (std::size_t i = 0; i < 16 && left > 0; ++i, left -= 8) {
    const std::uint8_t mask = left >= 8 ? 0xff : static_cast<std::uint8_t>(0xff << (8 - left));
    if (((*bytes)[i] & mask) != (address[i] & mask)) return false;
  }
  return true;
}

Result<Allowlist> Allowlist::parse(const std::vector<std::string>& entries) {
  Allowlist list;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const std::string& e = entries[i];
    Entry entry{Kind::kName, lowercase(e), {}};
    if (auto network = Cidr::parse(e)) {
      entry.kind = Kind::kNetwork;
      entry.network = *network;
    } else if (e.starts_with("tag:") && is_name(std::string_view(e).substr(4))) {
      entry.kind = Kind::kTag;
    } else if (const auto at = e.find('@'); at != std::string::npos && at > 0 && at + 1 < e.size() &&
                                            e.find_first_of(" \t\"") == std::string::npos) {
      entry.kind = Kind::kUser;
    } else if (!is_name(e)) {
      return make_error(ErrorKind::kUsage,
                        concat({"allow[", std::to_string(i), "]: \"", e,
                                "\" is not a user (name@domain), a tag (tag:name), a node name or "
                                "an address/CIDR (10.0.0.0/8)"}));
    }
    list.entries_.push_back(std::move(entry));
  }
  return list;
}

bool Allowlist::allows(const Caller& caller) const {
  if (entries_.empty()) return true;
  const std::string user = lowercase(caller.user);
  const std::string node = lowercase(caller.node);
  const std::string peer = lowercase(caller.peer);
  for (const auto& e : entries_) {
    switch (e.kind) {
      case Kind::kNetwork:
        if (!caller.address.empty() && e.network.contains(caller.address)) return true;
        break;
      case Kind::kUser:
        if (caller.verified() && !user.empty() && user == e.text) return true;
        break;
      case Kind::kTag:
        for (const auto& tag : caller.tags) {
          if (caller.verified() && lowercase(tag) == e.text) return true;
        }
        break;
      case Kind::kName:
        if (caller.verified() && ((!node.empty() && node == e.text) || (!peer.empty() && peer == e.text))) {
          return true;
        }
        break;
    }
  }
  return false;
}

}  // namespace constellation::security

#pragma once
/// The pure parts of mDNS: what goes into our TXT record and instance name, and how a
/// resolved TXT record becomes an MdnsPeer. No Avahi here, so the rules are unit-tested.

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "constellation/discovery/mdns.h"

namespace constellation::discovery {

/// DNS-SD limits: one TXT string (key=value) and one DNS label are length-prefixed by a
/// byte, and a label may hold at most 63 bytes (RFC 6763 §6.1, RFC 1035 §2.3.4).
inline constexpr std::size_t kMaxTxtEntry = 255;
inline constexpr std::size_t kMaxInstanceName = 63;

/// The longest prefix of `s` that has at most `max_bytes` bytes and does not cut a UTF-8
/// sequence in half (a cut sequence would make the whole record invalid UTF-8).
std::string truncate_utf8(std::string_view s, std::size_t max_bytes);

/// The TXT strings we publish, each "key=value" and at most kMaxTxtEntry bytes, in the
/// order name, node, path, protocols.
std::vector<std::string> make_txt(const MdnsAdvert& advert);

/// The instance name to publish: advert.instance_name (or agent_name when empty, or
/// "constellation" when both are), cut to kMaxInstanceName bytes.
std::string make_instance_name(const MdnsAdvert& advert);

/// Splits TXT strings into key → value. A string without '=' is a boolean key (value "");
/// keys are lowercased because DNS-SD keys are case-insensitive; the first occurrence of
/// a key wins (RFC 6763 §6.4).
std::map<std::string, std::string> parse_txt(const std::vector<std::string>& strings);

/// Fills the TXT-derived fields of `peer` (agent_name, node_id, card_path, txt).
void apply_txt(const std::vector<std::string>& strings, MdnsPeer& peer);

/// True when two resolutions would tell a listener nothing new.
bool same_resolution(const MdnsPeer& a, const MdnsPeer& b);

}  // namespace constellation::discovery

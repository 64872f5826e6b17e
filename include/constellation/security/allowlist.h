#pragma once
/// `[security] allow`: who may call this agent. Entries are tailnet user logins
/// ("alice@example.com"), ACL tags ("tag:a2a-agent"), node or peer names ("buildbox")
/// and addresses or CIDR blocks ("100.64.0.0/10", "fd7a:115c:a1e0::/48", "10.0.0.7").
/// Names, users and tags match only identities the network verified; addresses match
/// the connection's source. An empty list allows everyone (the default: on a tailnet,
/// the tailnet's ACLs already decide who can reach the port).

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "constellation/security/caller.h"
#include "constellation/util/error.h"

namespace constellation::security {

/// An IPv4 or IPv6 network; IPv4 is held as IPv4-mapped IPv6 so one comparison serves both.
struct Cidr {
  std::array<std::uint8_t, 16> address{};
  int prefix = 128;
  /// "10.0.0.0/8", "fd7a::/48", or a bare address (a single host). nullopt when not one.
  static std::optional<Cidr> parse(std::string_view text);
  bool contains(std::string_view address) const;
};

class Allowlist {
 public:
  Allowlist() = default;
  /// kUsage naming the entry when one is none of the four kinds:
  /// "allow[2]: \"bad name!\" is not a user (has @), tag (tag:…), node name or address".
  static Result<Allowlist> parse(const std::vector<std::string>& entries);

  bool empty() const { return entries_.empty(); }
  /// Whether the caller may call; always true for an empty list.
  bool allows(const Caller& caller) const;

 private:
  enum class Kind { kUser, kTag, kName, kNetwork };
  struct Entry {
    Kind kind;
    std::string text;  ///< user, tag or name, lowercased (all three are case-insensitive)
    Cidr network;
  };
  std::vector<Entry> entries_;
};

}  // namespace constellation::security

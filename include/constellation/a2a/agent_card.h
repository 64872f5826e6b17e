#pragma once
/// The agent card: what a peer says about itself at /.well-known/agent-card.json (and
/// agent.json, where the Rust original looks).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "constellation/a2a/dialect.h"

namespace constellation::a2a {

struct Skill {
  std::string id;
  std::string name;
  std::string description;
  std::vector<std::string> tags;
  friend bool operator==(const Skill&, const Skill&) = default;
};

struct AgentCard {
  std::string name;
  std::string description;
  /// Absolute JSON-RPC endpoint, e.g. "http://100.64.0.7:7777/": the one choose_endpoint
  /// picks, which on a v1.0-only card is not a top-level `url` at all.
  std::string url;
  std::string version;  ///< implementation version; "" when a card leaves it out
  std::vector<Skill> skills;
  bool streaming = false;
  bool push_notifications = false;
  /// This node's stable id (kNodeExtensionUri); "" on cards of other implementations.
  std::string node_id;
  /// Callers must send `Authorization: Bearer <token>` (a shared mesh token). Written as
  /// the security scheme kBearerSchemeName, in v0.3's and v1.0's shapes at once; read
  /// from any http bearer scheme of either.
  bool bearer_auth = false;
  friend bool operator==(const AgentCard&, const AgentCard&) = default;
};

/// The A2A extension through which a card carries its node id:
/// capabilities.extensions[] = {uri: kNodeExtensionUri, params: {nodeId: "…"}}. An
/// extension rather than a new top-level field, so strict standard clients accept it and
/// the Rust original (which ignores unknown fields) does too.
inline constexpr const char* kNodeExtensionUri = "urn:constellation:ext:node:v1";

inline constexpr const char* kBearerSchemeName = "meshToken";

/// A skill as `init --skills a,b` makes it: id = name = tags[0], with a description so
/// that standard A2A clients, which require one, accept the card.
Skill skill_from_name(const std::string& name);

/// The hybrid card of a2a-wire.md §4.4, which a v1.0 client, a v0.3 client and the Rust
/// original each read their own part of: the original's fields (name, url, version,
/// capabilities, modes, skills) plus v0.3's protocolVersion, preferredTransport and
/// additionalInterfaces, plus v1.0's supportedInterfaces listing 1.0 before 0.3, all at
/// `url`. `description` is always written: v0.3 and v1.0 require it.
nlohmann::json card_to_json(const AgentCard& card);

/// Reads a legacy, v0.3 or v1.0 card: it needs a string `name` and a JSON-RPC endpoint
/// (choose_endpoint) at an absolute http(s) URL, which becomes `url`. `version` and the
/// other fields are optional and unknown ones ignored; a field that is present with the
/// wrong type is refused. Skills missing a name take their id. On failure returns nullopt
/// and *err names the JSON path ("url: …").
std::optional<AgentCard> card_from_json(const nlohmann::json& j, std::string* err);
/// Same, from text; "not JSON: …" when it does not parse.
std::optional<AgentCard> parse_card(std::string_view body, std::string* err);

/// The endpoint a card stored as text (PeerRecord::card_json) offers, for `send` and for
/// the dialect `peers` shows. nullopt and *err when it is not JSON or offers none.
std::optional<PeerEndpoint> card_endpoint(std::string_view card_json, std::string* err);

}  // namespace constellation::a2a

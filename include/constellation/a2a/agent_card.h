#pragma once
/// The agent card: what a peer says about itself at /.well-known/agent.json.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

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
  std::string url;      ///< absolute JSON-RPC endpoint, e.g. "http://100.64.0.7:7777/"
  std::string version;  ///< implementation version
  std::vector<Skill> skills;
  bool streaming = false;
  bool push_notifications = false;
  /// This node's stable id (kNodeExtensionUri); "" on cards of other implementations.
  std::string node_id;
  friend bool operator==(const AgentCard&, const AgentCard&) = default;
};

/// The A2A extension through which a card carries its node id:
/// capabilities.extensions[] = {uri: kNodeExtensionUri, params: {nodeId: "…"}}. An
/// extension rather than a new top-level field, so strict standard clients accept it and
/// the Rust original (which ignores unknown fields) does too.
inline constexpr const char* kNodeExtensionUri = "urn:constellation:ext:node:v1";

/// A skill as `init --skills a,b` makes it: id = name = tags[0], with a description so
/// that standard A2A clients, which require one, accept the card.
Skill skill_from_name(const std::string& name);

/// The card as the Rust original writes it (a2a-wire.md §1.2), plus skill descriptions.
nlohmann::json card_to_json(const AgentCard& card);

/// Reads any card that has a string `name`, an absolute http(s) `url` and a string
/// `version`; other fields are optional and unknown ones ignored. Skills missing a name
/// take their id. On failure returns nullopt and *err names the JSON path ("url: …").
std::optional<AgentCard> card_from_json(const nlohmann::json& j, std::string* err);
/// Same, from text; "not JSON: …" when it does not parse.
std::optional<AgentCard> parse_card(std::string_view body, std::string* err);

}  // namespace constellation::a2a

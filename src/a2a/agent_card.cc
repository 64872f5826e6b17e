#include "constellation/a2a/agent_card.h"

#include <cctype>
#include <exception>
#include <utility>

#include "constellation/a2a/jsonrpc.h"

namespace constellation::a2a {
namespace {

using nlohmann::json;

constexpr const char* kJsonRpc = "JSONRPC";
/// The v0.3 schema's spelling (a2a-wire.md §2.2); v0.3 clients compare major.minor only.
constexpr const char* kCardProtocolVersion = "0.3.0";

bool fail(std::string* err, const std::string& path, const std::string& what) {
  if (err != nullptr) *err = path + ": " + what;
  return false;
}

bool starts_with_ci(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(s[i])) != prefix[i]) return false;
  }
  return true;
}

bool all_digits(std::string_view s) {
  for (const char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// Enough of RFC 3986 to refuse what the Rust prober refuses that matters here: relative
// URLs, other schemes, an empty host and a bad port. Normalising is not our job.
bool is_absolute_http_url(std::string_view url) {
  for (const char c : url) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) return false;
  }
  std::string_view rest;
  if (starts_with_ci(url, "http://")) {
    rest = url.substr(7);
  } else if (starts_with_ci(url, "https://")) {
    rest = url.substr(8);
  } else {
    return false;
  }
  std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
  if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
    authority.remove_prefix(at + 1);
  }
  std::string_view host = authority;
  std::string_view port;
  if (authority.starts_with('[')) {
    const auto close = authority.find(']');
    if (close == std::string_view::npos || close == 1) return false;
    host = authority.substr(0, close + 1);
    const std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after[0] != ':') return false;
      port = after.substr(1);
      if (port.empty()) return false;
    }
  } else if (const auto colon = authority.rfind(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
    if (port.empty()) return false;
  }
  if (host.empty()) return false;
  if (!port.empty() &&
      (!all_digits(port) || port.size() > 5 || std::stoi(std::string(port)) > 65535)) {
    return false;
  }
  return true;
}

// A required (`required`) or optional string member; absent or null optional ones leave
// *out untouched.
bool read_string(const json& j, const std::string& path, const char* key, bool required,
                 std::string* out, std::string* err) {
  const std::string where = path.empty() ? key : path + "." + key;
  const auto it = j.find(key);
  if (it == j.end() || (!required && it->is_null())) {
    return !required || fail(err, where, "missing");
  }
  if (!it->is_string()) {
    return fail(err, where, std::string("expected a string, got ") + it->type_name());
  }
  *out = it->get<std::string>();
  return true;
}

bool read_bool(const json& j, const std::string& path, const char* key, bool* out,
               std::string* err) {
  const auto it = j.find(key);
  if (it == j.end() || it->is_null()) return true;
  if (!it->is_boolean()) {
    return fail(err, path + "." + key, std::string("expected a boolean, got ") + it->type_name());
  }
  *out = it->get<bool>();
  return true;
}

bool read_skill(const json& j, const std::string& path, Skill* out, std::string* err) {
  if (!j.is_object()) {
    return fail(err, path, std::string("expected an object, got ") + j.type_name());
  }
  if (!read_string(j, path, "id", true, &out->id, err)) return false;
  out->name = out->id;
  if (!read_string(j, path, "name", false, &out->name, err)) return false;
  if (!read_string(j, path, "description", false, &out->description, err)) return false;
  const auto tags = j.find("tags");
  if (tags == j.end() || tags->is_null()) return true;
  if (!tags->is_array()) {
    return fail(err, path + ".tags", std::string("expected an array, got ") + tags->type_name());
  }
  for (std::size_t i = 0; i < tags->size(); ++i) {
    const json& tag = (*tags)[i];
    if (!tag.is_string()) {
      return fail(err, path + ".tags[" + std::to_string(i) + "]",
                  std::string("expected a string, got ") + tag.type_name());
    }
    out->tags.push_back(tag.get<std::string>());
  }
  return true;
}

/// The node id from our extension; other extensions are not ours to judge, but a
/// malformed list is a malformed card.
bool read_node_id(const json& caps, std::string* out, std::string* err) {
  const auto list = caps.find("extensions");
  if (list == caps.end() || list->is_null()) return true;
  if (!list->is_array()) {
    return fail(err, "capabilities.extensions",
                std::string("expected an array, got ") + list->type_name());
  }
  for (std::size_t i = 0; i < list->size(); ++i) {
    const json& ext = (*list)[i];
    const std::string path = "capabilities.extensions[" + std::to_string(i) + "]";
    if (!ext.is_object()) return fail(err, path, std::string("expected an object, got ") + ext.type_name());
    std::string uri;
    if (!read_string(ext, path, "uri", true, &uri, err)) return false;
    if (uri != kNodeExtensionUri) continue;
    const auto params = ext.find("params");
    if (params == ext.end() || !params->is_object()) return fail(err, path + ".params", "missing");
    if (!read_string(*params, path + ".params", "nodeId", true, out, err)) return false;
    if (out->empty() || out->size() > 128) {
      return fail(err, path + ".params.nodeId", "must be 1 to 128 characters");
    }
  }
  return true;
}

/// Card fields that only v0.3 and v1.0 cards have; a card with none of them is a legacy one.
bool has_standard_fields(const json& j) {
  for (const char* key :
       {"supportedInterfaces", "protocolVersion", "preferredTransport", "additionalInterfaces"}) {
    if (j.contains(key)) return true;
  }
  return false;
}

bool url_member_is(const json& j, const std::string& url) {
  const auto it = j.find("url");
  return it != j.end() && it->is_string() && it->get<std::string>() == url;
}

/// "<list>[i].url" for the first entry of `list` whose url is `url`; "" when none is.
std::string path_in_list(const json& j, const char* list, const std::string& url) {
  const auto it = j.find(list);
  if (it == j.end() || !it->is_array()) return "";
  for (std::size_t i = 0; i < it->size(); ++i) {
    if ((*it)[i].is_object() && url_member_is((*it)[i], url)) {
      return std::string(list) + "[" + std::to_string(i) + "].url";
    }
  }
  return "";
}

/// Where on the card the URL choose_endpoint took sits, so that an error names it; the
/// order is choose_endpoint's.
std::string endpoint_path(const json& j, const std::string& url) {
  if (auto path = path_in_list(j, "supportedInterfaces", url); !path.empty()) return path;
  if (url_member_is(j, url)) return "url";
  if (auto path = path_in_list(j, "additionalInterfaces", url); !path.empty()) return path;
  return "url";
}

/// The JSON-RPC endpoint, chosen as a client would (a2a-wire.md §4.5): a peer we could
/// not talk to is no peer, whatever else its card says.
bool read_endpoint(const json& j, std::string* url, std::string* err) {
  std::string why;
  const auto endpoint = choose_endpoint(j, &why);
  if (!endpoint) {
    if (!has_standard_fields(j)) {
      // A legacy card: its `url` is what is wrong.
      const auto it = j.find("url");
      if (it == j.end() || it->is_null()) return fail(err, "url", "missing");
      if (!it->is_string()) {
        return fail(err, "url", std::string("expected a string, got ") + it->type_name());
      }
      return fail(err, "url", "not an absolute http(s) URL");
    }
    if (err != nullptr) *err = "no usable JSON-RPC endpoint: " + why;
    return false;
  }
  if (!is_absolute_http_url(endpoint->url)) {
    return fail(err, endpoint_path(j, endpoint->url), "not an absolute http(s) URL");
  }
  *url = endpoint->url;
  return true;
}

/// Whether any security scheme is HTTP bearer, in v0.3's shape ({type: "http", scheme})
/// or v1.0's ({httpAuthSecurityScheme: {scheme}}). Schemes are advisory here: an
/// unreadable one is ignored rather than failing the whole card.
bool announces_bearer(const json& card) {
  const auto schemes = card.find("securitySchemes");
  if (schemes == card.end() || !schemes->is_object()) return false;
  auto is_bearer = [](const json& scheme_value) {
    if (!scheme_value.is_string()) return false;
    std::string v = scheme_value.get<std::string>();
    for (auto& c : v) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return v == "bearer";
  };
  for (const auto& [name, scheme] : schemes->items()) {
    if (!scheme.is_object()) continue;
    if (scheme.value("type", json()) == "http" && is_bearer(scheme.value("scheme", json()))) return true;
    const auto http = scheme.find("httpAuthSecurityScheme");
    if (http != scheme.end() && http->is_object() && is_bearer(http->value("scheme", json()))) return true;
  }
  return false;
}

bool read_card(const json& j, AgentCard* card, std::string* err) {
  if (!j.is_object()) {
    if (err != nullptr) *err = std::string("expected an object, got ") + j.type_name();
    return false;
  }
  if (!read_string(j, "", "name", true, &card->name, err)) return false;
  if (!read_endpoint(j, &card->url, err)) return false;
  // Required by every dialect, yet left out by some agents; nothing here needs it.
  if (!read_string(j, "", "version", false, &card->version, err)) return false;
  if (!read_string(j, "", "description", false, &card->description, err)) return false;

  if (const auto caps = j.find("capabilities"); caps != j.end() && !caps->is_null()) {
    if (!caps->is_object()) {
      return fail(err, "capabilities", std::string("expected an object, got ") + caps->type_name());
    }
    if (!read_bool(*caps, "capabilities", "streaming", &card->streaming, err)) return false;
    if (!read_bool(*caps, "capabilities", "pushNotifications", &card->push_notifications, err)) {
      return false;
    }
    if (!read_node_id(*caps, &card->node_id, err)) return false;
  }

  card->bearer_auth = announces_bearer(j);

  const auto skills = j.find("skills");
  if (skills == j.end() || skills->is_null()) return true;
  if (!skills->is_array()) {
    return fail(err, "skills", std::string("expected an array, got ") + skills->type_name());
  }
  for (std::size_t i = 0; i < skills->size(); ++i) {
    Skill skill;
    if (!read_skill((*skills)[i], "skills[" + std::to_string(i) + "]", &skill, err)) return false;
    card->skills.push_back(std::move(skill));
  }
  return true;
}

}  // namespace

Skill skill_from_name(const std::string& name) {
  return Skill{name, name, "Skill: " + name, {name}};
}

json card_to_json(const AgentCard& card) {
  json skills = json::array();
  for (const Skill& skill : card.skills) {
    skills.push_back(json{{"id", skill.id},
                          {"name", skill.name},
                          {"description", skill.description},
                          {"tags", skill.tags}});
  }
  // MIME types, as v0.3 and v1.0 expect; the Rust original reads these as plain strings
  // and ignores their values.
  const json modes = json::array({"text/plain"});
  json j = {{"name", card.name},
            {"description", card.description},
            {"url", card.url},
            {"version", card.version},
            {"protocolVersion", kCardProtocolVersion},
            {"preferredTransport", kJsonRpc},
            {"additionalInterfaces", json::array({json{{"url", card.url}, {"transport", kJsonRpc}}})},
            {"supportedInterfaces",
             json::array({json{{"url", card.url},
                               {"protocolBinding", kJsonRpc},
                               {"protocolVersion", dialect_name(Dialect::kV10)}},
                          json{{"url", card.url},
                               {"protocolBinding", kJsonRpc},
                               {"protocolVersion", dialect_name(Dialect::kV03)}}})},
            {"capabilities",
             {{"streaming", card.streaming},
              {"pushNotifications", card.push_notifications},
              {"stateTransitionHistory", false}}},
            {"defaultInputModes", modes},
            {"defaultOutputModes", modes},
            {"skills", std::move(skills)}};
  if (card.bearer_auth) {
    // One map read by both: v0.3 looks at `type`/`scheme`, v1.0 at its oneof member.
    j["securitySchemes"] = {
        {kBearerSchemeName,
         {{"type", "http"},
          {"scheme", "bearer"},
          {"description", "The mesh's shared token ([security] token_file)"},
          {"httpAuthSecurityScheme", {{"scheme", "Bearer"}}}}}};
    j["security"] = json::array({json{{kBearerSchemeName, json::array()}}});
    j["securityRequirements"] =
        json::array({json{{"schemes", {{kBearerSchemeName, {{"list", json::array()}}}}}}});
  }
  if (!card.node_id.empty()) {
    j["capabilities"]["extensions"] = json::array(
        {json{{"uri", kNodeExtensionUri},
              {"description", "Constellation node id: stays the same when the name or URL changes"},
              {"required", false},
              {"params", {{"nodeId", card.node_id}}}}});
  }
  return j;
}

std::optional<AgentCard> card_from_json(const json& j, std::string* err) {
  try {
    AgentCard card;
    if (!read_card(j, &card, err)) return std::nullopt;
    return card;
  } catch (const std::exception& e) {
    // Not expected; a card from a hostile peer must still not take the daemon down.
    if (err != nullptr) *err = std::string("internal decoding error: ") + e.what();
    return std::nullopt;
  }
}

std::optional<AgentCard> parse_card(std::string_view body, std::string* err) {
  std::string detail;
  const auto j = parse_json(body, &detail);
  if (!j) {
    if (err != nullptr) *err = "not JSON: " + detail;
    return std::nullopt;
  }
  return card_from_json(*j, err);
}

std::optional<PeerEndpoint> card_endpoint(std::string_view card_json, std::string* err) {
  std::string detail;
  const auto j = parse_json(card_json, &detail);
  if (!j) {
    if (err != nullptr) *err = "the card is not JSON: " + detail;
    return std::nullopt;
  }
  return choose_endpoint(*j, err);
}

}  // namespace constellation::a2a

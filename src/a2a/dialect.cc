#include "constellation/a2a/dialect.h"

#include <array>
#include <cctype>

namespace constellation::a2a {
namespace {

using nlohmann::json;

constexpr std::array<std::string_view, 11> kV10Methods{
    "SendMessage",
    "SendStreamingMessage",
    "GetTask",
    "ListTasks",
    "CancelTask",
    "SubscribeToTask",
    "CreateTaskPushNotificationConfig",
    "GetTaskPushNotificationConfig",
    "ListTaskPushNotificationConfigs",
    "DeleteTaskPushNotificationConfig",
    "GetExtendedAgentCard",
};

constexpr std::array<std::string_view, 8> kV03Methods{
    "message/send",
    "message/stream",
    "tasks/resubscribe",
    "tasks/pushNotificationConfig/set",
    "tasks/pushNotificationConfig/get",
    "tasks/pushNotificationConfig/list",
    "tasks/pushNotificationConfig/delete",
    "agent/getAuthenticatedExtendedCard",
};

template <std::size_t N>
bool contains(const std::array<std::string_view, N>& names, std::string_view method) {
  for (auto n : names)
    if (n == method) return true;
  return false;
}

std::string string_member(const json& j, const char* key) {
  const auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

/// "1.0" → 1, "0.3.0" → 0 (with minor 3); nullopt when it is not "major.minor[...]".
std::optional<std::pair<int, int>> version_of(const std::string& text) {
  int major = 0, minor = 0;
  std::size_t i = 0;
  auto number = [&](int* out) {
    const std::size_t start = i;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])) && i - start < 4)
      *out = *out * 10 + (text[i++] - '0');
    return i > start;
  };
  if (!number(&major) || i >= text.size() || text[i++] != '.' || !number(&minor)) return std::nullopt;
  return std::make_pair(major, minor);
}

bool is_jsonrpc(const std::string& binding) {
  std::string upper;
  for (char c : binding) upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return upper == "JSONRPC";
}

std::optional<PeerEndpoint> from_supported_interfaces(const json& list) {
  std::optional<PeerEndpoint> v03;
  for (const auto& entry : list) {
    if (!entry.is_object() || !is_jsonrpc(string_member(entry, "protocolBinding"))) continue;
    const std::string url = string_member(entry, "url");
    const auto version = version_of(string_member(entry, "protocolVersion"));
    if (url.empty() || !version) continue;
    if (version->first == 1) return PeerEndpoint{Dialect::kV10, url, string_member(entry, "tenant")};
    if (version->first == 0 && version->second >= 3 && !v03) v03 = PeerEndpoint{Dialect::kV03, url, ""};
  }
  return v03;
}

std::optional<PeerEndpoint> from_v03_fields(const json& card) {
  const std::string preferred = string_member(card, "preferredTransport");
  const std::string url = string_member(card, "url");
  if ((preferred.empty() || is_jsonrpc(preferred)) && !url.empty()) {
    return PeerEndpoint{Dialect::kV03, url, ""};
  }
  const auto others = card.find("additionalInterfaces");
  if (others != card.end() && others->is_array()) {
    for (const auto& entry : *others) {
      if (entry.is_object() && is_jsonrpc(string_member(entry, "transport")) &&
          !string_member(entry, "url").empty()) {
        return PeerEndpoint{Dialect::kV03, string_member(entry, "url"), ""};
      }
    }
  }
  return std::nullopt;
}

}  // namespace

const char* dialect_name(Dialect dialect) {
  switch (dialect) {
    case Dialect::kLegacy: return "legacy";
    case Dialect::kV03: return "0.3";
    case Dialect::kV10: return "1.0";
  }
  return "legacy";
}

std::optional<Dialect> dialect_from_name(std::string_view name) {
  for (auto d : {Dialect::kLegacy, Dialect::kV03, Dialect::kV10})
    if (name == dialect_name(d)) return d;
  return std::nullopt;
}

MethodRoute route_method(std::string_view method) {
  using Kind = MethodRoute::Kind;
  if (contains(kV10Methods, method)) return {Kind::kDialect, Dialect::kV10};
  if (method == "tasks/send") return {Kind::kDialect, Dialect::kLegacy};
  if (contains(kV03Methods, method)) return {Kind::kDialect, Dialect::kV03};
  if (method == "tasks/get" || method == "tasks/cancel") return {Kind::kTaskDialect, Dialect::kV03};
  return {Kind::kUnknown, Dialect::kV03};
}

Dialect dialect_for_unknown_task(bool has_source_url_header) {
  return has_source_url_header ? Dialect::kLegacy : Dialect::kV03;
}

namespace {

/// `capabilities.<name>` is true. The legacy dialect offers neither push nor streaming,
/// whatever its card claims (the original's card says false anyway).
bool capability(const json& card, const char* name) {
  const auto caps = card.find("capabilities");
  if (caps == card.end() || !caps->is_object()) return false;
  const auto flag = caps->find(name);
  return flag != caps->end() && flag->is_boolean() && flag->get<bool>();
}

std::optional<PeerEndpoint> choose_endpoint_dialect(const json& card, std::string* err) {
  auto fail = [&](std::string why) -> std::optional<PeerEndpoint> {
    if (err) *err = std::move(why);
    return std::nullopt;
  };
  if (!card.is_object()) return fail("the card is not a JSON object");
  const auto supported = card.find("supportedInterfaces");
  if (supported != card.end() && supported->is_array() && !supported->empty()) {
    if (auto endpoint = from_supported_interfaces(*supported)) return endpoint;
    // A v1.0 card without a JSON-RPC 0.3/1.x entry may still carry v0.3 fields.
  }
  const bool v03_card = card.contains("protocolVersion") || card.contains("preferredTransport") ||
                        card.contains("additionalInterfaces");
  if (v03_card) {
    if (auto endpoint = from_v03_fields(card)) return endpoint;
    return fail("the card offers no JSON-RPC interface (only other transports)");
  }
  if (supported != card.end() && supported->is_array() && !supported->empty()) {
    return fail("the card's supportedInterfaces has no JSON-RPC entry of version 0.3 or 1.x");
  }
  const std::string url = string_member(card, "url");
  if (url.empty()) return fail("the card has no url and no supportedInterfaces");
  return PeerEndpoint{Dialect::kLegacy, url, ""};
}

}  // namespace

std::optional<PeerEndpoint> choose_endpoint(const json& card, std::string* err) {
  auto endpoint = choose_endpoint_dialect(card, err);
  if (endpoint && endpoint->dialect != Dialect::kLegacy) {
    endpoint->push = capability(card, "pushNotifications");
    endpoint->streaming = capability(card, "streaming");
  }
  return endpoint;
}

}  // namespace constellation::a2a

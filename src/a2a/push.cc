#include "constellation/a2a/push.h"

#include <algorithm>
#include <cctype>

#include "constellation/a2a/stream_events.h"
#include "json_decoder.h"

namespace constellation::a2a {
namespace {

using nlohmann::json;
using detail::describe;
using detail::JsonDecoder;

/// http://host[:port][/path]: what our client can deliver to.
bool deliverable_url(const std::string& url, std::string* why) {
  constexpr std::string_view kScheme = "http://";
  std::string lower(url.substr(0, kScheme.size()));
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (lower != kScheme) {
    *why = "must be an http:// URL (this agent delivers over plain HTTP only)";
    return false;
  }
  const auto rest = std::string_view(url).substr(kScheme.size());
  const auto host_end = rest.find_first_of(":/?#");
  if (rest.substr(0, host_end).empty()) {
    *why = "has no host";
    return false;
  }
  if (std::any_of(url.begin(), url.end(), [](unsigned char c) { return c <= ' ' || c == 0x7f; })) {
    *why = "contains spaces or control characters";
    return false;
  }
  return true;
}

}  // namespace

std::string authorization_value(const PushConfig& config) {
  if (config.auth_scheme.empty() || config.auth_credentials.empty()) return {};
  return config.auth_scheme + " " + config.auth_credentials;
}

std::optional<PushConfig> push_config_from_json(Dialect dialect, const json& j,
                                                const std::string& path, std::string* err) {
  JsonDecoder d(err);
  PushConfig config;
  if (!d.object(j, path) || !d.optional_string_member(j, path, "url", &config.url) ||
      !d.optional_string_member(j, path, "token", &config.token) ||
      !d.optional_string_member(j, path, "id", &config.id)) {
    return std::nullopt;
  }
  const std::string url_path = JsonDecoder::member(path, "url");
  if (config.url.empty()) {
    d.fail(url_path, "missing");
    return std::nullopt;
  }
  std::string why;
  if (!deliverable_url(config.url, &why)) {
    d.fail(url_path, why + ", got " + describe(json(config.url)));
    return std::nullopt;
  }
  const json* auth = JsonDecoder::optional_member(j, "authentication");
  if (auth == nullptr) return config;
  const std::string auth_path = JsonDecoder::member(path, "authentication");
  if (!d.object(*auth, auth_path) ||
      !d.optional_string_member(*auth, auth_path, "credentials", &config.auth_credentials)) {
    return std::nullopt;
  }
  if (dialect != Dialect::kV03) {
    if (!d.optional_string_member(*auth, auth_path, "scheme", &config.auth_scheme)) return std::nullopt;
    return config;
  }
  // v0.3 lists schemes; the first is the one we send.
  const json* schemes = JsonDecoder::optional_member(*auth, "schemes");
  if (schemes != nullptr && schemes->is_array() && !schemes->empty() && (*schemes)[0].is_string()) {
    config.auth_scheme = (*schemes)[0].get<std::string>();
  }
  return config;
}

json push_config_to_json(Dialect dialect, const PushConfig& config) {
  json out{{"url", config.url}};
  if (!config.token.empty()) out["token"] = config.token;
  if (!config.id.empty()) out["id"] = config.id;
  if (!config.auth_scheme.empty()) {
    json auth = dialect == Dialect::kV03 ? json{{"schemes", json::array({config.auth_scheme})}}
                                         : json{{"scheme", config.auth_scheme}};
    if (!config.auth_credentials.empty()) auth["credentials"] = config.auth_credentials;
    out["authentication"] = std::move(auth);
  }
  return out;
}

json push_body(Dialect dialect, const Task& view) {
  StreamEvent event;
  event.task = view;
  return stream_event_to_json(dialect, event);
}

const char* push_content_type(Dialect dialect) {
  return dialect == Dialect::kV10 ? "application/a2a+json" : "application/json";
}

}  // namespace constellation::a2a

#include "constellation/a2a/push.h"

#include <algorithm>
#include <cctype>

#include "constellation/a2a/stream_events.h"
#include "json_decoder.h"

namespace constellation::a2a {
namespace {

using nlohmann::json;
using detail::describe;

bool fail(std::string* err, const std::string& path, const std::string& what) {
  if (err != nullptr) *err = path.empty() ? what : path + ": " + what;
  return false;
}

std::string member(const std::string& path, const char* key) {
  return path.empty() ? std::string(key) : path + "." + key;
}

/// An optional string member; false (with *err) when present but not a string.
bool optional_string(const json& obj, const std::string& path, const char* key,
                     std::string* out, std::string* err) {
  const auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return true;
  if (!it->is_string()) return fail(err, member(path, key), "expected a string, got " + describe(*it));
  *out = it->get<std::string>();
  return true;
}

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
  if (!j.is_object()) {
    fail(err, path, "expected an object, got " + describe(j));
    return std::nullopt;
  }
  PushConfig config;
  if (!optional_string(j, path, "url", &config.url, err) ||
      !optional_string(j, path, "token", &config.token, err) ||
      !optional_string(j, path, "id", &config.id, err)) {
    return std::nullopt;
  }
  if (config.url.empty()) {
    fail(err, member(path, "url"), "missing");
    return std::nullopt;
  }
  std::string why;
  if (!deliverable_url(config.url, &why)) {
    fail(err, member(path, "url"), why + ", got " + describe(json(config.url)));
    return std::nullopt;
  }
  const auto auth = j.find("authentication");
  if (auth != j.end() && !auth->is_null()) {
    const std::string auth_path = member(path, "authentication");
    if (!auth->is_object()) {
      fail(err, auth_path, "expected an object, got " + describe(*auth));
      return std::nullopt;
    }
    if (!optional_string(*auth, auth_path, "credentials", &config.auth_credentials, err)) {
      return std::nullopt;
    }
    if (dialect == Dialect::kV03) {
      const auto schemes = auth->find("schemes");
      if (schemes != auth->end() && schemes->is_array() && !schemes->empty() &&
          (*schemes)[0].is_string()) {
        config.auth_scheme = (*schemes)[0].get<std::string>();
      }
    } else if (!optional_string(*auth, auth_path, "scheme", &config.auth_scheme, err)) {
      return std::nullopt;
    }
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

#pragma once
/// Push notifications on the wire (a2a-wire.md §2.6 and v1.0 "Webhook delivery"): the
/// callback a sender registers with a task, and the events a receiver posts to it.
/// Pure: no sockets; the daemon delivers and receives.

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "constellation/a2a/dialect.h"
#include "constellation/a2a/task.h"

namespace constellation::a2a {

/// Where and how to tell a task's sender that the task changed.
struct PushConfig {
  std::string url;               ///< http:// callback
  std::string token;             ///< sent back as X-A2A-Notification-Token; "" = none
  std::string id;                ///< the config's id, when the sender named one
  std::string auth_scheme;       ///< e.g. "Bearer"; "" = no Authorization header
  std::string auth_credentials;  ///< goes after the scheme
  friend bool operator==(const PushConfig&, const PushConfig&) = default;
};

/// Where a Constellation daemon takes push deliveries for the tasks it sent.
inline constexpr std::string_view kPushCallbackPath = "/push";

/// The header a delivery carries the token in (the SDKs' name).
inline constexpr const char* kNotificationTokenHeader = "X-A2A-Notification-Token";

/// The Authorization header value for a delivery, "" when the config has none.
std::string authorization_value(const PushConfig& config);

/// v0.3 PushNotificationConfig `{url, id?, token?, authentication?: {schemes[], credentials?}}`
/// or v1.0 TaskPushNotificationConfig `{url, id?, taskId?, token?, authentication?:
/// {scheme, credentials?}, tenant?}` at `path`. The url must be an http:// URL with a
/// host: we deliver over plain HTTP only, and refusing now beats failing every retry.
std::optional<PushConfig> push_config_from_json(Dialect dialect, const nlohmann::json& j,
                                                const std::string& path, std::string* err);
nlohmann::json push_config_to_json(Dialect dialect, const PushConfig& config);

/// What we post to a callback: the whole task, as a v0.3 Task or a v1.0
/// `{"task": …}` StreamResponse — a stream's first event (stream_events.h), which is
/// also how a receiver reads any event pushed to it. `view` is the task as standard
/// clients see it.
nlohmann::json push_body(Dialect dialect, const Task& view);
/// Content-Type of a push body in `dialect` (v1.0 names its own media type).
const char* push_content_type(Dialect dialect);

}  // namespace constellation::a2a

#include "constellation/a2a/push.h"

#include <algorithm>
#include <cctype>

#include "constellation/a2a/v03.h"
#include "constellation/a2a/v10.h"
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

std::optional<TaskUpdate> from_task(const Task& task) {
  TaskUpdate u;
  u.task_id = task.id;
  u.context_id = task.context_id;
  u.task = task;
  return u;
}

/// A status-update's `status` read by the task decoder of `dialect`: the same object
/// shape, so the state, message and timestamp rules are exactly the task's.
std::optional<TaskUpdate> from_status(Dialect dialect, const json& event, const char* task_key,
                                      std::string* err) {
  json as_task{{"id", event.value(task_key, std::string())},
               {"status", event.contains("status") ? event["status"] : json()}};
  if (event.contains("contextId")) as_task["contextId"] = event["contextId"];
  if (dialect == Dialect::kV03) as_task["kind"] = "task";
  auto task = dialect == Dialect::kV03 ? v03::task_from_json(as_task, err)
                                       : v10::task_from_json(as_task, err);
  if (!task) return std::nullopt;
  TaskUpdate u;
  u.task_id = task->id;
  u.context_id = task->context_id;
  u.state = task->state;
  u.status_message = task->status_message;
  u.updated_at = task->updated_at;
  return u;
}

std::optional<TaskUpdate> from_artifact(Dialect dialect, const json& event, const char* task_key,
                                        std::string* err) {
  TaskUpdate u;
  if (!optional_string(event, "", task_key, &u.task_id, err) ||
      !optional_string(event, "", "contextId", &u.context_id, err)) {
    return std::nullopt;
  }
  const auto artifact = event.find("artifact");
  if (artifact == event.end()) {
    fail(err, "artifact", "missing");
    return std::nullopt;
  }
  u.artifact = dialect == Dialect::kV03 ? v03::artifact_from_json(*artifact, err)
                                        : v10::artifact_from_json(*artifact, err);
  if (!u.artifact) return std::nullopt;
  const auto append = event.find("append");
  u.append = append != event.end() && append->is_boolean() && append->get<bool>();
  return u;
}

std::optional<TaskUpdate> from_message(Dialect dialect, const json& j, std::string* err) {
  auto message = dialect == Dialect::kV03 ? v03::message_from_json(j, err)
                                          : v10::message_from_json(j, err);
  if (!message) return std::nullopt;
  TaskUpdate u;
  u.task_id = message->task_id;
  u.context_id = message->context_id;
  u.message = std::move(*message);
  return u;
}

std::optional<TaskUpdate> v03_update(const json& j, std::string* err) {
  const std::string kind = j.value("kind", std::string());
  if (kind == "task") {
    auto task = v03::task_from_json(j, err);
    if (!task) return std::nullopt;
    return from_task(*task);
  }
  if (kind == "status-update") return from_status(Dialect::kV03, j, "taskId", err);
  if (kind == "artifact-update") return from_artifact(Dialect::kV03, j, "taskId", err);
  if (kind == "message") return from_message(Dialect::kV03, j, err);
  fail(err, "kind", "expected task, status-update, artifact-update or message, got " +
                        describe(j.contains("kind") ? j["kind"] : json()));
  return std::nullopt;
}

std::optional<TaskUpdate> v10_update(const json& j, std::string* err) {
  static constexpr const char* kKeys[] = {"task", "statusUpdate", "artifactUpdate", "message"};
  const char* found = nullptr;
  for (const char* key : kKeys) {
    if (!j.contains(key)) continue;
    if (found != nullptr) {
      fail(err, "", std::string("holds both ") + found + " and " + key + "; expected exactly one");
      return std::nullopt;
    }
    found = key;
  }
  if (found == nullptr) {
    // A bare Task, as some senders post it.
    if (j.contains("id") && j.contains("status")) {
      auto task = v10::task_from_json(j, err);
      if (!task) return std::nullopt;
      return from_task(*task);
    }
    fail(err, "", "expected one of task, statusUpdate, artifactUpdate, message");
    return std::nullopt;
  }
  const json& inner = j[found];
  const std::string key = found;
  std::string inner_err;
  std::optional<TaskUpdate> u;
  if (!inner.is_object()) {
    inner_err = "expected an object, got " + describe(inner);
  } else if (key == "task") {
    auto task = v10::task_from_json(inner, &inner_err);
    if (task) u = from_task(*task);
  } else if (key == "statusUpdate") {
    u = from_status(Dialect::kV10, inner, "taskId", &inner_err);
  } else if (key == "artifactUpdate") {
    u = from_artifact(Dialect::kV10, inner, "taskId", &inner_err);
  } else {
    u = from_message(Dialect::kV10, inner, &inner_err);
  }
  if (!u) fail(err, key, inner_err);
  return u;
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

std::optional<TaskUpdate> task_update_from_json(Dialect dialect, const json& j, std::string* err) {
  if (!j.is_object()) {
    fail(err, "", "expected an object, got " + describe(j));
    return std::nullopt;
  }
  try {
    return dialect == Dialect::kV10 ? v10_update(j, err) : v03_update(j, err);
  } catch (const std::exception& e) {
    fail(err, "", e.what());
    return std::nullopt;
  }
}

json push_body(Dialect dialect, const Task& view) {
  if (dialect == Dialect::kV10) return json{{"task", v10::task_to_json(view)}};
  return v03::task_to_json(view);
}

const char* push_content_type(Dialect dialect) {
  return dialect == Dialect::kV10 ? "application/a2a+json" : "application/json";
}

Task apply_update(Task current, const TaskUpdate& update) {
  const std::string id = current.id;
  if (update.task) {
    Task next = *update.task;
    if (next.history.empty()) next.history = std::move(current.history);
    if (next.context_id.empty()) next.context_id = current.context_id;
    if (next.updated_at == Timestamp{}) next.updated_at = std::chrono::system_clock::now();
    next.id = id;
    return next;
  }
  if (update.state) {
    current.state = *update.state;
    current.status_message = update.status_message;
    current.updated_at = update.updated_at != Timestamp{} ? update.updated_at
                                                          : std::chrono::system_clock::now();
  }
  if (update.artifact) {
    auto same = std::find_if(current.artifacts.begin(), current.artifacts.end(),
                             [&](const Artifact& a) { return a.artifact_id == update.artifact->artifact_id; });
    if (same == current.artifacts.end()) {
      current.artifacts.push_back(*update.artifact);
    } else if (update.append) {
      same->parts.insert(same->parts.end(), update.artifact->parts.begin(),
                         update.artifact->parts.end());
    } else {
      *same = *update.artifact;
    }
  }
  if (update.message) {
    // A direct message ends the exchange: it is the answer.
    Message m = *update.message;
    m.role = Role::kAgent;
    current.history.push_back(std::move(m));
    current.state = TaskState::kCompleted;
    current.updated_at = std::chrono::system_clock::now();
  }
  if (current.context_id.empty()) current.context_id = update.context_id;
  return current;
}

}  // namespace constellation::a2a

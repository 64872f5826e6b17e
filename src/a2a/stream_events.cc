#include "constellation/a2a/stream_events.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "constellation/a2a/v03.h"
#include "constellation/a2a/v10.h"

namespace constellation::a2a {

using nlohmann::json;

namespace {

/// The task without history and artifacts: what a status-update carries.
Task status_only(const Task& task) {
  Task bare;
  bare.id = task.id;
  bare.context_id = task.context_id;
  bare.state = task.state;
  bare.updated_at = task.updated_at;
  bare.status_message = task.status_message;
  return bare;
}

bool same_status(const Task& a, const Task& b) {
  return a.state == b.state && a.status_message == b.status_message;
}

const Artifact* find_artifact(const std::vector<Artifact>& list, const std::string& id) {
  auto it = std::find_if(list.begin(), list.end(),
                         [&](const Artifact& a) { return a.artifact_id == id; });
  return it == list.end() ? nullptr : &*it;
}

std::optional<std::string> string_member(const json& j, const char* key) {
  const auto it = j.find(key);
  if (it == j.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

/// A status-update's fields read through the dialect's own task decoder, so states,
/// timestamps and messages are read exactly as in a Task.
std::optional<StreamEvent> status_update_from(Dialect dialect, const json& j,
                                              const std::string& path, std::string* err) {
  if (!j.is_object()) {
    *err = path + ": expected an object";
    return std::nullopt;
  }
  json as_task{{"id", string_member(j, "taskId").value_or("")},
               {"contextId", string_member(j, "contextId").value_or("")},
               {"status", j.contains("status") ? j["status"] : json()}};
  if (dialect == Dialect::kV03) as_task["kind"] = "task";
  std::string why;
  auto task = dialect == Dialect::kV03 ? v03::task_from_json(as_task, &why)
                                       : v10::task_from_json(as_task, &why);
  if (!task) {
    *err = path + ": " + why;
    return std::nullopt;
  }
  StreamEvent event;
  event.kind = StreamEvent::Kind::kStatusUpdate;
  event.task = std::move(*task);
  const auto final = j.find("final");
  event.final = final != j.end() && final->is_boolean() && final->get<bool>();
  return event;
}

std::optional<StreamEvent> artifact_update_from(Dialect dialect, const json& j,
                                                const std::string& path, std::string* err) {
  if (!j.is_object() || !j.contains("artifact")) {
    *err = path + ".artifact: missing";
    return std::nullopt;
  }
  std::string why;
  auto artifact = dialect == Dialect::kV03 ? v03::artifact_from_json(j["artifact"], &why)
                                           : v10::artifact_from_json(j["artifact"], &why);
  if (!artifact) {
    *err = path + ".artifact" + (why.starts_with(".") || why.starts_with("[") ? "" : ": ") + why;
    return std::nullopt;
  }
  StreamEvent event;
  event.kind = StreamEvent::Kind::kArtifactUpdate;
  event.task.id = string_member(j, "taskId").value_or("");
  event.task.context_id = string_member(j, "contextId").value_or("");
  event.artifact = std::move(*artifact);
  const auto append = j.find("append");
  event.append = append != j.end() && append->is_boolean() && append->get<bool>();
  return event;
}

}  // namespace

bool ends_stream(TaskState state) { return is_terminal(state) || needs_input(state); }

std::vector<StreamEvent> task_events(const Task* before, const Task& now) {
  std::vector<StreamEvent> events;
  if (before == nullptr) {
    events.push_back(StreamEvent{StreamEvent::Kind::kTask, now});
    return events;
  }
  for (const Artifact& artifact : now.artifacts) {
    const Artifact* old = find_artifact(before->artifacts, artifact.artifact_id);
    if (old != nullptr && *old == artifact) continue;
    StreamEvent event;
    event.kind = StreamEvent::Kind::kArtifactUpdate;
    event.task.id = now.id;
    event.task.context_id = now.context_id;
    event.artifact = artifact;
    events.push_back(std::move(event));
  }
  if (!same_status(*before, now)) {
    StreamEvent event;
    event.kind = StreamEvent::Kind::kStatusUpdate;
    event.task = status_only(now);
    event.final = ends_stream(now.state);
    events.push_back(std::move(event));
  }
  // Anything else (history: a further turn from the sender) has no event of its own.
  if (events.empty() && (before->history != now.history || before->artifacts != now.artifacts)) {
    events.push_back(StreamEvent{StreamEvent::Kind::kTask, now});
  }
  return events;
}

json stream_event_to_json(Dialect dialect, const StreamEvent& event) {
  using Kind = StreamEvent::Kind;
  if (dialect == Dialect::kV03) {
    switch (event.kind) {
      case Kind::kTask:
        return v03::task_to_json(event.task);
      case Kind::kMessage:
        return v03::message_to_json(event.message);
      case Kind::kStatusUpdate:
        return json{{"kind", "status-update"},
                    {"taskId", event.task.id},
                    {"contextId", event.task.context_id},
                    {"status", v03::task_to_json(status_only(event.task))["status"]},
                    {"final", event.final}};
      case Kind::kArtifactUpdate:
        return json{{"kind", "artifact-update"},
                    {"taskId", event.task.id},
                    {"contextId", event.task.context_id},
                    {"artifact", v03::artifact_to_json(event.artifact)},
                    {"append", event.append},
                    {"lastChunk", true}};
    }
  }
  if (dialect == Dialect::kV10) {
    switch (event.kind) {
      case Kind::kTask:
        return json{{"task", v10::task_to_json(event.task)}};
      case Kind::kMessage:
        return json{{"message", v10::message_to_json(event.message)}};
      case Kind::kStatusUpdate: {
        // ProtoJSON: contextId is a plain string field, left out when empty.
        json update{{"taskId", event.task.id},
                    {"status", v10::task_to_json(status_only(event.task))["status"]}};
        if (!event.task.context_id.empty()) update["contextId"] = event.task.context_id;
        return json{{"statusUpdate", std::move(update)}};
      }
      case Kind::kArtifactUpdate: {
        json update{{"taskId", event.task.id},
                    {"artifact", v10::artifact_to_json(event.artifact)},
                    {"lastChunk", true}};
        if (!event.task.context_id.empty()) update["contextId"] = event.task.context_id;
        if (event.append) update["append"] = true;
        return json{{"artifactUpdate", std::move(update)}};
      }
    }
  }
  return json::object();
}

namespace {

/// A Task or Message result (both dialects send one or the other) as an event.
StreamEvent event_of(std::variant<Task, Message> reply) {
  StreamEvent event;
  if (auto* task = std::get_if<Task>(&reply)) {
    event.task = std::move(*task);
  } else {
    event.kind = StreamEvent::Kind::kMessage;
    event.message = std::get<Message>(std::move(reply));
  }
  return event;
}

}  // namespace

std::optional<StreamEvent> stream_event_from_json(Dialect dialect, const json& result,
                                                  std::string* err) {
  if (!result.is_object()) {
    *err = "result: expected an object";
    return std::nullopt;
  }
  std::string why;
  if (dialect == Dialect::kV03) {
    const std::string kind = string_member(result, "kind").value_or("");
    if (kind == "status-update") return status_update_from(dialect, result, "result", err);
    if (kind == "artifact-update") return artifact_update_from(dialect, result, "result", err);
    if (kind == "task" || kind == "message") {
      auto reply = v03::send_result_from_json(result, err);
      if (!reply) return std::nullopt;
      return event_of(std::move(*reply));
    }
    *err = "result.kind: expected \"task\", \"message\", \"status-update\" or "
           "\"artifact-update\", got \"" + kind + "\"";
    return std::nullopt;
  }
  if (dialect == Dialect::kV10) {
    if (const auto it = result.find("statusUpdate"); it != result.end() && !it->is_null()) {
      return status_update_from(dialect, *it, "result.statusUpdate", err);
    }
    if (const auto it = result.find("artifactUpdate"); it != result.end() && !it->is_null()) {
      return artifact_update_from(dialect, *it, "result.artifactUpdate", err);
    }
    if (result.contains("task") || result.contains("message")) {
      auto reply = v10::send_message_result_from_json(result, err);
      if (!reply) return std::nullopt;
      return event_of(std::move(*reply));
    }
    *err = "result: expected one of task, message, statusUpdate, artifactUpdate";
    return std::nullopt;
  }
  *err = "the legacy dialect has no streams";
  return std::nullopt;
}

void apply_stream_event(Task* task, const StreamEvent& event) {
  switch (event.kind) {
    case StreamEvent::Kind::kTask:
      *task = event.task;
      return;
    case StreamEvent::Kind::kStatusUpdate:
      task->state = event.task.state;
      if (event.task.updated_at != Timestamp{}) task->updated_at = event.task.updated_at;
      task->status_message = event.task.status_message;
      return;
    case StreamEvent::Kind::kArtifactUpdate: {
      auto it = std::find_if(task->artifacts.begin(), task->artifacts.end(),
                             [&](const Artifact& a) { return a.artifact_id == event.artifact.artifact_id; });
      if (it == task->artifacts.end()) {
        task->artifacts.push_back(event.artifact);
      } else if (event.append) {
        it->parts.insert(it->parts.end(), event.artifact.parts.begin(), event.artifact.parts.end());
      } else {
        *it = event.artifact;
      }
      return;
    }
    case StreamEvent::Kind::kMessage:
      return;
  }
}

}  // namespace constellation::a2a

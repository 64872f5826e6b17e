#include "constellation/a2a/task.h"

#include <array>
#include <utility>

#include <boost/uuid/uuid.hpp>
#include <boost/uuid/uuid_generators.hpp>
#include <boost/uuid/uuid_io.hpp>

namespace constellation::a2a {
namespace {

// These names are persisted by the store: never rename one.
constexpr std::array<std::pair<TaskState, const char*>, 9> kStateNames{{
    {TaskState::kSubmitted, "submitted"},
    {TaskState::kWorking, "working"},
    {TaskState::kInputRequired, "input-required"},
    {TaskState::kCompleted, "completed"},
    {TaskState::kCanceled, "canceled"},
    {TaskState::kFailed, "failed"},
    {TaskState::kRejected, "rejected"},
    {TaskState::kAuthRequired, "auth-required"},
    {TaskState::kUnknown, "unknown"},
}};

}  // namespace

bool needs_input(TaskState state) {
  return state == TaskState::kInputRequired || state == TaskState::kAuthRequired;
}

bool is_terminal(TaskState state) {
  switch (state) {
    case TaskState::kCompleted:
    case TaskState::kCanceled:
    case TaskState::kFailed:
    case TaskState::kRejected:
      return true;
    case TaskState::kSubmitted:
    case TaskState::kWorking:
    case TaskState::kInputRequired:
    case TaskState::kAuthRequired:
    case TaskState::kUnknown:
      return false;
  }
  return false;
}

const char* state_name(TaskState state) {
  for (const auto& [s, name] : kStateNames) {
    if (s == state) return name;
  }
  return "unknown";
}

std::optional<TaskState> state_from_name(std::string_view name) {
  for (const auto& [s, n] : kStateNames) {
    if (name == n) return s;
  }
  return std::nullopt;
}

const char* role_name(Role role) { return role == Role::kAgent ? "agent" : "user"; }

std::string message_text(const Message& message) {
  std::string text;
  for (const Part& part : message.parts)
    if (part.is_text()) text += part.text;
  return text;
}

Part text_part(std::string text) { return Part{std::move(text)}; }

Part file_part(std::string filename, std::string media_type, std::string bytes) {
  Part part;
  part.kind = PartKind::kFile;
  part.filename = std::move(filename);
  part.media_type = std::move(media_type);
  part.bytes = std::move(bytes);
  return part;
}

Part uri_part(std::string uri, std::string filename, std::string media_type) {
  Part part;
  part.kind = PartKind::kFile;
  part.uri = std::move(uri);
  part.filename = std::move(filename);
  part.media_type = std::move(media_type);
  return part;
}

Part data_part(std::string json_text) {
  Part part;
  part.kind = PartKind::kData;
  part.data = std::move(json_text);
  return part;
}

bool has_non_text(const std::vector<Part>& parts) {
  for (const Part& part : parts)
    if (!part.is_text()) return true;
  return false;
}

std::size_t inline_file_bytes(const std::vector<Part>& parts) {
  std::size_t total = 0;
  for (const Part& part : parts)
    if (part.is_inline_file()) total += part.bytes.size();
  return total;
}

Message text_message(Role role, std::string text) {
  Message message;
  message.role = role;
  message.parts.push_back(Part{std::move(text)});
  return message;
}

std::optional<std::string> answer_text(const Task& task) {
  std::optional<std::string> out;
  auto add = [&out](const std::string& piece) {
    if (!out) {
      out = piece;
      return;
    }
    if (!out->empty() && out->back() != '\n') *out += '\n';
    *out += piece;
  };
  for (const Artifact& artifact : task.artifacts) {
    std::string text;
    bool has_text = artifact.parts.empty();
    for (const Part& part : artifact.parts) {
      if (!part.is_text()) continue;
      text += part.text;
      has_text = true;
    }
    // An artifact of files only adds no empty line to the text.
    if (has_text) add(text);
  }
  if (task.status_message) add(message_text(*task.status_message));
  if (out) return out;
  // Artifacts of files only: the answer is there, without text.
  if (!task.artifacts.empty()) return std::string();
  for (auto it = task.history.rbegin(); it != task.history.rend(); ++it)
    if (it->role == Role::kAgent) return message_text(*it);
  return std::nullopt;
}

std::vector<Part> answer_attachments(const Task& task) {
  std::vector<Part> out;
  auto take = [&out](const std::vector<Part>& parts) {
    for (const Part& part : parts)
      if (!part.is_text()) out.push_back(part);
  };
  for (const Artifact& artifact : task.artifacts) take(artifact.parts);
  if (task.status_message) take(task.status_message->parts);
  if (!task.artifacts.empty() || task.status_message) return out;
  for (auto it = task.history.rbegin(); it != task.history.rend(); ++it) {
    if (it->role == Role::kAgent) {
      take(it->parts);
      break;
    }
  }
  return out;
}

std::string new_uuid() {
  // One generator per thread: it is not thread-safe, and seeding one per call is slow.
  thread_local boost::uuids::random_generator generator;
  return boost::uuids::to_string(generator());
}

}  // namespace constellation::a2a

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
  for (const Part& part : message.parts) text += part.text;
  return text;
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
    for (const Part& part : artifact.parts) text += part.text;
    add(text);
  }
  if (task.status_message) add(message_text(*task.status_message));
  if (out) return out;
  for (auto it = task.history.rbegin(); it != task.history.rend(); ++it)
    if (it->role == Role::kAgent) return message_text(*it);
  return std::nullopt;
}

std::string new_uuid() {
  // One generator per thread: it is not thread-safe, and seeding one per call is slow.
  thread_local boost::uuids::random_generator generator;
  return boost::uuids::to_string(generator());
}

}  // namespace constellation::a2a

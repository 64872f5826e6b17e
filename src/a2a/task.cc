#include "constellation/a2a/task.h"

#include <array>
#include <utility>

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

}  // namespace constellation::a2a

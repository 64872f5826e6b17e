#pragma once
/// The dialect-neutral task model. Codecs translate between these types and each wire
/// dialect; the store persists them; nothing here knows about JSON or sockets.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "constellation/a2a/timestamp.h"

namespace constellation::a2a {

/// Union of the states of all three dialects (a2a-wire.md §5.2).
enum class TaskState {
  kSubmitted,
  kWorking,
  kInputRequired,
  kCompleted,
  kCanceled,
  kFailed,
  kRejected,
  kAuthRequired,
  kUnknown,
};

/// completed, canceled, failed, rejected: nothing will change any more.
bool is_terminal(TaskState state);
/// input-required, auth-required: the task waits for its sender's next turn.
bool needs_input(TaskState state);

/// Our own stable lowercase-kebab name ("input-required"); also the store's encoding.
const char* state_name(TaskState state);
std::optional<TaskState> state_from_name(std::string_view name);

enum class Role { kUser, kAgent };
const char* role_name(Role role);  ///< "user" / "agent"

/// One piece of content. Only text for now; files and data arrive with their issue.
struct Part {
  std::string text;
  friend bool operator==(const Part&, const Part&) = default;
};

struct Message {
  Role role = Role::kUser;
  std::vector<Part> parts;
  std::string message_id;  ///< empty in the legacy dialect, which has none
  // Initialised explicitly so that {role, parts, id} stays a complete initialiser.
  std::string context_id{};  ///< v0.3/v1.0: the conversation it belongs to; "" = none given
  std::string task_id{};     ///< v0.3/v1.0: the task it continues; "" = a new task
  friend bool operator==(const Message&, const Message&) = default;
};

/// An output of a task (v0.3/v1.0); the legacy dialect has none.
struct Artifact {
  std::string artifact_id;
  std::string name;
  std::vector<Part> parts;
  friend bool operator==(const Artifact&, const Artifact&) = default;
};

/// A fresh random id (uuid4 text): server-assigned task and context ids, message ids.
std::string new_uuid();

/// Concatenation of the text parts, in order, with nothing between them.
std::string message_text(const Message& message);
Message text_message(Role role, std::string text);

struct Task {
  std::string id;
  std::string context_id;  ///< empty for legacy tasks
  TaskState state = TaskState::kSubmitted;
  Timestamp updated_at{};  ///< time of the last status change
  std::vector<Message> history;
  std::vector<Artifact> artifacts;
  /// v0.3/v1.0 status.message: what the agent says with the current state.
  std::optional<Message> status_message;
};

/// The answer a task carries, as text: the v0.3/v1.0 way first — every artifact, then
/// the status message, in that order, each starting on a new line — and when it has
/// neither, the legacy way: the last agent message of the history. nullopt when the
/// task holds no answer at all.
std::optional<std::string> answer_text(const Task& task);

}  // namespace constellation::a2a

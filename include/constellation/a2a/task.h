#pragma once
/// The dialect-neutral task model. Codecs translate between these types and each wire
/// dialect; the store persists them; nothing here knows about JSON or sockets.

#include <cstddef>
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

/// What a Part carries (a2a-wire.md §5.3). The legacy dialect knows only text.
enum class PartKind { kText, kFile, kData };

/// One piece of content: text, a file (inline bytes or a URI) or structured data.
/// `text` stays the first member so that Part{"hello"} is a text part.
struct Part {
  std::string text;  ///< kText: the text
  PartKind kind{PartKind::kText};
  /// kFile: the name the sender gave it ("" = none). Untrusted: never a path to use.
  std::string filename{};
  std::string media_type{};  ///< kFile/kData: the MIME type the sender gave, "" = none
  /// kFile: the content, decoded from base64 (when `uri` is empty; may be empty).
  std::string bytes{};
  std::string uri{};  ///< kFile by reference: the link; never fetched by us
  /// kData: the JSON value, as compact JSON text (any value; v0.3 objects only on the wire).
  std::string data{};
  /// Local only, never on the wire nor in the store: where node::save_attachments wrote
  /// `bytes` on this machine ("" = not saved).
  std::string saved_path{};

  bool is_text() const { return kind == PartKind::kText; }
  bool is_file() const { return kind == PartKind::kFile; }
  bool is_data() const { return kind == PartKind::kData; }
  /// A file whose content travels inline (not by URI).
  bool is_inline_file() const { return kind == PartKind::kFile && uri.empty(); }
  friend bool operator==(const Part&, const Part&) = default;
};

Part text_part(std::string text);
Part file_part(std::string filename, std::string media_type, std::string bytes);
Part uri_part(std::string uri, std::string filename, std::string media_type);
/// `json_text` must be valid JSON; it is stored as given (callers pass compact JSON).
Part data_part(std::string json_text);

/// Whether any part is not text (what the legacy dialect cannot carry).
bool has_non_text(const std::vector<Part>& parts);
/// The total size of the inline files among `parts`, in bytes.
std::size_t inline_file_bytes(const std::vector<Part>& parts);

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

/// Concatenation of the text parts, in order, with nothing between them; file and
/// data parts are skipped.
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

/// The file and data parts of the answer, from the same messages answer_text reads
/// (artifacts and status message, else the last agent message), in that order.
std::vector<Part> answer_attachments(const Task& task);

}  // namespace constellation::a2a

#pragma once
/// The events of an A2A task stream (message/stream, tasks/resubscribe in v0.3;
/// SendStreamingMessage, SubscribeToTask in v1.0 — a2a-wire.md §2.5, §3.5): what a
/// server says when a task changes, how each dialect writes it, and how a client applies
/// it to its copy of the task. Pure; sse.h frames the events.
///
/// Our server's streams: first the Task; then, for each stored change, one
/// artifact-update per new artifact and one status-update when the state or the status
/// message changed (a change nothing else describes, a further user turn, is sent as
/// the Task again, which both dialects allow). The stream ends after the event that
/// shows the task terminal or waiting for input (ends_stream); v0.3 marks that
/// status-update `final:true`, v1.0 has no such flag and clients decide by the state.

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "constellation/a2a/dialect.h"
#include "constellation/a2a/task.h"

namespace constellation::a2a {

struct StreamEvent {
  enum class Kind { kTask, kStatusUpdate, kArtifactUpdate, kMessage };
  Kind kind = Kind::kTask;
  /// kTask: the whole task. kStatusUpdate: id, context_id, state, updated_at and
  /// status_message; history and artifacts empty. kArtifactUpdate: id and context_id.
  Task task;
  Artifact artifact{};   ///< kArtifactUpdate
  bool append = false;   ///< kArtifactUpdate: the parts continue the artifact of that id
  Message message{};     ///< kMessage: a direct reply with no task
  bool final = false;    ///< kStatusUpdate: v0.3 `final` (written as ends_stream(state))
};

/// Terminal or waiting for the sender (input-required, auth-required): the stream about
/// the task ends after the event that shows it.
bool ends_stream(TaskState state);

/// What a client that has seen `before` (nullptr: nothing yet) must be told about `now`.
/// Empty when nothing it can see changed. See the header comment for the rules.
std::vector<StreamEvent> task_events(const Task* before, const Task& now);

/// The `result` of one SSE event. v0.3: a Task / status-update / artifact-update /
/// Message with `kind`; v1.0: a StreamResponse (`{"task":…}`, `{"statusUpdate":…}`,
/// `{"artifactUpdate":…}`, `{"message":…}`). Legacy has no streams: an empty object.
nlohmann::json stream_event_to_json(Dialect dialect, const StreamEvent& event);

/// Reads a peer's event leniently (file and data parts dropped, as for its tasks).
/// nullopt and *err ("result.statusUpdate.status: …") when it is none of the four.
std::optional<StreamEvent> stream_event_from_json(Dialect dialect, const nlohmann::json& result,
                                                  std::string* err);

/// Applies a peer's event to our copy of its task: a Task replaces it; a status-update
/// sets state, timestamp and status message (an absent message clears it); an
/// artifact-update adds the artifact, replaces the one with its id, or with `append`
/// extends that one's parts. A Message changes nothing (our tasks have tasks).
void apply_stream_event(Task* task, const StreamEvent& event);

}  // namespace constellation::a2a

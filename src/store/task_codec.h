#pragma once
/// How the store encodes what SQLite has no type for: a task's history and lists of
/// strings, as JSON text; timestamps and states, as text.
///
/// History format (stable: rows written by one version are read by all later ones):
///   [{"role":"user","messageId":"m1","parts":[{"text":"hello"}]}]
/// "role" is "user" or "agent"; "messageId" may be empty. Parts:
///   {"text":"…"}                                         text (no "kind": rows from
///                                                        before files read as text)
///   {"kind":"file","name"?,"mediaType"?,"bytes":"<b64>"}  a file carried inline
///   {"kind":"file","name"?,"mediaType"?,"uri":"…"}        a file by link
///   {"kind":"data","data":<any JSON>,"mediaType"?}       structured data
/// Part::saved_path is local and never stored.
/// Decoders throw std::runtime_error naming the problem: a malformed row is a store
/// error, which Database::read/write turn into an Error.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "constellation/a2a/task.h"

namespace constellation::store {

std::string encode_history(const std::vector<a2a::Message>& history);
std::vector<a2a::Message> decode_history(std::string_view text);

/// Artifacts: [{"artifactId":"a1","name":"answer","parts":[{"text":"…"}]}].
std::string encode_artifacts(const std::vector<a2a::Artifact>& artifacts);
std::vector<a2a::Artifact> decode_artifacts(std::string_view text);

/// The status message: a history-format message object, or "" for none.
std::string encode_status_message(const std::optional<a2a::Message>& message);
std::optional<a2a::Message> decode_status_message(std::string_view text);

std::string encode_strings(const std::vector<std::string>& items);
std::vector<std::string> decode_strings(std::string_view text);

/// a2a::format_timestamp; the text sorts in time order.
std::string encode_timestamp(a2a::Timestamp t);
a2a::Timestamp decode_timestamp(std::string_view text);

std::string encode_state(a2a::TaskState state);
a2a::TaskState decode_state(std::string_view text);

}  // namespace constellation::store

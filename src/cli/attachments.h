#pragma once
/// What the verbs share about attachments: reading `--file`/`--data` into parts, and
/// showing received ones (`wait` lines, `inbox` preview markers).

#include <string>
#include <vector>

#include "constellation/a2a/task.h"
#include "constellation/util/error.h"

namespace constellation::cli {

class Context;

/// The parts of `--file PATH` (each read whole, media type guessed) then `--data JSON`
/// (each parsed, kept as compact JSON). kUsage for a missing or unreadable file, invalid
/// JSON, or files over `[files] max_bytes` together (checked before reading).
Result<std::vector<a2a::Part>> read_attachments(Context& ctx, const std::vector<std::string>& files,
                                                const std::vector<std::string>& data);

/// One line per attachment, after the answer text (README "Verbs"):
///   attachment: <absolute path of the saved file>
///   attachment-url: <link>            (a file the peer sent by URI; never fetched)
///   data: <compact JSON>
/// Control characters in a link are percent-encoded, so every attachment is one line.
void print_attachment_lines(const std::vector<a2a::Part>& parts);

/// " [file: <path>]", " [file-url: <link>]", " [data: <JSON>]" per attachment, for the
/// inbox preview.
std::string attachment_markers(const std::vector<a2a::Part>& parts);

}  // namespace constellation::cli

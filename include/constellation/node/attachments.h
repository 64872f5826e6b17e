#pragma once
/// Files that travel with tasks, on this machine: reading the ones `send --file` and
/// `respond --file` attach, and saving the ones peers send us under the data directory.
///
/// Saving never trusts the wire: a file's name is reduced to a safe one (safe_file_name),
/// the task's directory likewise (safe_dir_name), and nothing else from the wire becomes
/// part of a path. Directories are made 0700 and files 0600, as the store's; a file is
/// written to a temporary name and linked into place, so a reader never sees half of it.
/// Saving is idempotent: the same task saved again reuses the files already there.

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "constellation/a2a/task.h"
#include "constellation/util/error.h"

namespace constellation::node {

/// Longest file name safe_file_name returns, in bytes.
inline constexpr std::size_t kMaxSafeNameBytes = 100;

/// A file name that is safe to create in a directory of ours, made from a name a peer
/// sent: the part after the last '/' or '\'; every byte other than ASCII letters,
/// digits and `._-+@=,` replaced (a run of them by one '_'); leading dots and dashes
/// dropped (no hidden files, no `.`/`..`, nothing that reads as an option); cut to
/// kMaxSafeNameBytes keeping a short extension. Empty → "attachment" plus an extension
/// for `media_type` when one is known ("attachment.png").
std::string safe_file_name(std::string_view wire_name, std::string_view media_type = {});

/// The directory name for a task's files: the id itself when it is a printable task id
/// (node.h), else a safe_file_name of it with a hash of the whole id appended, so that
/// two ids never share a directory.
std::string safe_dir_name(std::string_view task_id);

/// The MIME type of a file name by its extension (case-insensitive), e.g. "text/plain"
/// for ".txt"; "application/octet-stream" when unknown.
std::string guess_media_type(std::string_view filename);

/// "12.0 MiB (12582912 bytes)", "512 bytes": sizes in messages.
std::string describe_size(std::uint64_t bytes);

/// Reads `path` (a file of ours, named on our command line) into an inline file part:
/// its file name, the guessed media type, its bytes. kUsage when it is missing, not a
/// regular file, unreadable, or bigger than `max_bytes` (checked before reading).
Result<a2a::Part> load_file_part(const std::filesystem::path& path, std::uint64_t max_bytes);

/// kUsage when the inline files among `parts` weigh more than `max_bytes` together.
/// `what` names them in the message ("the attachments").
Status check_attachment_size(const std::vector<a2a::Part>& parts, std::uint64_t max_bytes);

/// Where received attachments live: `files/` beside the store file, i.e.
/// $XDG_DATA_HOME/constellation/files with the default store path.
std::filesystem::path files_dir(const std::filesystem::path& store_path);

/// Writes every inline file among `parts` to `<dir>/<safe_dir_name(task_id)>/<name>`
/// and sets its saved_path (absolute). Names come from safe_file_name; a name already
/// taken by a different content gets "-2", "-3", … before its extension; a file already
/// there with the same content is reused. Other parts are left alone; with no inline
/// file, nothing is created. kInternal (naming the path) when the disk refuses.
Status save_attachments(const std::filesystem::path& dir, const std::string& task_id,
                        const std::vector<a2a::Part*>& parts);

}  // namespace constellation::node

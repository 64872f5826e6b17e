#pragma once
/// `[security] token_file`: one shared secret for a mesh without a tailnet to vouch for
/// its members (a LAN). Every request must then carry `Authorization: Bearer <token>`;
/// the agent card announces the scheme, never the token.

#include <filesystem>
#include <string>
#include <string_view>

#include "constellation/util/error.h"

namespace constellation::security {

/// Reads the token: the file's first line, surrounding whitespace removed. Refused
/// (kConfig, saying what to do) when the file is missing, empty, shorter than 16
/// characters, or readable by group or others (like ssh's keys: a secret others can read
/// is no secret).
Result<std::string> read_token_file(const std::filesystem::path& path);

/// Whether an Authorization header value is "Bearer <token>" with exactly this token.
/// The comparison takes the same time wherever the first difference is.
bool bearer_matches(std::string_view authorization, std::string_view token);

}  // namespace constellation::security

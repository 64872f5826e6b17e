#pragma once
/// RFC 3339 timestamps as every dialect wants them: UTC, `Z`, milliseconds.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace constellation::a2a {

using Timestamp = std::chrono::system_clock::time_point;

/// "2026-04-29T18:00:00.412Z" — always UTC with `Z` and exactly three fraction digits,
/// which the Rust original, v0.3 and v1.0 decoders all accept.
std::string format_timestamp(Timestamp t);

/// Accepts `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)` (also lowercase `t`/`z`), any
/// number of fraction digits (sub-microsecond digits are truncated). A timestamp without
/// a zone is rejected, as the Rust original does. On failure returns nullopt and sets *err.
std::optional<Timestamp> parse_timestamp(std::string_view text, std::string* err);

}  // namespace constellation::a2a

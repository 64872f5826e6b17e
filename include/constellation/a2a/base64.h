#pragma once
/// Base64 as file parts carry it (a2a-wire.md §3.2): written in the standard alphabet
/// with padding; read in the standard or the URL-safe alphabet, padded or not.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace constellation::a2a {

std::string base64_encode(std::string_view bytes);

/// nullopt (and *err saying where) for a character outside both alphabets, padding
/// anywhere but the end, or a length no encoder makes. Line breaks (MIME style) are
/// skipped.
std::optional<std::string> base64_decode(std::string_view text, std::string* err);

/// The length base64_encode gives for `n` bytes.
constexpr std::size_t base64_size(std::size_t n) { return (n + 2) / 3 * 4; }

}  // namespace constellation::a2a

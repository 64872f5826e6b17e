#pragma once
// Readers for JSON that Go's encoding/json printed (the tailscale CLI's --json output),
// shared by the status and whois parsers. Go prints nil slices, maps and pointers as
// null, so null means absent; every failure is one line naming the JSON path.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace constellation::discovery::go_json {

struct Failure {
  std::string what;
};

/// "an integer", "a fractional number", "string", …: nlohmann calls every number
/// "number", but integer vs float matters for 64-bit ids.
const char* type_name(const nlohmann::json& j);
std::optional<Failure> expected(const std::string& path, const char* want,
                                const nlohmann::json& got);

/// The member, or nullptr when absent or null.
const nlohmann::json* member(const nlohmann::json& obj, const char* key);

// Each reader leaves *out alone when the member is absent; `prefix` names the object,
// e.g. "Peer.nodekey:ab12…: ".
std::optional<Failure> read_string(const nlohmann::json& obj, const std::string& prefix,
                                   const char* key, std::string* out);
std::optional<Failure> read_bool(const nlohmann::json& obj, const std::string& prefix,
                                 const char* key, bool* out);
std::optional<Failure> read_strings(const nlohmann::json& obj, const std::string& prefix,
                                    const char* key, std::vector<std::string>* out);
/// IDs exceed 2^53, so only integer representations are accepted: a value stored as a
/// double has already lost its low bits.
std::optional<Failure> read_int64(const nlohmann::json& obj, const std::string& prefix,
                                  const char* key, std::int64_t* out);

/// The whole output as a JSON object: fails on empty output ("printed nothing"),
/// text that is not JSON (with where), or another JSON type.
std::optional<Failure> parse_object(std::string_view text, nlohmann::json* out);

}  // namespace constellation::discovery::go_json

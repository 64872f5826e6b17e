#pragma once
/// What every dialect codec needs to read untrusted JSON (internal to src/a2a): the first
/// problem is reported as "<path>: <what>" and decoding stops. Each read takes the path
/// of the value it looks at ("" at the top), so nested errors carry the full path.

#include <cstddef>
#include <exception>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace constellation::a2a::detail {

/// How much of a string value an error message quotes.
inline constexpr std::size_t kMaxQuoted = 40;

/// The "got …" part of a message: short and valid UTF-8 whatever the input.
inline std::string describe(const nlohmann::json& j) {
  using nlohmann::json;
  constexpr auto kReplace = json::error_handler_t::replace;
  if (j.is_string()) {
    const auto& s = j.get_ref<const std::string&>();
    if (s.size() <= kMaxQuoted) return j.dump(-1, ' ', false, kReplace);
    return json(s.substr(0, kMaxQuoted)).dump(-1, ' ', false, kReplace) + "...";
  }
  if (j.is_object()) return "an object";
  if (j.is_array()) return "an array";
  return j.dump(-1, ' ', false, kReplace);
}

class JsonDecoder {
 public:
  explicit JsonDecoder(std::string* err) : err_(err) {}

  /// Where errors go, for helpers outside the decoder that report the same way.
  std::string* error_output() const { return err_; }

  bool fail(const std::string& path, const std::string& what) {
    if (err_ != nullptr) *err_ = path.empty() ? what : path + ": " + what;
    return false;
  }

  static std::string member(const std::string& path, const char* key) {
    return path.empty() ? std::string(key) : path + "." + key;
  }
  static std::string element(const std::string& path, std::size_t i) {
    return path + "[" + std::to_string(i) + "]";
  }
  static std::string describe(const nlohmann::json& j) { return detail::describe(j); }

  bool object(const nlohmann::json& j, const std::string& path) {
    return j.is_object() || fail(path, "expected an object, got " + describe(j));
  }

  /// The task id in `params.id` (tasks/get, tasks/cancel), refused when empty: no task
  /// has that id.
  bool task_id(const nlohmann::json& params, std::string* out) {
    if (!object(params, "params")) return false;
    if (!string_member(params, "params", "id", out)) return false;
    return !out->empty() || fail("params.id", "must not be empty");
  }

  /// Member `key` of `j`, or nullptr when absent or null.
  static const nlohmann::json* optional_member(const nlohmann::json& j, const char* key) {
    const auto it = j.find(key);
    if (it == j.end() || it->is_null()) return nullptr;
    return &*it;
  }

  /// An optional string member: "" when absent or null, an error when not a string.
  bool optional_string_member(const nlohmann::json& j, const std::string& path, const char* key,
                              std::string* out) {
    out->clear();
    const nlohmann::json* value = optional_member(j, key);
    if (value == nullptr) return true;
    if (!value->is_string()) return fail(member(path, key), "expected a string, got " + describe(*value));
    *out = value->get<std::string>();
    return true;
  }

  /// An optional object member we do not keep (metadata, a google.protobuf.Struct in
  /// v1.0): absent, null or an object; anything else is a wrong request all the same.
  bool optional_object_member(const nlohmann::json& j, const std::string& path, const char* key) {
    const nlohmann::json* value = optional_member(j, key);
    return value == nullptr || value->is_object() ||
           fail(member(path, key), "expected an object, got " + describe(*value));
  }

  /// A required string member of object `j` (which lives at `path`).
  bool string_member(const nlohmann::json& j, const std::string& path, const char* key,
                     std::string* out) {
    const auto it = j.find(key);
    if (it == j.end()) return fail(member(path, key), "missing");
    if (!it->is_string()) return fail(member(path, key), "expected a string, got " + describe(*it));
    *out = it->get<std::string>();
    return true;
  }

 private:
  std::string* err_;
};

/// Decoders never throw, but a json accessor on a path we did not foresee must not take
/// the server down: report it as a decoding failure instead.
template <class T, class F>
std::optional<T> guarded(std::string* err, F&& decode) {
  try {
    return decode();
  } catch (const std::exception& e) {
    if (err != nullptr) *err = std::string("internal decoding error: ") + e.what();
    return std::nullopt;
  }
}

}  // namespace constellation::a2a::detail

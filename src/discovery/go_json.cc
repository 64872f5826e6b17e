#include "go_json.h"

#include <limits>

namespace constellation::discovery::go_json {

using nlohmann::json;

const char* type_name(const json& j) {
  if (j.is_number_float()) return "a fractional number";
  if (j.is_number()) return "an integer";
  return j.type_name();
}

std::optional<Failure> expected(const std::string& path, const char* want, const json& got) {
  return Failure{path + ": expected " + want + ", got " + type_name(got)};
}

const json* member(const json& obj, const char* key) {
  const auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return nullptr;
  return &*it;
}

std::optional<Failure> read_string(const json& obj, const std::string& prefix, const char* key,
                                   std::string* out) {
  const json* j = member(obj, key);
  if (j == nullptr) return std::nullopt;
  if (!j->is_string()) return expected(prefix + key, "a string", *j);
  *out = j->get<std::string>();
  return std::nullopt;
}

std::optional<Failure> read_bool(const json& obj, const std::string& prefix, const char* key,
                                 bool* out) {
  const json* j = member(obj, key);
  if (j == nullptr) return std::nullopt;
  if (!j->is_boolean()) return expected(prefix + key, "true or false", *j);
  *out = j->get<bool>();
  return std::nullopt;
}

std::optional<Failure> read_strings(const json& obj, const std::string& prefix, const char* key,
                                    std::vector<std::string>* out) {
  const json* j = member(obj, key);
  if (j == nullptr) return std::nullopt;
  if (!j->is_array()) return expected(prefix + key, "an array", *j);
  for (std::size_t i = 0; i < j->size(); ++i) {
    const json& item = (*j)[i];
    if (!item.is_string()) {
      return expected(prefix + key + "[" + std::to_string(i) + "]", "a string", item);
    }
    out->push_back(item.get<std::string>());
  }
  return std::nullopt;
}

std::optional<Failure> read_int64(const json& obj, const std::string& prefix, const char* key,
                                  std::int64_t* out) {
  const json* j = member(obj, key);
  if (j == nullptr) return std::nullopt;
  if (j->is_number_unsigned()) {
    const auto v = j->get<std::uint64_t>();
    if (v > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
      return Failure{prefix + key + ": " + std::to_string(v) + " is out of range"};
    }
    *out = static_cast<std::int64_t>(v);
    return std::nullopt;
  }
  if (j->is_number_integer()) {
    *out = j->get<std::int64_t>();
    return std::nullopt;
  }
  return expected(prefix + key, "an integer", *j);
}

std::optional<Failure> parse_object(std::string_view text, json* out) {
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) return Failure{"printed nothing"};
  try {
    *out = json::parse(text);
  } catch (const json::parse_error& e) {
    // e.what() is "[json.exception.parse_error.101] parse error at line …": keep the part
    // after the tag, which says where.
    std::string what = e.what();
    if (const auto close = what.find("] "); close != std::string::npos) what.erase(0, close + 2);
    return Failure{"not JSON: " + what};
  }
  if (!out->is_object()) return Failure{std::string("expected a JSON object, got ") + type_name(*out)};
  return std::nullopt;
}

}  // namespace constellation::discovery::go_json

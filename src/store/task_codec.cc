#include "task_codec.h"

#include <stdexcept>

#include <nlohmann/json.hpp>

#include "constellation/a2a/base64.h"
#include "constellation/a2a/timestamp.h"

namespace constellation::store {
namespace {

using nlohmann::json;

// Roles are spelled here rather than with a2a::role_name: this is a storage format and
// must not change if the display names ever do.
constexpr const char* kUser = "user";
constexpr const char* kAgent = "agent";

/// Text from the wire may hold invalid UTF-8; storing it with U+FFFD beats refusing
/// to record the task.
std::string dump(const json& value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

json parse(std::string_view text, const char* what) {
  json value = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded()) throw std::runtime_error(std::string(what) + " is not valid JSON");
  return value;
}

}  // namespace

namespace {

json encode_part(const a2a::Part& part) {
  switch (part.kind) {
    case a2a::PartKind::kText:
      return {{"text", part.text}};
    case a2a::PartKind::kFile: {
      json out{{"kind", "file"}};
      if (!part.filename.empty()) out["name"] = part.filename;
      if (!part.media_type.empty()) out["mediaType"] = part.media_type;
      if (part.uri.empty()) {
        out["bytes"] = a2a::base64_encode(part.bytes);
      } else {
        out["uri"] = part.uri;
      }
      return out;
    }
    case a2a::PartKind::kData: {
      json value = json::parse(part.data, nullptr, /*allow_exceptions=*/false);
      json out{{"kind", "data"}, {"data", value.is_discarded() ? json(nullptr) : std::move(value)}};
      if (!part.media_type.empty()) out["mediaType"] = part.media_type;
      return out;
    }
  }
  return {{"text", part.text}};
}

json encode_parts(const std::vector<a2a::Part>& parts) {
  json out = json::array();
  for (const a2a::Part& part : parts) out.push_back(encode_part(part));
  return out;
}

std::string string_at(const json& part, const char* key, const std::string& where) {
  const auto it = part.find(key);
  if (it == part.end()) return {};
  if (!it->is_string()) throw std::runtime_error(where + "." + key + " is not a string");
  return it->get<std::string>();
}

// Rows written before files existed hold only {"text": …}: a part without "kind" is text.
a2a::Part decode_part(const json& part, const std::string& where) {
  if (!part.is_object()) throw std::runtime_error(where + " is not an object");
  const std::string kind = string_at(part, "kind", where);
  if (kind.empty() || kind == "text") {
    auto text = part.find("text");
    if (text == part.end() || !text->is_string())
      throw std::runtime_error(where + " is a part without text");
    return a2a::text_part(text->get<std::string>());
  }
  if (kind == "file") {
    std::string media_type = string_at(part, "mediaType", where);
    std::string name = string_at(part, "name", where);
    if (part.contains("uri")) {
      return a2a::uri_part(string_at(part, "uri", where), std::move(name), std::move(media_type));
    }
    std::string err;
    auto bytes = a2a::base64_decode(string_at(part, "bytes", where), &err);
    if (!bytes) throw std::runtime_error(where + ".bytes: " + err);
    return a2a::file_part(std::move(name), std::move(media_type), std::move(*bytes));
  }
  if (kind == "data") {
    const auto data = part.find("data");
    a2a::Part out = a2a::data_part(data == part.end() ? "null" : dump(*data));
    out.media_type = string_at(part, "mediaType", where);
    return out;
  }
  throw std::runtime_error(where + " has unknown kind \"" + kind + "\"");
}

std::vector<a2a::Part> decode_parts(const json& m, const std::string& where) {
  auto parts = m.find("parts");
  if (parts == m.end() || !parts->is_array())
    throw std::runtime_error(where + ".parts is not an array");
  std::vector<a2a::Part> out;
  for (std::size_t i = 0; i < parts->size(); ++i)
    out.push_back(decode_part((*parts)[i], where + ".parts[" + std::to_string(i) + "]"));
  return out;
}

json encode_message(const a2a::Message& message) {
  return {{"role", message.role == a2a::Role::kAgent ? kAgent : kUser},
          {"messageId", message.message_id},
          {"parts", encode_parts(message.parts)}};
}

a2a::Message decode_message(const json& m, const std::string& where) {
  if (!m.is_object()) throw std::runtime_error(where + " is not an object");
  a2a::Message message;
  auto role = m.find("role");
  if (role == m.end() || !role->is_string()) throw std::runtime_error(where + ".role is missing");
  if (*role == kAgent) {
    message.role = a2a::Role::kAgent;
  } else if (*role == kUser) {
    message.role = a2a::Role::kUser;
  } else {
    throw std::runtime_error(where + ".role is " + role->dump());
  }
  if (auto id = m.find("messageId"); id != m.end() && id->is_string())
    message.message_id = id->get<std::string>();
  message.parts = decode_parts(m, where);
  return message;
}

}  // namespace

std::string encode_history(const std::vector<a2a::Message>& history) {
  json messages = json::array();
  for (const a2a::Message& message : history) messages.push_back(encode_message(message));
  return dump(messages);
}

std::vector<a2a::Message> decode_history(std::string_view text) {
  json messages = parse(text, "task history");
  if (!messages.is_array()) throw std::runtime_error("task history is not a JSON array");
  std::vector<a2a::Message> history;
  for (std::size_t i = 0; i < messages.size(); ++i)
    history.push_back(decode_message(messages[i], "task history[" + std::to_string(i) + "]"));
  return history;
}

std::string encode_artifacts(const std::vector<a2a::Artifact>& artifacts) {
  json out = json::array();
  for (const a2a::Artifact& a : artifacts) {
    out.push_back({{"artifactId", a.artifact_id}, {"name", a.name}, {"parts", encode_parts(a.parts)}});
  }
  return dump(out);
}

std::vector<a2a::Artifact> decode_artifacts(std::string_view text) {
  json items = parse(text, "task artifacts");
  if (!items.is_array()) throw std::runtime_error("task artifacts is not a JSON array");
  std::vector<a2a::Artifact> out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const std::string where = "task artifacts[" + std::to_string(i) + "]";
    const json& item = items[i];
    if (!item.is_object()) throw std::runtime_error(where + " is not an object");
    a2a::Artifact a;
    a.artifact_id = item.value("artifactId", "");
    a.name = item.value("name", "");
    a.parts = decode_parts(item, where);
    out.push_back(std::move(a));
  }
  return out;
}

std::string encode_status_message(const std::optional<a2a::Message>& message) {
  return message ? dump(encode_message(*message)) : std::string();
}

std::optional<a2a::Message> decode_status_message(std::string_view text) {
  if (text.empty()) return std::nullopt;
  return decode_message(parse(text, "task status message"), "task status message");
}

std::string encode_strings(const std::vector<std::string>& items) { return dump(json(items)); }

std::vector<std::string> decode_strings(std::string_view text) {
  json items = parse(text, "string list");
  if (!items.is_array()) throw std::runtime_error("string list is not a JSON array");
  std::vector<std::string> out;
  for (const json& item : items) {
    if (!item.is_string()) throw std::runtime_error("string list holds " + item.dump());
    out.push_back(item.get<std::string>());
  }
  return out;
}

std::string encode_timestamp(a2a::Timestamp t) { return a2a::format_timestamp(t); }

a2a::Timestamp decode_timestamp(std::string_view text) {
  std::string err;
  auto t = a2a::parse_timestamp(text, &err);
  if (!t) throw std::runtime_error("bad timestamp \"" + std::string(text) + "\": " + err);
  return *t;
}

std::string encode_state(a2a::TaskState state) { return a2a::state_name(state); }

a2a::TaskState decode_state(std::string_view text) {
  // A state name from a later version reads as unknown rather than making the whole
  // table unreadable.
  return a2a::state_from_name(text).value_or(a2a::TaskState::kUnknown);
}

}  // namespace constellation::store

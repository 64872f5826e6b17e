#include "task_codec.h"

#include <stdexcept>

#include <nlohmann/json.hpp>

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

std::string encode_history(const std::vector<a2a::Message>& history) {
  json messages = json::array();
  for (const a2a::Message& message : history) {
    json parts = json::array();
    for (const a2a::Part& part : message.parts) parts.push_back({{"text", part.text}});
    messages.push_back({{"role", message.role == a2a::Role::kAgent ? kAgent : kUser},
                        {"messageId", message.message_id},
                        {"parts", std::move(parts)}});
  }
  return dump(messages);
}

std::vector<a2a::Message> decode_history(std::string_view text) {
  json messages = parse(text, "task history");
  if (!messages.is_array()) throw std::runtime_error("task history is not a JSON array");
  std::vector<a2a::Message> history;
  for (std::size_t i = 0; i < messages.size(); ++i) {
    const json& m = messages[i];
    std::string where = "task history[" + std::to_string(i) + "]";
    if (!m.is_object()) throw std::runtime_error(where + " is not an object");
    a2a::Message message;
    auto role = m.find("role");
    if (role == m.end() || !role->is_string())
      throw std::runtime_error(where + ".role is missing");
    if (*role == kAgent) {
      message.role = a2a::Role::kAgent;
    } else if (*role == kUser) {
      message.role = a2a::Role::kUser;
    } else {
      throw std::runtime_error(where + ".role is " + role->dump());
    }
    if (auto id = m.find("messageId"); id != m.end() && id->is_string())
      message.message_id = id->get<std::string>();
    auto parts = m.find("parts");
    if (parts == m.end() || !parts->is_array())
      throw std::runtime_error(where + ".parts is not an array");
    for (const json& part : *parts) {
      auto part_text = part.is_object() ? part.find("text") : part.end();
      if (!part.is_object() || part_text == part.end() || !part_text->is_string())
        throw std::runtime_error(where + ".parts holds a part without text");
      message.parts.push_back(a2a::Part{part_text->get<std::string>()});
    }
    history.push_back(std::move(message));
  }
  return history;
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

#include "constellation/a2a/legacy.h"

#include <exception>
#include <utility>

#include "json_decoder.h"

namespace constellation::a2a::legacy {
namespace {

using nlohmann::json;

// Reports the first problem as "<path>: <what>" (see json_decoder.h).
class Decoder : public detail::JsonDecoder {
 public:
  using JsonDecoder::JsonDecoder;

  bool part(const json& j, const std::string& path, Part* out) {
    if (!object(j, path)) return false;
    const auto type = j.find("type");
    if (type == j.end()) return fail(member(path, "type"), "missing");
    if (!type->is_string() || type->get_ref<const std::string&>() != "text") {
      return fail(member(path, "type"), "expected \"text\", got " + describe(*type));
    }
    return string_member(j, path, "text", &out->text);
  }

  bool message(const json& j, const std::string& path, Message* out) {
    if (!object(j, path)) return false;
    std::string role;
    if (!string_member(j, path, "role", &role)) return false;
    if (role == "user") {
      out->role = Role::kUser;
    } else if (role == "agent") {
      out->role = Role::kAgent;
    } else {
      return fail(member(path, "role"),
                  "expected \"user\" or \"agent\", got " + describe(json(role)));
    }
    const auto parts = j.find("parts");
    const std::string parts_path = member(path, "parts");
    if (parts == j.end()) return fail(parts_path, "missing");
    if (!parts->is_array()) return fail(parts_path, "expected an array, got " + describe(*parts));
    out->parts.clear();
    out->parts.reserve(parts->size());
    for (std::size_t i = 0; i < parts->size(); ++i) {
      Part p;
      if (!part((*parts)[i], element(parts_path, i), &p)) return false;
      out->parts.push_back(std::move(p));
    }
    out->message_id.clear();
    return true;
  }

  bool task(const json& j, Task* out) {
    if (!object(j, "")) return false;
    if (!string_member(j, "", "id", &out->id)) return false;
    const auto status = j.find("status");
    if (status == j.end()) return fail("status", "missing");
    if (!object(*status, "status")) return false;

    std::string state;
    if (!string_member(*status, "status", "state", &state)) return false;
    const auto parsed_state = legacy_state(state);
    if (!parsed_state) {
      return fail("status.state",
                  "expected one of submitted, working, input-required, completed, canceled, "
                  "failed, unknown; got " +
                      describe(json(state)));
    }
    out->state = *parsed_state;

    std::string timestamp;
    if (!string_member(*status, "status", "timestamp", &timestamp)) return false;
    std::string ts_err;
    const auto updated_at = parse_timestamp(timestamp, &ts_err);
    if (!updated_at) return fail("status.timestamp", ts_err);
    out->updated_at = *updated_at;

    out->context_id.clear();
    out->history.clear();
    const auto history = j.find("history");
    // The original defaults an absent history to []; null is taken the same way.
    if (history == j.end() || history->is_null()) return true;
    if (!history->is_array()) {
      return fail("history", "expected an array, got " + describe(*history));
    }
    out->history.reserve(history->size());
    for (std::size_t i = 0; i < history->size(); ++i) {
      Message m;
      if (!message((*history)[i], element("history", i), &m)) return false;
      out->history.push_back(std::move(m));
    }
    return true;
  }


 private:
  // The seven states the Rust decoder knows; it fails on anything else.
  static std::optional<TaskState> legacy_state(const std::string& name) {
    const auto state = state_from_name(name);
    if (!state || *state == TaskState::kRejected || *state == TaskState::kAuthRequired) {
      return std::nullopt;
    }
    return state;
  }
};

const char* legacy_state_name(TaskState state) {
  switch (state) {
    case TaskState::kRejected:
      return state_name(TaskState::kFailed);
    case TaskState::kAuthRequired:
      return state_name(TaskState::kInputRequired);
    default:
      return state_name(state);
  }
}

using detail::guarded;

}  // namespace

namespace {

std::string folded_text(const Part& part) {
  switch (part.kind) {
    case PartKind::kText:
      return part.text;
    case PartKind::kFile: {
      const std::string name = part.filename.empty() ? "unnamed" : part.filename;
      if (!part.uri.empty()) return "[file: " + name + " at " + part.uri + "]";
      return "[file: " + name + ", " + std::to_string(part.bytes.size()) + " bytes, not sent]";
    }
    case PartKind::kData:
      return "[data: " + part.data + "]";
  }
  return part.text;
}

}  // namespace

json message_to_json(const Message& message) {
  json parts = json::array();
  for (const Part& part : message.parts)
    parts.push_back(json{{"type", "text"}, {"text", folded_text(part)}});
  return {{"role", role_name(message.role)}, {"parts", std::move(parts)}};
}

std::optional<Message> message_from_json(const json& j, std::string* err) {
  return guarded<Message>(err, [&]() -> std::optional<Message> {
    Message message;
    if (!Decoder(err).message(j, "", &message)) return std::nullopt;
    return message;
  });
}

json task_to_json(const Task& task) {
  json history = json::array();
  for (const Message& message : task.history) history.push_back(message_to_json(message));
  return {{"id", task.id},
          {"status",
           {{"state", legacy_state_name(task.state)},
            {"timestamp", format_timestamp(task.updated_at)}}},
          {"history", std::move(history)}};
}

std::optional<Task> task_from_json(const json& j, std::string* err) {
  return guarded<Task>(err, [&]() -> std::optional<Task> {
    Task task;
    if (!Decoder(err).task(j, &task)) return std::nullopt;
    return task;
  });
}

json send_params_to_json(const SendParams& params) {
  return {{"id", params.task_id}, {"message", message_to_json(params.message)}};
}

std::optional<SendParams> send_params_from_json(const json& params, std::string* err) {
  return guarded<SendParams>(err, [&]() -> std::optional<SendParams> {
    Decoder decoder(err);
    SendParams out;
    if (!decoder.task_id(params, &out.task_id)) return std::nullopt;
    const auto message = params.find("message");
    if (message == params.end()) {
      decoder.fail("params.message", "missing");
      return std::nullopt;
    }
    if (!decoder.message(*message, "params.message", &out.message)) return std::nullopt;
    return out;
  });
}

json task_id_params_to_json(const std::string& task_id) { return {{"id", task_id}}; }

std::optional<std::string> task_id_params_from_json(const json& params, std::string* err) {
  return guarded<std::string>(err, [&]() -> std::optional<std::string> {
    std::string id;
    if (!Decoder(err).task_id(params, &id)) return std::nullopt;
    return id;
  });
}

std::string new_task_id() { return "t-" + new_uuid(); }

}  // namespace constellation::a2a::legacy

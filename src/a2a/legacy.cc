#include "constellation/a2a/legacy.h"

#include <boost/uuid/uuid.hpp>
#include <boost/uuid/uuid_generators.hpp>
#include <boost/uuid/uuid_io.hpp>
#include <exception>
#include <utility>

namespace constellation::a2a::legacy {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxQuoted = 40;

// The decoders below report the first problem as "<path>: <what>" and stop. Each takes
// the path of the value it reads ("" at the top), so nested errors carry the full path.
class Decoder {
 public:
  explicit Decoder(std::string* err) : err_(err) {}

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

  // "got …" part of a message: short and valid UTF-8 whatever the input.
  static std::string describe(const json& j) {
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

  bool object(const json& j, const std::string& path) {
    return j.is_object() || fail(path, "expected an object, got " + describe(j));
  }

  // A required string member of object `j` (which lives at `path`).
  bool string_member(const json& j, const std::string& path, const char* key, std::string* out) {
    const auto it = j.find(key);
    if (it == j.end()) return fail(member(path, key), "missing");
    if (!it->is_string()) {
      return fail(member(path, key), "expected a string, got " + describe(*it));
    }
    *out = it->get<std::string>();
    return true;
  }

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

  // A task id in `params.id`: the original's String, refused when empty because the
  // CLI could not name such a task.
  bool task_id(const json& params, std::string* out) {
    if (!object(params, "params")) return false;
    if (!string_member(params, "params", "id", out)) return false;
    if (out->empty()) return fail("params.id", "must not be empty");
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

  std::string* err_;
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

// Decoders never throw, but a json accessor on a path we did not foresee must not take
// the server down: report it as a decoding failure instead.
template <class T, class F>
std::optional<T> guarded(std::string* err, F&& decode) {
  try {
    return decode();
  } catch (const std::exception& e) {
    if (err != nullptr) *err = std::string("internal decoding error: ") + e.what();
    return std::nullopt;
  }
}

}  // namespace

json message_to_json(const Message& message) {
  json parts = json::array();
  for (const Part& part : message.parts)
    parts.push_back(json{{"type", "text"}, {"text", part.text}});
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

std::string new_task_id() {
  // One generator per thread: it is not thread-safe, and seeding one per call would
  // read the OS entropy source each time.
  thread_local boost::uuids::random_generator generator;
  return "t-" + boost::uuids::to_string(generator());
}

}  // namespace constellation::a2a::legacy

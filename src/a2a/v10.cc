#include "constellation/a2a/v10.h"

#include <array>
#include <cmath>
#include <cstdint>
#include <exception>
#include <limits>
#include <nlohmann/json.hpp>
#include <utility>
#include "constellation/a2a/base64.h"
#include "json_decoder.h"

namespace constellation::a2a::v10 {
namespace {

using nlohmann::json;


// Proto numbers matter: ProtoJSON readers accept an enum by number as well as by name.
struct StateName {
  TaskState state;
  const char* name;
  int number;
};
constexpr std::array<StateName, 9> kStates{{
    {TaskState::kUnknown, "TASK_STATE_UNSPECIFIED", 0},
    {TaskState::kSubmitted, "TASK_STATE_SUBMITTED", 1},
    {TaskState::kWorking, "TASK_STATE_WORKING", 2},
    {TaskState::kCompleted, "TASK_STATE_COMPLETED", 3},
    {TaskState::kFailed, "TASK_STATE_FAILED", 4},
    {TaskState::kCanceled, "TASK_STATE_CANCELED", 5},
    {TaskState::kInputRequired, "TASK_STATE_INPUT_REQUIRED", 6},
    {TaskState::kRejected, "TASK_STATE_REJECTED", 7},
    {TaskState::kAuthRequired, "TASK_STATE_AUTH_REQUIRED", 8},
}};

constexpr std::array<const char*, 11> kMethods{
    kSendMessage,
    kSendStreamingMessage,
    kGetTask,
    kListTasks,
    kCancelTask,
    kSubscribeToTask,
    kCreateTaskPushNotificationConfig,
    kGetTaskPushNotificationConfig,
    kListTaskPushNotificationConfigs,
    kDeleteTaskPushNotificationConfig,
    kGetExtendedAgentCard,
};

struct Reason {
  int code;
  const char* reason;
};
// The JS SDK's reasons (a2a-wire.md §3.7); INVALID_PARAMS as its fixtures show.
constexpr std::array<Reason, 10> kReasons{{
    {rpc_code::kInvalidParams, "INVALID_PARAMS"},
    {code::kTaskNotFound, "TASK_NOT_FOUND"},
    {code::kTaskNotCancelable, "TASK_NOT_CANCELABLE"},
    {code::kPushNotificationNotSupported, "PUSH_NOTIFICATION_NOT_SUPPORTED"},
    {code::kUnsupportedOperation, "UNSUPPORTED_OPERATION"},
    {code::kContentTypeNotSupported, "CONTENT_TYPE_NOT_SUPPORTED"},
    {code::kInvalidAgentResponse, "INVALID_AGENT_RESPONSE"},
    {code::kExtendedAgentCardNotConfigured, "EXTENDED_AGENT_CARD_NOT_CONFIGURED"},
    {code::kExtensionSupportRequired, "EXTENSION_SUPPORT_REQUIRED"},
    {code::kVersionNotSupported, "VERSION_NOT_SUPPORTED"},
}};

// "0.3" or "0.3.<digits>" for prefix "0.3": patch numbers are not to be considered.
bool is_version(std::string_view value, std::string_view major_minor) {
  if (!value.starts_with(major_minor)) return false;
  value.remove_prefix(major_minor.size());
  if (value.empty()) return true;
  if (value.front() != '.' || value.size() == 1) return false;
  value.remove_prefix(1);
  for (const char c : value) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// The header value goes into an error message and a log line: printable ASCII only, short.
std::string printable(std::string_view value) {
  std::string out;
  for (const char c : value.substr(0, detail::kMaxQuoted)) {
    out += (c >= 0x20 && c < 0x7f) ? c : '?';
  }
  if (value.size() > detail::kMaxQuoted) out += "...";
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

using detail::describe;

// A ProtoJSON int32: a JSON number with an integral value, or a string of one (proto
// writes 64-bit integers as strings and readers take that form for every integer).
std::optional<std::int64_t> integer_value(const json& j) {
  if (j.is_number_unsigned()) {
    const auto v = j.get<std::uint64_t>();
    if (v <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
      return static_cast<std::int64_t>(v);
    }
    return std::nullopt;
  }
  if (j.is_number_integer()) return j.get<std::int64_t>();
  if (j.is_number_float()) {
    const double v = j.get<double>();
    if (std::trunc(v) == v && std::abs(v) < 1e18) return static_cast<std::int64_t>(v);
    return std::nullopt;
  }
  if (j.is_string()) {
    const auto& s = j.get_ref<const std::string&>();
    if (s.empty() || s.size() > 18) return std::nullopt;
    std::size_t i = s[0] == '-' ? 1 : 0;
    if (i == s.size()) return std::nullopt;
    std::int64_t v = 0;
    for (; i < s.size(); ++i) {
      if (s[i] < '0' || s[i] > '9') return std::nullopt;
      v = v * 10 + (s[i] - '0');
    }
    return s[0] == '-' ? -v : v;
  }
  return std::nullopt;
}

// ProtoJSON readers take an enum by number too (a JSON number, not a string of one);
// -1 when `j` is no such number, which matches no enum value.
std::int64_t enum_number(const json& j) {
  if (!j.is_number()) return -1;
  return integer_value(j).value_or(-1);
}

// Reports the first problem as "<path>: <what>" (see json_decoder.h).
class Decoder : public detail::JsonDecoder {
 public:
  using JsonDecoder::JsonDecoder;

  // Member `camel` of object `j`, or its proto (snake_case) name, which ProtoJSON
  // readers accept too. nullptr when absent or null: ProtoJSON reads null as "not set".
  static const json* field(const json& j, const char* camel, const char* snake = nullptr) {
    for (const char* key : {camel, snake}) {
      if (key == nullptr) continue;
      const auto it = j.find(key);
      if (it != j.end() && !it->is_null()) return &*it;
    }
    return nullptr;
  }

  bool string_value(const json& j, const std::string& path, std::string* out) {
    if (!j.is_string()) return fail(path, "expected a string, got " + describe(j));
    *out = j.get<std::string>();
    return true;
  }

  bool required_string(const json& obj, const std::string& path, const char* camel,
                       const char* snake, std::string* out) {
    const json* v = field(obj, camel, snake);
    if (v == nullptr) return fail(member(path, camel), "missing");
    if (!string_value(*v, member(path, camel), out)) return false;
    // ProtoJSON cannot tell "" from absent, so a required string must not be empty.
    return !out->empty() || fail(member(path, camel), "must not be empty");
  }

  bool optional_string(const json& obj, const std::string& path, const char* camel,
                       const char* snake, std::string* out) {
    const json* v = field(obj, camel, snake);
    if (v == nullptr) return true;
    return string_value(*v, member(path, camel), out);
  }

  bool optional_bool(const json& obj, const std::string& path, const char* camel, const char* snake,
                     bool* out) {
    const json* v = field(obj, camel, snake);
    if (v == nullptr) return true;
    if (!v->is_boolean()) {
      return fail(member(path, camel), "expected true or false, got " + describe(*v));
    }
    *out = v->get<bool>();
    return true;
  }

  // An int32 in [min, max]; absent leaves *out untouched.
  bool optional_int(const json& obj, const std::string& path, const char* camel, const char* snake,
                    int min, int max, std::optional<int>* out) {
    const json* v = field(obj, camel, snake);
    if (v == nullptr) return true;
    const auto value = integer_value(*v);
    if (!value) return fail(member(path, camel), "expected an integer, got " + describe(*v));
    if (*value < min || *value > max) {
      return fail(member(path, camel), "must be between " + std::to_string(min) + " and " +
                                           std::to_string(max) + ", got " + describe(*v));
    }
    *out = static_cast<int>(*value);
    return true;
  }

  bool string_array(const json& obj, const std::string& path, const char* camel, const char* snake,
                    std::vector<std::string>* out) {
    const json* v = field(obj, camel, snake);
    if (v == nullptr) return true;
    const std::string here = member(path, camel);
    if (!v->is_array()) return fail(here, "expected an array, got " + describe(*v));
    out->clear();
    for (std::size_t i = 0; i < v->size(); ++i) {
      std::string s;
      if (!string_value((*v)[i], element(here, i), &s)) return false;
      out->push_back(std::move(s));
    }
    return true;
  }

  // An array of objects decoded by `each`; absent means empty unless `required`.
  template <class T, class F>
  bool array_of(const json& obj, const std::string& path, const char* camel, const char* snake,
                bool required, std::vector<T>* out, F each) {
    const json* v = field(obj, camel, snake);
    const std::string here = member(path, camel);
    out->clear();
    if (v == nullptr) return !required || fail(here, "missing");
    if (!v->is_array()) return fail(here, "expected an array, got " + describe(*v));
    // The spec: a required repeated field must not be empty.
    if (required && v->empty()) return fail(here, "must not be empty");
    out->reserve(v->size());
    for (std::size_t i = 0; i < v->size(); ++i) {
      T item;
      if (!(this->*each)((*v)[i], element(here, i), &item)) return false;
      out->push_back(std::move(item));
    }
    return true;
  }

  bool part(const json& j, const std::string& path, Part* out) {
    if (!object(j, path)) return false;
    // A Part is a oneof: exactly one content member; its name is the discriminator.
    static constexpr std::array<const char*, 4> kContent{"text", "raw", "url", "data"};
    const char* found = nullptr;
    for (const char* key : kContent) {
      if (field(j, key) == nullptr) continue;
      if (found != nullptr) {
        return fail(path, std::string("has both \"") + found + "\" and \"" + key +
                              "\"; a part carries exactly one");
      }
      found = key;
    }
    if (found == nullptr) return fail(path, "expected one of text, raw, url, data");
    const std::string_view kind(found);
    *out = Part{};
    if (kind == "text") {
      // A text part's media type is not kept, but a wrong one is still a wrong request.
      std::string ignored;
      return string_value(*field(j, "text"), member(path, "text"), &out->text) &&
             optional_string(j, path, "mediaType", "media_type", &ignored);
    }
    if (kind == "data") {
      out->kind = PartKind::kData;
      out->data = field(j, "data")->dump(-1, ' ', false, json::error_handler_t::replace);
      return optional_string(j, path, "mediaType", "media_type", &out->media_type);
    }
    out->kind = PartKind::kFile;
    if (!optional_string(j, path, "filename", nullptr, &out->filename) ||
        !optional_string(j, path, "mediaType", "media_type", &out->media_type)) {
      return false;
    }
    if (kind == "url") {
      if (!string_value(*field(j, "url"), member(path, "url"), &out->uri)) return false;
      return !out->uri.empty() || fail(member(path, "url"), "must not be empty");
    }
    std::string raw;
    if (!string_value(*field(j, "raw"), member(path, "raw"), &raw)) return false;
    std::string b64_err;
    auto bytes = base64_decode(raw, &b64_err);
    if (!bytes) return fail(member(path, "raw"), b64_err);
    out->bytes = std::move(*bytes);
    return true;
  }

  bool parts(const json& obj, const std::string& path, std::vector<Part>* out) {
    return array_of(obj, path, "parts", nullptr, true, out, &Decoder::part);
  }

  bool role(const json& obj, const std::string& path, Role* out) {
    const json* v = field(obj, "role");
    const std::string here = member(path, "role");
    if (v == nullptr) return fail(here, "missing");
    const std::int64_t number = enum_number(*v);
    if (*v == "ROLE_USER" || number == 1) {
      *out = Role::kUser;
    } else if (*v == "ROLE_AGENT" || number == 2) {
      *out = Role::kAgent;
    } else {
      return fail(here, "expected \"ROLE_USER\" or \"ROLE_AGENT\", got " + describe(*v));
    }
    return true;
  }

  bool state(const json& j, const std::string& path, TaskState* out) {
    const std::int64_t number = enum_number(j);
    for (const StateName& s : kStates) {
      if (j == s.name || number == s.number) {
        *out = s.state;
        return true;
      }
    }
    return fail(path, "expected a TASK_STATE_… name, got " + describe(j));
  }

  bool timestamp(const json& j, const std::string& path, Timestamp* out) {
    std::string text;
    if (!string_value(j, path, &text)) return false;
    std::string ts_err;
    const auto t = parse_timestamp(text, &ts_err);
    if (!t) return fail(path, ts_err);
    *out = *t;
    return true;
  }

  bool message(const json& j, const std::string& path, Message* out) {
    if (!object(j, path)) return false;
    *out = Message{};
    return required_string(j, path, "messageId", "message_id", &out->message_id) &&
           role(j, path, &out->role) && parts(j, path, &out->parts) &&
           optional_string(j, path, "contextId", "context_id", &out->context_id) &&
           optional_string(j, path, "taskId", "task_id", &out->task_id);
  }

  bool artifact(const json& j, const std::string& path, Artifact* out) {
    if (!object(j, path)) return false;
    *out = Artifact{};
    return required_string(j, path, "artifactId", "artifact_id", &out->artifact_id) &&
           optional_string(j, path, "name", nullptr, &out->name) && parts(j, path, &out->parts);
  }

  bool status(const json& obj, const std::string& path, Task* out) {
    const json* v = field(obj, "status");
    const std::string here = member(path, "status");
    if (v == nullptr) return fail(here, "missing");
    if (!object(*v, here)) return false;
    // ProtoJSON leaves the zero enum out, so an absent state is TASK_STATE_UNSPECIFIED.
    out->state = TaskState::kUnknown;
    if (const json* s = field(*v, "state"); s != nullptr) {
      if (!state(*s, member(here, "state"), &out->state)) return false;
    }
    out->status_message.reset();
    if (const json* m = field(*v, "message"); m != nullptr) {
      Message message;
      if (!this->message(*m, member(here, "message"), &message)) return false;
      out->status_message = std::move(message);
    }
    out->updated_at = Timestamp{};
    if (const json* t = field(*v, "timestamp"); t != nullptr) {
      if (!timestamp(*t, member(here, "timestamp"), &out->updated_at)) return false;
    }
    return true;
  }

  bool task(const json& j, const std::string& path, Task* out) {
    if (!object(j, path)) return false;
    *out = Task{};
    return required_string(j, path, "id", nullptr, &out->id) &&
           optional_string(j, path, "contextId", "context_id", &out->context_id) &&
           status(j, path, out) &&
           array_of(j, path, "history", nullptr, false, &out->history, &Decoder::message) &&
           array_of(j, path, "artifacts", nullptr, false, &out->artifacts, &Decoder::artifact);
  }

  bool configuration(const json& obj, const std::string& path, SendConfiguration* out) {
    const json* v = field(obj, "configuration");
    if (v == nullptr) return true;
    const std::string here = member(path, "configuration");
    if (!object(*v, here)) return false;
    if (const json* push = field(*v, "taskPushNotificationConfig", "task_push_notification_config");
        push != nullptr && !push->is_null()) {
      out->push = push_config_from_json(Dialect::kV10, *push,
                                        member(here, "taskPushNotificationConfig"), error_output());
      if (!out->push) return false;
    }
    return string_array(*v, here, "acceptedOutputModes", "accepted_output_modes",
                        &out->accepted_output_modes) &&
           history_length(*v, here, &out->history_length) &&
           optional_bool(*v, here, "returnImmediately", "return_immediately",
                         &out->return_immediately);
  }

  bool history_length(const json& obj, const std::string& path, std::optional<int>* out) {
    return optional_int(obj, path, "historyLength", "history_length", 0,
                        std::numeric_limits<std::int32_t>::max(), out);
  }

  bool tenant(const json& obj, const std::string& path, std::string* out) {
    return optional_string(obj, path, "tenant", nullptr, out);
  }

};

using detail::guarded;

// Runs one Decoder member on `j` at `path` and returns its value.
template <class T>
std::optional<T> decode_with(const json& j, const std::string& path, std::string* err,
                             bool (Decoder::*each)(const json&, const std::string&, T*)) {
  return guarded<T>(err, [&]() -> std::optional<T> {
    T out;
    Decoder decoder(err);
    if (!(decoder.*each)(j, path, &out)) return std::nullopt;
    return out;
  });
}

json part_to_json(const Part& part) {
  json out;
  switch (part.kind) {
    case PartKind::kText:
      return {{"text", part.text}};
    case PartKind::kFile:
      if (part.uri.empty()) {
        out["raw"] = base64_encode(part.bytes);
      } else {
        out["url"] = part.uri;
      }
      if (!part.filename.empty()) out["filename"] = part.filename;
      break;
    case PartKind::kData: {
      json value = json::parse(part.data, nullptr, /*allow_exceptions=*/false);
      out["data"] = value.is_discarded() ? json(nullptr) : std::move(value);
      break;
    }
  }
  if (!part.media_type.empty()) out["mediaType"] = part.media_type;
  return out;
}

json parts_to_json(const std::vector<Part>& parts) {
  json out = json::array();
  for (const Part& part : parts) out.push_back(part_to_json(part));
  return out;
}

void put_if(json& obj, const char* key, const std::string& value) {
  if (!value.empty()) obj[key] = value;
}

json status_to_json(const Task& task) {
  json status{{"state", wire_state_name(task.state)}};
  if (task.status_message) status["message"] = message_to_json(*task.status_message);
  if (task.updated_at != Timestamp{}) status["timestamp"] = format_timestamp(task.updated_at);
  return status;
}

// Whether configuration would be written empty.
bool is_default(const SendConfiguration& c) {
  return c.accepted_output_modes.empty() && !c.history_length && !c.return_immediately && !c.push;
}

}  // namespace

// ---- version negotiation ----------------------------------------------------------------

std::optional<ProtocolVersion> negotiate_version(std::string_view header_value, std::string* err) {
  const std::string_view value = trim(header_value);
  if (value.empty() || is_version(value, "0.3")) return ProtocolVersion::kV03;
  if (is_version(value, "1.0")) return ProtocolVersion::kV10;
  if (err != nullptr) {
    *err = "The requested A2A protocol version '" + printable(value) +
           "' is not supported. Supported versions: 1.0, 0.3";
  }
  return std::nullopt;
}

bool is_v10_method(std::string_view method) {
  for (const char* m : kMethods) {
    if (method == m) return true;
  }
  return false;
}

// ---- errors -----------------------------------------------------------------------------

const char* error_reason(int code) {
  for (const Reason& r : kReasons) {
    if (r.code == code) return r.reason;
  }
  return nullptr;
}

json error_data(int code, const std::map<std::string, std::string>& metadata) {
  const char* reason = error_reason(code);
  if (reason == nullptr) return nullptr;
  json info{{"@type", kErrorInfoType}, {"reason", reason}, {"domain", kErrorDomain}};
  if (!metadata.empty()) info["metadata"] = metadata;
  return json::array({std::move(info)});
}

// ---- objects ----------------------------------------------------------------------------

const char* wire_state_name(TaskState state) {
  for (const StateName& s : kStates) {
    if (s.state == state) return s.name;
  }
  return "TASK_STATE_UNSPECIFIED";
}

const char* wire_role_name(Role role) { return role == Role::kAgent ? "ROLE_AGENT" : "ROLE_USER"; }

json message_to_json(const Message& message) {
  json out{{"messageId", message.message_id},
           {"role", wire_role_name(message.role)},
           {"parts", parts_to_json(message.parts)}};
  put_if(out, "contextId", message.context_id);
  put_if(out, "taskId", message.task_id);
  return out;
}

std::optional<Message> message_from_json(const json& j, std::string* err) {
  return decode_with<Message>(j, "", err, &Decoder::message);
}

json artifact_to_json(const Artifact& artifact) {
  json out{{"artifactId", artifact.artifact_id}, {"parts", parts_to_json(artifact.parts)}};
  put_if(out, "name", artifact.name);
  return out;
}

std::optional<Artifact> artifact_from_json(const json& j, std::string* err) {
  return decode_with<Artifact>(j, "", err, &Decoder::artifact);
}

json task_to_json(const Task& task) {
  json out{{"id", task.id}, {"status", status_to_json(task)}};
  put_if(out, "contextId", task.context_id);
  if (!task.history.empty()) {
    json& history = out["history"] = json::array();
    for (const Message& m : task.history) history.push_back(message_to_json(m));
  }
  if (!task.artifacts.empty()) {
    json& artifacts = out["artifacts"] = json::array();
    for (const Artifact& a : task.artifacts) artifacts.push_back(artifact_to_json(a));
  }
  return out;
}

std::optional<Task> task_from_json(const json& j, std::string* err) {
  return decode_with<Task>(j, "", err, &Decoder::task);
}

std::string new_message_id() { return new_uuid(); }

// ---- SendMessage ------------------------------------------------------------------------

json send_message_params_to_json(const SendMessageParams& params) {
  json out{{"message", message_to_json(params.message)}};
  const SendConfiguration& c = params.configuration;
  if (!is_default(c)) {
    json config = json::object();
    if (!c.accepted_output_modes.empty()) config["acceptedOutputModes"] = c.accepted_output_modes;
    if (c.history_length) config["historyLength"] = *c.history_length;
    if (c.return_immediately) config["returnImmediately"] = true;
    if (c.push) config["taskPushNotificationConfig"] = push_config_to_json(Dialect::kV10, *c.push);
    out["configuration"] = std::move(config);
  }
  put_if(out, "tenant", params.tenant);
  return out;
}

std::optional<SendMessageParams> send_message_params_from_json(const json& params,
                                                               std::string* err) {
  return guarded<SendMessageParams>(err, [&]() -> std::optional<SendMessageParams> {
    Decoder d(err);
    SendMessageParams out;
    if (!d.object(params, "params")) return std::nullopt;
    const json* message = Decoder::field(params, "message");
    if (message == nullptr) {
      d.fail("params.message", "missing");
      return std::nullopt;
    }
    if (!d.message(*message, "params.message", &out.message) ||
        !d.optional_object_member(*message, "params.message", "metadata") ||
        !d.optional_object_member(params, "params", "metadata") ||
        !d.configuration(params, "params", &out.configuration) ||
        !d.tenant(params, "params", &out.tenant)) {
      return std::nullopt;
    }
    return out;
  });
}

json send_message_result_to_json(const SendMessageResult& result) {
  if (const Task* task = std::get_if<Task>(&result)) return {{"task", task_to_json(*task)}};
  return {{"message", message_to_json(std::get<Message>(result))}};
}

std::optional<SendMessageResult> send_message_result_from_json(const json& result,
                                                               std::string* err) {
  return guarded<SendMessageResult>(err, [&]() -> std::optional<SendMessageResult> {
    Decoder d(err);
    if (!d.object(result, "")) return std::nullopt;
    const json* task = Decoder::field(result, "task");
    const json* message = Decoder::field(result, "message");
    if ((task == nullptr) == (message == nullptr)) {
      d.fail("", "expected exactly one of \"task\" and \"message\"");
      return std::nullopt;
    }
    if (task != nullptr) {
      Task out;
      if (!d.task(*task, "task", &out)) return std::nullopt;
      return out;
    }
    Message out;
    if (!d.message(*message, "message", &out)) return std::nullopt;
    return out;
  });
}

// ---- GetTask / CancelTask ---------------------------------------------------------------

json get_task_params_to_json(const GetTaskParams& params) {
  json out{{"id", params.id}};
  if (params.history_length) out["historyLength"] = *params.history_length;
  put_if(out, "tenant", params.tenant);
  return out;
}

std::optional<GetTaskParams> get_task_params_from_json(const json& params, std::string* err) {
  return guarded<GetTaskParams>(err, [&]() -> std::optional<GetTaskParams> {
    Decoder d(err);
    GetTaskParams out;
    if (!d.object(params, "params") ||
        !d.required_string(params, "params", "id", nullptr, &out.id) ||
        !d.history_length(params, "params", &out.history_length) ||
        !d.tenant(params, "params", &out.tenant)) {
      return std::nullopt;
    }
    return out;
  });
}

json cancel_task_params_to_json(const CancelTaskParams& params) {
  json out{{"id", params.id}};
  put_if(out, "tenant", params.tenant);
  return out;
}

std::optional<CancelTaskParams> cancel_task_params_from_json(const json& params, std::string* err) {
  return guarded<CancelTaskParams>(err, [&]() -> std::optional<CancelTaskParams> {
    Decoder d(err);
    CancelTaskParams out;
    if (!d.object(params, "params") ||
        !d.required_string(params, "params", "id", nullptr, &out.id) ||
        !d.tenant(params, "params", &out.tenant)) {
      return std::nullopt;
    }
    return out;
  });
}

// ---- ListTasks --------------------------------------------------------------------------

json list_tasks_params_to_json(const ListTasksParams& params) {
  json out = json::object();
  put_if(out, "contextId", params.context_id);
  if (params.status) out["status"] = wire_state_name(*params.status);
  if (params.page_size) out["pageSize"] = *params.page_size;
  put_if(out, "pageToken", params.page_token);
  if (params.history_length) out["historyLength"] = *params.history_length;
  if (params.status_timestamp_after) {
    out["statusTimestampAfter"] = format_timestamp(*params.status_timestamp_after);
  }
  if (params.include_artifacts) out["includeArtifacts"] = true;
  put_if(out, "tenant", params.tenant);
  return out;
}

std::optional<ListTasksParams> list_tasks_params_from_json(const json& params, std::string* err) {
  return guarded<ListTasksParams>(err, [&]() -> std::optional<ListTasksParams> {
    Decoder d(err);
    ListTasksParams out;
    // Every member is optional, so absent params list everything.
    if (params.is_null()) return out;
    if (!d.object(params, "params") ||
        !d.optional_string(params, "params", "contextId", "context_id", &out.context_id) ||
        !d.optional_int(params, "params", "pageSize", "page_size", kMinPageSize, kMaxPageSize,
                        &out.page_size) ||
        !d.optional_string(params, "params", "pageToken", "page_token", &out.page_token) ||
        !d.history_length(params, "params", &out.history_length) ||
        !d.optional_bool(params, "params", "includeArtifacts", "include_artifacts",
                         &out.include_artifacts) ||
        !d.tenant(params, "params", &out.tenant)) {
      return std::nullopt;
    }
    if (const json* s = Decoder::field(params, "status"); s != nullptr) {
      TaskState state = TaskState::kUnknown;
      if (!d.state(*s, "params.status", &state)) return std::nullopt;
      // TASK_STATE_UNSPECIFIED is the proto default: no filter.
      if (state != TaskState::kUnknown) out.status = state;
    }
    const json* after = Decoder::field(params, "statusTimestampAfter", "status_timestamp_after");
    if (after != nullptr) {
      Timestamp t{};
      if (!d.timestamp(*after, "params.statusTimestampAfter", &t)) return std::nullopt;
      out.status_timestamp_after = t;
    }
    return out;
  });
}

json list_tasks_result_to_json(const ListTasksResult& result) {
  json tasks = json::array();
  for (const Task& task : result.tasks) tasks.push_back(task_to_json(task));
  return {{"tasks", std::move(tasks)},
          {"nextPageToken", result.next_page_token},
          {"pageSize", result.page_size},
          {"totalSize", result.total_size}};
}

std::optional<ListTasksResult> list_tasks_result_from_json(const json& result, std::string* err) {
  return guarded<ListTasksResult>(err, [&]() -> std::optional<ListTasksResult> {
    Decoder d(err);
    ListTasksResult out;
    constexpr int kMaxInt32 = std::numeric_limits<std::int32_t>::max();
    std::optional<int> page_size;
    std::optional<int> total_size;
    if (!d.object(result, "") ||
        !d.array_of(result, "", "tasks", nullptr, false, &out.tasks, &Decoder::task) ||
        !d.optional_string(result, "", "nextPageToken", "next_page_token", &out.next_page_token) ||
        !d.optional_int(result, "", "pageSize", "page_size", 0, kMaxInt32, &page_size) ||
        !d.optional_int(result, "", "totalSize", "total_size", 0, kMaxInt32, &total_size)) {
      return std::nullopt;
    }
    out.page_size = page_size.value_or(0);
    out.total_size = total_size.value_or(0);
    return out;
  });
}

}  // namespace constellation::a2a::v10

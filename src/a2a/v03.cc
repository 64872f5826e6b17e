#include "constellation/a2a/v03.h"

#include <algorithm>
#include <cstdint>
#include <exception>
#include <limits>
#include <nlohmann/json.hpp>
#include <utility>
#include "constellation/a2a/base64.h"
#include "json_decoder.h"

namespace constellation::a2a::v03 {
namespace {

using nlohmann::json;

// Reports the first problem as "<path>: <what>" (see json_decoder.h).
class Decoder : public detail::JsonDecoder {
 public:
  using JsonDecoder::JsonDecoder;

  // Member `key` of object `j`, or nullptr when absent or null: v0.3 writers differ on
  // whether an unset optional is left out or written as null.

  // The `kind` discriminator: optional when reading (tolerant), but when present it must
  // name the object we expect.
  bool kind(const json& j, const std::string& path, const char* expected) {
    const json* value = optional_member(j, "kind");
    if (value == nullptr) return true;
    if (value->is_string() && value->get_ref<const std::string&>() == expected) return true;
    return fail(member(path, "kind"),
                std::string("expected \"") + expected + "\", got " + describe(*value));
  }

  // One part: text, file or data (§2.3). An absent `kind` reads as text.
  bool part(const json& j, const std::string& path, std::optional<Part>* out) {
    out->reset();
    if (!object(j, path)) return false;
    std::string kind_name = "text";
    const json* value = optional_member(j, "kind");
    if (value != nullptr) {
      if (!value->is_string()) {
        return fail(member(path, "kind"), "expected a string, got " + describe(*value));
      }
      kind_name = value->get<std::string>();
    }
    Part p;
    if (kind_name == "text") {
      if (!string_member(j, path, "text", &p.text)) return false;
    } else if (kind_name == "file") {
      if (!file(j, path, &p)) return false;
    } else if (kind_name == "data") {
      if (!data(j, path, &p)) return false;
    } else {
      return fail(member(path, "kind"),
                  "expected \"text\", \"file\" or \"data\", got " + describe(*value));
    }
    *out = std::move(p);
    return true;
  }

  // `file`: {bytes} or {uri}, never both, plus optional name and mimeType.
  bool file(const json& j, const std::string& path, Part* out) {
    out->kind = PartKind::kFile;
    const std::string file_path = member(path, "file");
    const json* f = optional_member(j, "file");
    if (f == nullptr) return fail(file_path, "missing");
    if (!object(*f, file_path)) return false;
    if (!optional_string_member(*f, file_path, "name", &out->filename)) return false;
    if (!optional_string_member(*f, file_path, "mimeType", &out->media_type)) return false;
    const json* bytes = optional_member(*f, "bytes");
    const json* uri = optional_member(*f, "uri");
    if (bytes != nullptr && uri != nullptr) {
      return fail(file_path, "has both \"bytes\" and \"uri\"; a file carries exactly one");
    }
    if (uri != nullptr) {
      if (!optional_string_member(*f, file_path, "uri", &out->uri)) return false;
      return !out->uri.empty() || fail(member(file_path, "uri"), "must not be empty");
    }
    if (bytes == nullptr) return fail(file_path, "expected \"bytes\" or \"uri\"");
    if (!bytes->is_string()) {
      return fail(member(file_path, "bytes"), "expected a string, got " + describe(*bytes));
    }
    std::string b64_err;
    auto decoded = base64_decode(bytes->get_ref<const std::string&>(), &b64_err);
    if (!decoded) return fail(member(file_path, "bytes"), b64_err);
    out->bytes = std::move(*decoded);
    return true;
  }

  // `data`: an object on the v0.3 wire. A non-object value travels wrapped as
  // {"value": x} with metadata.data_part_compat (the JS SDK's rule, §5.3): unwrapped here.
  // Other non-objects are taken as they are: reading is tolerant.
  bool data(const json& j, const std::string& path, Part* out) {
    out->kind = PartKind::kData;
    const auto it = j.find("data");
    if (it == j.end()) return fail(member(path, "data"), "missing");
    const json* value = &*it;
    const json* metadata = optional_member(j, "metadata");
    if (metadata != nullptr && metadata->is_object() && value->is_object() &&
        value->size() == 1 && value->contains("value")) {
      const auto compat = metadata->find("data_part_compat");
      if (compat != metadata->end() && *compat == true) value = &(*value)["value"];
    }
    out->data = value->dump(-1, ' ', false, json::error_handler_t::replace);
    return true;
  }

  // The required `parts` array of object `j`.
  bool parts(const json& j, const std::string& path, std::vector<Part>* out) {
    const std::string parts_path = member(path, "parts");
    const auto it = j.find("parts");
    if (it == j.end()) return fail(parts_path, "missing");
    if (!it->is_array()) return fail(parts_path, "expected an array, got " + describe(*it));
    out->clear();
    out->reserve(it->size());
    for (std::size_t i = 0; i < it->size(); ++i) {
      std::optional<Part> p;
      if (!part((*it)[i], element(parts_path, i), &p)) return false;
      if (p) out->push_back(std::move(*p));
    }
    return true;
  }

  bool role(const json& j, const std::string& path, Role* out) {
    std::string name;
    if (!string_member(j, path, "role", &name)) return false;
    if (name == "user") {
      *out = Role::kUser;
    } else if (name == "agent") {
      *out = Role::kAgent;
    } else {
      return fail(member(path, "role"),
                  "expected \"user\" or \"agent\", got " + describe(json(name)));
    }
    return true;
  }

  bool message(const json& j, const std::string& path, Message* out) {
    if (!object(j, path)) return false;
    if (!kind(j, path, "message")) return false;
    if (!string_member(j, path, "messageId", &out->message_id)) return false;
    if (!role(j, path, &out->role)) return false;
    if (!parts(j, path, &out->parts)) return false;
    if (!optional_string_member(j, path, "contextId", &out->context_id)) return false;
    return optional_string_member(j, path, "taskId", &out->task_id);
  }

  bool artifact(const json& j, const std::string& path, Artifact* out) {
    if (!object(j, path)) return false;
    if (!string_member(j, path, "artifactId", &out->artifact_id)) return false;
    if (!optional_string_member(j, path, "name", &out->name)) return false;
    return parts(j, path, &out->parts);
  }

  // An optional array member of `j` whose elements `decode_one(element, path, T*)` reads.
  template <class T, class F>
  bool optional_array(const json& j, const std::string& path, const char* key, std::vector<T>* out,
                      F decode_one) {
    out->clear();
    const json* value = optional_member(j, key);
    if (value == nullptr) return true;
    const std::string array_path = member(path, key);
    if (!value->is_array()) return fail(array_path, "expected an array, got " + describe(*value));
    out->reserve(value->size());
    for (std::size_t i = 0; i < value->size(); ++i) {
      T item;
      if (!(this->*decode_one)((*value)[i], element(array_path, i), &item)) return false;
      out->push_back(std::move(item));
    }
    return true;
  }

  bool timestamp(const json& j, const std::string& path, Timestamp* out) {
    *out = Timestamp{};
    const json* value = optional_member(j, "timestamp");
    if (value == nullptr) return true;
    const std::string ts_path = member(path, "timestamp");
    if (!value->is_string()) return fail(ts_path, "expected a string, got " + describe(*value));
    const auto& text = value->get_ref<const std::string&>();
    std::string ts_err;
    if (auto t = parse_timestamp(text, &ts_err)) {
      *out = *t;
      return true;
    }
    // §2.3: the spec's own example has no zone; such a time is taken as UTC.
    if (auto t = parse_timestamp(text + "Z", nullptr)) {
      *out = *t;
      return true;
    }
    return fail(ts_path, ts_err);
  }

  bool status(const json& j, const std::string& path, Task* out) {
    const std::string status_path = member(path, "status");
    const auto it = j.find("status");
    if (it == j.end()) return fail(status_path, "missing");
    if (!object(*it, status_path)) return false;

    std::string state;
    if (!string_member(*it, status_path, "state", &state)) return false;
    const auto parsed = state_from_v03(state);
    if (!parsed) {
      return fail(member(status_path, "state"),
                  "expected one of submitted, working, input-required, completed, canceled, "
                  "failed, rejected, auth-required, unknown; got " +
                      describe(json(state)));
    }
    out->state = *parsed;

    out->status_message.reset();
    if (const json* m = optional_member(*it, "message")) {
      Message message;
      if (!this->message(*m, member(status_path, "message"), &message)) return false;
      out->status_message = std::move(message);
    }
    return timestamp(*it, status_path, &out->updated_at);
  }

  bool task(const json& j, const std::string& path, Task* out) {
    if (!object(j, path)) return false;
    if (!kind(j, path, "task")) return false;
    if (!string_member(j, path, "id", &out->id)) return false;
    // Required by the spec, but nothing breaks without it: read a missing one as "".
    if (!optional_string_member(j, path, "contextId", &out->context_id)) return false;
    if (!status(j, path, out)) return false;
    if (!optional_array(j, path, "history", &out->history, &Decoder::message)) return false;
    return optional_array(j, path, "artifacts", &out->artifacts, &Decoder::artifact);
  }

  // An optional non-negative integer `historyLength` of object `j`.
  bool history_length(const json& j, const std::string& path, std::optional<int>* out) {
    out->reset();
    const json* value = optional_member(j, "historyLength");
    if (value == nullptr) return true;
    const std::string hl_path = member(path, "historyLength");
    if (!value->is_number_integer()) {
      return fail(hl_path, "expected an integer, got " + describe(*value));
    }
    if (value->is_number_unsigned()) {
      const auto n = value->get<std::uint64_t>();
      if (n > static_cast<std::uint64_t>(std::numeric_limits<int>::max())) {
        return fail(hl_path, "too large: " + describe(*value));
      }
      *out = static_cast<int>(n);
      return true;
    }
    const auto n = value->get<std::int64_t>();
    if (n < 0) return fail(hl_path, "must not be negative, got " + describe(*value));
    if (n > std::numeric_limits<int>::max()) return fail(hl_path, "too large: " + describe(*value));
    *out = static_cast<int>(n);
    return true;
  }

  bool string_array(const json& j, const std::string& path, const char* key,
                    std::vector<std::string>* out) {
    out->clear();
    const json* value = optional_member(j, key);
    if (value == nullptr) return true;
    const std::string array_path = member(path, key);
    if (!value->is_array()) return fail(array_path, "expected an array, got " + describe(*value));
    for (std::size_t i = 0; i < value->size(); ++i) {
      const json& item = (*value)[i];
      if (!item.is_string()) {
        return fail(element(array_path, i), "expected a string, got " + describe(item));
      }
      out->push_back(item.get<std::string>());
    }
    return true;
  }

  bool configuration(const json& params, SendConfiguration* out) {
    *out = SendConfiguration{};
    const json* c = optional_member(params, "configuration");
    if (c == nullptr) return true;
    const std::string path = "params.configuration";
    if (!object(*c, path)) return false;
    if (const json* blocking = optional_member(*c, "blocking")) {
      if (!blocking->is_boolean()) {
        return fail(member(path, "blocking"), "expected a boolean, got " + describe(*blocking));
      }
      out->blocking = blocking->get<bool>();
    }
    if (!history_length(*c, path, &out->history_length)) return false;
    if (const json* push = optional_member(*c, "pushNotificationConfig"); push && !push->is_null()) {
      out->push = push_config_from_json(Dialect::kV03, *push, member(path, "pushNotificationConfig"),
                                        error_output());
      if (!out->push) return false;
    }
    return string_array(*c, path, "acceptedOutputModes", &out->accepted_output_modes);
  }

};

using detail::guarded;

json part_to_json(const Part& part) {
  switch (part.kind) {
    case PartKind::kText:
      return {{"kind", "text"}, {"text", part.text}};
    case PartKind::kFile: {
      json file = json::object();
      if (!part.filename.empty()) file["name"] = part.filename;
      if (!part.media_type.empty()) file["mimeType"] = part.media_type;
      if (part.uri.empty()) {
        file["bytes"] = base64_encode(part.bytes);
      } else {
        file["uri"] = part.uri;
      }
      return {{"kind", "file"}, {"file", std::move(file)}};
    }
    case PartKind::kData: {
      json value = json::parse(part.data, nullptr, /*allow_exceptions=*/false);
      if (value.is_discarded()) value = nullptr;
      if (value.is_object()) return {{"kind", "data"}, {"data", std::move(value)}};
      // v0.3 data is an object: wrap anything else as the JS SDK does (§5.3).
      return {{"kind", "data"},
              {"data", {{"value", std::move(value)}}},
              {"metadata", {{"data_part_compat", true}}}};
    }
  }
  return {{"kind", "text"}, {"text", part.text}};
}

json parts_to_json(const std::vector<Part>& parts) {
  json out = json::array();
  for (const Part& part : parts) out.push_back(part_to_json(part));
  return out;
}

}  // namespace

const char* error_message(int code) {
  switch (code) {
    case rpc_code::kParseError:
      return "Invalid JSON payload";
    case rpc_code::kInvalidRequest:
      return "Request payload validation error";
    case rpc_code::kMethodNotFound:
      return "Method not found";
    case rpc_code::kInvalidParams:
      return "Invalid parameters";
    case rpc_code::kInternalError:
      return "Internal error";
    case error_code::kTaskNotFound:
      return "Task not found";
    case error_code::kTaskNotCancelable:
      return "Task cannot be canceled";
    case error_code::kPushNotificationNotSupported:
      return "Push Notification is not supported";
    case error_code::kUnsupportedOperation:
      return "This operation is not supported";
    case error_code::kContentTypeNotSupported:
      return "Incompatible content types";
    case error_code::kInvalidAgentResponse:
      return "Invalid agent response";
    case error_code::kAuthenticatedExtendedCardNotConfigured:
      return "Authenticated Extended Card not configured";
    default:
      return "Unknown error";
  }
}

// v0.3 uses exactly our nine kebab names (a2a-wire.md §2.3); the functions exist so the
// dialect's spelling has one place, should ours ever change.
const char* state_to_v03(TaskState state) { return state_name(state); }
std::optional<TaskState> state_from_v03(std::string_view name) { return state_from_name(name); }

json message_to_json(const Message& message) {
  json out{{"kind", "message"},
           {"messageId", message.message_id},
           {"role", role_name(message.role)},
           {"parts", parts_to_json(message.parts)}};
  if (!message.context_id.empty()) out["contextId"] = message.context_id;
  if (!message.task_id.empty()) out["taskId"] = message.task_id;
  return out;
}

std::optional<Message> message_from_json(const json& j, std::string* err) {
  return guarded<Message>(err, [&]() -> std::optional<Message> {
    Message message;
    if (!Decoder(err).message(j, "", &message)) return std::nullopt;
    return message;
  });
}

json artifact_to_json(const Artifact& artifact) {
  json out{{"artifactId", artifact.artifact_id}, {"parts", parts_to_json(artifact.parts)}};
  if (!artifact.name.empty()) out["name"] = artifact.name;
  return out;
}

std::optional<Artifact> artifact_from_json(const json& j, std::string* err) {
  return guarded<Artifact>(err, [&]() -> std::optional<Artifact> {
    Artifact artifact;
    if (!Decoder(err).artifact(j, "", &artifact)) return std::nullopt;
    return artifact;
  });
}

json task_to_json(const Task& task) {
  json status{{"state", state_to_v03(task.state)}};
  if (task.status_message) status["message"] = message_to_json(*task.status_message);
  if (task.updated_at != Timestamp{}) status["timestamp"] = format_timestamp(task.updated_at);

  json out{{"kind", "task"},
           {"id", task.id},
           {"contextId", task.context_id},
           {"status", std::move(status)}};
  if (!task.history.empty()) {
    json history = json::array();
    for (const Message& message : task.history) history.push_back(message_to_json(message));
    out["history"] = std::move(history);
  }
  if (!task.artifacts.empty()) {
    json artifacts = json::array();
    for (const Artifact& artifact : task.artifacts) artifacts.push_back(artifact_to_json(artifact));
    out["artifacts"] = std::move(artifacts);
  }
  return out;
}

std::optional<Task> task_from_json(const json& j, std::string* err) {
  return guarded<Task>(err, [&]() -> std::optional<Task> {
    Task task;
    if (!Decoder(err).task(j, "", &task)) return std::nullopt;
    return task;
  });
}

bool effective_blocking(const SendConfiguration& configuration) {
  return configuration.blocking.value_or(kDefaultBlocking);
}

json send_params_to_json(const SendParams& params) {
  const SendConfiguration& c = params.configuration;
  // acceptedOutputModes is always written, [] included: v0.2-era peers require it.
  json configuration{{"blocking", effective_blocking(c)},
                     {"acceptedOutputModes", c.accepted_output_modes}};
  if (c.history_length) configuration["historyLength"] = *c.history_length;
  if (c.push) configuration["pushNotificationConfig"] = push_config_to_json(Dialect::kV03, *c.push);
  return {{"message", message_to_json(params.message)},
          {"configuration", std::move(configuration)}};
}

std::optional<SendParams> send_params_from_json(const json& params, std::string* err) {
  return guarded<SendParams>(err, [&]() -> std::optional<SendParams> {
    Decoder decoder(err);
    SendParams out;
    if (!decoder.object(params, "params")) return std::nullopt;
    const auto message = params.find("message");
    if (message == params.end()) {
      decoder.fail("params.message", "missing");
      return std::nullopt;
    }
    if (!decoder.message(*message, "params.message", &out.message)) return std::nullopt;
    if (!decoder.optional_object_member(*message, "params.message", "metadata") ||
        !decoder.optional_object_member(params, "params", "metadata")) {
      return std::nullopt;
    }
    if (!decoder.configuration(params, &out.configuration)) return std::nullopt;
    return out;
  });
}

json task_query_params_to_json(const TaskQueryParams& params) {
  json out{{"id", params.id}};
  if (params.history_length) out["historyLength"] = *params.history_length;
  return out;
}

std::optional<TaskQueryParams> task_query_params_from_json(const json& params, std::string* err) {
  return guarded<TaskQueryParams>(err, [&]() -> std::optional<TaskQueryParams> {
    Decoder decoder(err);
    TaskQueryParams out;
    if (!decoder.task_id(params, &out.id)) return std::nullopt;
    if (!decoder.history_length(params, "params", &out.history_length)) return std::nullopt;
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

std::optional<SendResult> send_result_from_json(const json& result, std::string* err) {
  return guarded<SendResult>(err, [&]() -> std::optional<SendResult> {
    Decoder decoder(err);
    if (!decoder.object(result, "result")) return std::nullopt;
    bool is_task = result.contains("status");
    if (const auto kind = result.find("kind"); kind != result.end() && !kind->is_null()) {
      if (*kind != "task" && *kind != "message") {
        decoder.fail("result.kind",
                     "expected \"task\" or \"message\", got " + Decoder::describe(*kind));
        return std::nullopt;
      }
      is_task = *kind == "task";
    }
    if (is_task) {
      Task task;
      if (!decoder.task(result, "result", &task)) return std::nullopt;
      return SendResult(std::move(task));
    }
    Message message;
    if (!decoder.message(result, "result", &message)) return std::nullopt;
    return SendResult(std::move(message));
  });
}

void trim_history(std::vector<Message>* history, std::optional<int> history_length) {
  if (!history_length) return;
  const auto keep = static_cast<std::size_t>(std::max(*history_length, 0));
  if (history->size() <= keep) return;
  history->erase(history->begin(), history->end() - static_cast<std::ptrdiff_t>(keep));
}

}  // namespace constellation::a2a::v03

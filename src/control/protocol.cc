#include "constellation/control/protocol.h"

#include <stdexcept>

#include "constellation/a2a/base64.h"
#include "constellation/a2a/dialect.h"

namespace constellation::control {

using nlohmann::json;

namespace {

json parts_to_json(const std::vector<a2a::Part>& parts) {
  return control::parts_to_json(parts, /*with_bytes=*/false);
}

std::vector<a2a::Part> parts_from_json(const json& j) {
  std::string err;
  auto parts = control::parts_from_json(j, &err);
  if (!parts) throw std::runtime_error(err);
  return std::move(*parts);
}

json message_to_json(const a2a::Message& m) {
  json msg = {{"role", a2a::role_name(m.role)}, {"parts", parts_to_json(m.parts)}};
  if (!m.message_id.empty()) msg["messageId"] = m.message_id;
  return msg;
}

a2a::Message message_from_json(const json& m) {
  a2a::Message msg;
  msg.role = m.at("role").get<std::string>() == "agent" ? a2a::Role::kAgent : a2a::Role::kUser;
  msg.message_id = m.value("messageId", "");
  msg.parts = parts_from_json(m.at("parts"));
  return msg;
}

json history_to_json(const std::vector<a2a::Message>& history) {
  json out = json::array();
  for (const auto& m : history) out.push_back(message_to_json(m));
  return out;
}

std::vector<a2a::Message> history_from_json(const json& j) {
  std::vector<a2a::Message> out;
  for (const auto& m : j) out.push_back(message_from_json(m));
  return out;
}

/// Artifacts and status message: what v0.3/v1.0 peers answer with.
void put_result(const a2a::Task& t, json& j) {
  json artifacts = json::array();
  for (const auto& a : t.artifacts) {
    artifacts.push_back({{"artifactId", a.artifact_id}, {"name", a.name}, {"parts", parts_to_json(a.parts)}});
  }
  j["artifacts"] = std::move(artifacts);
  j["status_message"] = t.status_message ? message_to_json(*t.status_message) : json(nullptr);
}

void get_result(const json& j, a2a::Task& t) {
  if (auto it = j.find("artifacts"); it != j.end() && it->is_array()) {
    for (const auto& a : *it) {
      t.artifacts.push_back(a2a::Artifact{a.value("artifactId", ""), a.value("name", ""),
                                          parts_from_json(a.at("parts"))});
    }
  }
  if (auto it = j.find("status_message"); it != j.end() && it->is_object())
    t.status_message = message_from_json(*it);
}

std::string ts(a2a::Timestamp t) {
  return t == a2a::Timestamp{} ? std::string() : a2a::format_timestamp(t);
}

a2a::Timestamp ts_from(const json& j, const char* key) {
  std::string text = j.value(key, "");
  if (text.empty()) return {};
  std::string err;
  return a2a::parse_timestamp(text, &err).value_or(a2a::Timestamp{});
}

a2a::TaskState state_from(const json& j) {
  return a2a::state_from_name(j.at("state").get<std::string>()).value_or(a2a::TaskState::kUnknown);
}

/// The text of the first user message: what the task was about.
std::string request_text(const a2a::Task& t) {
  for (const auto& m : t.history)
    if (m.role == a2a::Role::kUser) return a2a::message_text(m);
  return {};
}

/// The sender's newest turn: what an inbox entry asks of us now (the first message,
/// unless the sender has since answered a question of ours).
std::string latest_request_text(const a2a::Task& t) {
  for (auto it = t.history.rbegin(); it != t.history.rend(); ++it)
    if (it->role == a2a::Role::kUser) return a2a::message_text(*it);
  return {};
}

template <class F>
auto guarded(F&& f, std::string* err) -> std::optional<decltype(f())> {
  try {
    return f();
  } catch (const std::exception& e) {
    *err = e.what();
    return std::nullopt;
  }
}

}  // namespace

json parts_to_json(const std::vector<a2a::Part>& parts, bool with_bytes) {
  json out = json::array();
  for (const auto& p : parts) {
    switch (p.kind) {
      case a2a::PartKind::kText:
        out.push_back({{"text", p.text}});
        break;
      case a2a::PartKind::kFile: {
        json file{{"kind", "file"}, {"name", p.filename}, {"mediaType", p.media_type}};
        if (!p.uri.empty()) file["uri"] = p.uri;
        if (!p.saved_path.empty()) file["path"] = p.saved_path;
        if (with_bytes && p.uri.empty()) file["bytes"] = a2a::base64_encode(p.bytes);
        out.push_back(std::move(file));
        break;
      }
      case a2a::PartKind::kData: {
        json value = json::parse(p.data, nullptr, /*allow_exceptions=*/false);
        json data{{"kind", "data"}, {"data", value.is_discarded() ? json(nullptr) : std::move(value)}};
        if (!p.media_type.empty()) data["mediaType"] = p.media_type;
        out.push_back(std::move(data));
        break;
      }
    }
  }
  return out;
}

std::optional<std::vector<a2a::Part>> parts_from_json(const json& j, std::string* err) {
  return guarded(
      [&] {
        std::vector<a2a::Part> out;
        for (const auto& p : j) {
          const std::string kind = p.value("kind", "text");
          if (kind == "text") {
            out.push_back(a2a::text_part(p.at("text").get<std::string>()));
          } else if (kind == "file") {
            a2a::Part part = a2a::file_part(p.value("name", ""), p.value("mediaType", ""), "");
            part.uri = p.value("uri", "");
            part.saved_path = p.value("path", "");
            if (p.contains("bytes")) {
              std::string b64_err;
              auto bytes = a2a::base64_decode(p.at("bytes").get<std::string>(), &b64_err);
              if (!bytes) throw std::runtime_error("file part bytes: " + b64_err);
              part.bytes = std::move(*bytes);
            }
            out.push_back(std::move(part));
          } else if (kind == "data") {
            a2a::Part part = a2a::data_part(
                p.at("data").dump(-1, ' ', false, json::error_handler_t::replace));
            part.media_type = p.value("mediaType", "");
            out.push_back(std::move(part));
          } else {
            throw std::runtime_error("unknown part kind \"" + kind + "\"");
          }
        }
        return out;
      },
      err);
}

json peer_to_json(const store::PeerRecord& p) {
  json card = json::parse(p.card_json, nullptr, false);
  if (card.is_discarded()) card = nullptr;
  // What `send` would speak to it; null when its card offers no endpoint.
  std::string ignored;
  const auto endpoint = a2a::choose_endpoint(card, &ignored);
  return {{"name", p.name},
          {"url", p.url},
          {"description", p.description},
          {"skills", p.skills},
          {"sources", p.sources},
          {"online", p.online},
          {"first_seen", ts(p.first_seen)},
          {"last_seen", ts(p.last_seen)},
          {"last_probe", ts(p.last_probe)},
          {"latency_ms", p.latency_ms ? json(*p.latency_ms) : json(nullptr)},
          {"last_error", p.last_error},
          {"probe_url", p.probe_url},
          {"node_id", p.node_id},
          {"key", p.key},
          {"dialect", endpoint ? json(a2a::dialect_name(endpoint->dialect)) : json(nullptr)},
          {"card", card}};
}

std::optional<store::PeerRecord> peer_from_json(const json& j, std::string* err) {
  return guarded(
      [&] {
        store::PeerRecord p;
        p.name = j.at("name").get<std::string>();
        p.url = j.at("url").get<std::string>();
        p.description = j.value("description", "");
        p.skills = j.value("skills", std::vector<std::string>{});
        p.sources = j.value("sources", std::vector<std::string>{});
        p.online = j.value("online", false);
        p.first_seen = ts_from(j, "first_seen");
        p.last_seen = ts_from(j, "last_seen");
        p.last_probe = ts_from(j, "last_probe");
        if (j.contains("latency_ms") && j["latency_ms"].is_number_integer())
          p.latency_ms = j["latency_ms"].get<std::int64_t>();
        p.last_error = j.value("last_error", "");
        p.probe_url = j.value("probe_url", "");
        p.node_id = j.value("node_id", "");
        p.key = j.value("key", "");
        p.card_json = j.contains("card") ? j["card"].dump() : "{}";
        // "dialect" is not read back: it follows from the card.
        return p;
      },
      err);
}

namespace {

/// The one name the inbox shows: who the network says sent it. Tasks stored before
/// callers were recorded (no address) show the sender's claim, as they always did.
std::string inbound_from(const store::InboundTask& t) {
  if (!t.caller.address.empty()) return security::display_name(t.caller);
  if (!t.from_name.empty()) return t.from_name;
  return t.from_url.empty() ? "unknown" : t.from_url;
}

json caller_to_json(const security::Caller& c) {
  return {{"address", c.address}, {"verified", c.verified()}, {"verified_by", c.verified_by},
          {"peer", c.peer},       {"node", c.node},           {"user", c.user},
          {"tags", c.tags}};
}

security::Caller caller_from_json(const json& j) {
  security::Caller c;
  c.address = j.value("address", "");
  c.verified_by = j.value("verified_by", "");
  c.peer = j.value("peer", "");
  c.node = j.value("node", "");
  c.user = j.value("user", "");
  c.tags = j.value("tags", std::vector<std::string>{});
  return c;
}

}  // namespace

json inbound_to_json(const store::InboundTask& t) {
  json j = {{"id", t.task.id},
            {"from", inbound_from(t)},
            {"from_url", t.from_url},
            {"caller", caller_to_json(t.caller)},
            {"claimed", {{"url", t.from_url}, {"name", t.from_name}}},
            {"dialect", t.dialect},
            {"state", a2a::state_name(t.task.state)},
            {"received_at", ts(t.received_at)},
            {"updated_at", ts(t.task.updated_at)},
            {"text", latest_request_text(t.task)},
            {"history", history_to_json(t.task.history)}};
  if (!t.task.context_id.empty()) j["context_id"] = t.task.context_id;
  put_result(t.task, j);
  return j;
}

std::optional<store::InboundTask> inbound_from_json(const json& j, std::string* err) {
  return guarded(
      [&] {
        store::InboundTask t;
        t.task.id = j.at("id").get<std::string>();
        t.task.state = state_from(j);
        t.task.updated_at = ts_from(j, "updated_at");
        t.task.context_id = j.value("context_id", "");
        t.task.history = history_from_json(j.at("history"));
        t.dialect = j.value("dialect", "");
        t.from_url = j.value("from_url", "");
        if (j.contains("claimed")) t.from_name = j["claimed"].value("name", "");
        if (j.contains("caller")) t.caller = caller_from_json(j["caller"]);
        t.received_at = ts_from(j, "received_at");
        get_result(j, t.task);
        return t;
      },
      err);
}

json outbound_to_json(const store::OutboundTask& t) {
  json j = {{"id", t.task.id},
            {"peer", t.peer_name},
            {"peer_url", t.peer_url},
            {"dialect", t.dialect},
            {"state", a2a::state_name(t.task.state)},
            {"created_at", ts(t.created_at)},
            {"updated_at", ts(t.task.updated_at)},
            {"text", request_text(t.task)},
            {"history", history_to_json(t.task.history)},
            {"last_error", t.last_error}};
  if (!t.task.context_id.empty()) j["context_id"] = t.task.context_id;
  if (!t.remote_id.empty()) j["remote_id"] = t.remote_id;
  if (!t.tenant.empty()) j["tenant"] = t.tenant;
  put_result(t.task, j);
  auto answer = a2a::answer_text(t.task);
  j["answer"] = answer ? json(*answer) : json(nullptr);
  return j;
}

std::optional<store::OutboundTask> outbound_from_json(const json& j, std::string* err) {
  return guarded(
      [&] {
        store::OutboundTask t;
        t.task.id = j.at("id").get<std::string>();
        t.task.state = state_from(j);
        t.task.updated_at = ts_from(j, "updated_at");
        t.task.history = history_from_json(j.at("history"));
        t.peer_name = j.value("peer", "");
        t.peer_url = j.value("peer_url", "");
        t.dialect = j.value("dialect", "");
        t.created_at = ts_from(j, "created_at");
        t.last_error = j.value("last_error", "");
        t.task.context_id = j.value("context_id", "");
        t.remote_id = j.value("remote_id", "");
        t.tenant = j.value("tenant", "");
        get_result(j, t.task);
        return t;
      },
      err);
}

json error_to_json(const Error& error) {
  return {{"error", {{"kind", error_kind_name(error.kind)}, {"message", error.message}}}};
}

int http_status_for(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kUsage:
      return 400;
    case ErrorKind::kUnknownPeer:
    case ErrorKind::kUnknownTask:
      return 404;
    case ErrorKind::kTaskNotOpen:
      return 409;
    case ErrorKind::kPeerUnreachable:
    case ErrorKind::kPeerError:
      return 502;
    case ErrorKind::kTimeout:
      return 504;
    default:
      return 500;
  }
}

Error error_from_body(int status, const std::string& body) {
  json j = json::parse(body, nullptr, false);
  if (!j.is_discarded() && j.is_object() && j.contains("error") && j["error"].is_object()) {
    const auto& e = j["error"];
    // json::value throws when the member has another type; read only strings.
    const auto text = [&e](const char* key) {
      const auto it = e.find(key);
      return it != e.end() && it->is_string() ? it->get<std::string>() : std::string();
    };
    return make_error(error_kind_from_name(text("kind")), text("message"));
  }
  return make_error(ErrorKind::kInternal,
                    "daemon answered HTTP " + std::to_string(status) + " without an error body");
}

}  // namespace constellation::control

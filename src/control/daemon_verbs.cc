#include "constellation/control/daemon_verbs.h"

#include "constellation/client/http_client.h"
#include "constellation/control/protocol.h"

namespace constellation::control {

using nlohmann::json;
namespace {
// Control calls are local; anything slower than this means the daemon is wedged.
constexpr std::chrono::milliseconds kCallTimeout{std::chrono::seconds(30)};
constexpr std::chrono::milliseconds kStatusTimeout{std::chrono::seconds(2)};

client::HttpTarget target_for(const std::filesystem::path& socket) {
  client::HttpTarget t;
  t.unix_path = socket.string();
  return t;
}
}  // namespace

std::unique_ptr<DaemonVerbs> DaemonVerbs::connect(const std::filesystem::path& socket) {
  std::error_code ec;
  if (!std::filesystem::exists(socket, ec)) return nullptr;
  client::ClientRequest req;
  req.target = "/v1/status";
  auto res = client::http_call_blocking(target_for(socket), req, kStatusTimeout);
  if (!res || res->status != 200) return nullptr;
  json status = json::parse(res->body, nullptr, false);
  if (status.is_discarded()) return nullptr;
  return std::unique_ptr<DaemonVerbs>(new DaemonVerbs(socket, std::move(status)));
}

Result<json> DaemonVerbs::call(const std::string& method, const std::string& path,
                               const json* body, std::chrono::milliseconds timeout) {
  client::ClientRequest req;
  req.method = method;
  req.target = path;
  if (body) {
    req.content_type = "application/json";
    req.body = body->dump(-1, ' ', false, json::error_handler_t::replace);
  }
  auto res = client::http_call_blocking(target_for(socket_), req, timeout);
  if (!res) {
    return make_error(ErrorKind::kDaemonDown,
                      "lost the daemon on " + socket_.string() + " (" + res.error().message +
                          "); check 'constellation serve' is running and retry");
  }
  if (res->status != 200) return error_from_body(res->status, res->body);
  json j = json::parse(res->body, nullptr, false);
  if (j.is_discarded()) {
    return make_error(ErrorKind::kInternal, "daemon sent unreadable JSON for " + path);
  }
  return j;
}

Result<json> DaemonVerbs::overview() { return call("GET", "/v1/overview", nullptr, kCallTimeout); }

Result<std::vector<store::PeerRecord>> DaemonVerbs::peers() {
  auto j = call("GET", "/v1/peers", nullptr, kCallTimeout);
  if (!j) return j.error();
  std::vector<store::PeerRecord> out;
  std::string err;
  for (const auto& p : (*j).value("peers", json::array())) {
    auto peer = peer_from_json(p, &err);
    if (!peer) return make_error(ErrorKind::kInternal, "daemon sent a bad peer: " + err);
    out.push_back(std::move(*peer));
  }
  return out;
}

namespace {

/// The `task_id` of a send's reply.
Result<std::string> task_id_of(const Result<json>& j) {
  if (!j) return j.error();
  if (!j->contains("task_id") || !(*j)["task_id"].is_string()) {
    return make_error(ErrorKind::kInternal, "daemon reply to send has no task_id");
  }
  return (*j)["task_id"].get<std::string>();
}

/// The `task` member of a reply, decoded with `decode` (inbound or outbound).
template <class T>
Result<T> task_of(const Result<json>& j,
                  std::optional<T> (*decode)(const json&, std::string*)) {
  if (!j) return j.error();
  std::string err;
  auto task = decode(j->value("task", json::object()), &err);
  if (!task) return make_error(ErrorKind::kInternal, "daemon sent a bad task: " + err);
  return std::move(*task);
}

}  // namespace

/// Attachments ride along only when there are some, so an older daemon still takes a
/// plain send; one that would ignore them (its status lacks "attachments") is refused.
Status DaemonVerbs::put_parts(json& body, const std::vector<a2a::Part>& attachments) const {
  if (attachments.empty()) return Ok{};
  if (!status_.value("attachments", false)) {
    return make_error(ErrorKind::kDaemonDown,
                      "the running daemon predates file and data attachments and would drop "
                      "them; restart it ('constellation serve') and run this again");
  }
  body["parts"] = parts_to_json(attachments, /*with_bytes=*/true);
  return Ok{};
}

Result<std::string> DaemonVerbs::send(const std::string& peer, const std::string& text,
                                      const std::vector<a2a::Part>& attachments) {
  json body = {{"peer", peer}, {"text", text}};
  if (auto st = put_parts(body, attachments); !st) return st.error();
  return task_id_of(call("POST", "/v1/send", &body, kCallTimeout));
}

Result<store::OutboundTask> DaemonVerbs::wait(const std::string& id,
                                              std::chrono::milliseconds timeout) {
  json body = {{"id", id}, {"timeout_ms", timeout.count()}};
  return task_of(call("POST", "/v1/wait", &body, timeout + kCallTimeout), &outbound_from_json);
}

Result<std::vector<store::InboundTask>> DaemonVerbs::inbox() {
  auto j = call("GET", "/v1/inbox", nullptr, kCallTimeout);
  if (!j) return j.error();
  std::vector<store::InboundTask> out;
  std::string err;
  for (const auto& t : j->value("tasks", json::array())) {
    auto task = inbound_from_json(t, &err);
    if (!task) return make_error(ErrorKind::kInternal, "daemon sent a bad task: " + err);
    out.push_back(std::move(*task));
  }
  return out;
}

Result<store::InboundTask> DaemonVerbs::respond(const std::string& id, const std::string& text,
                                                bool failed,
                                                const std::vector<a2a::Part>& attachments) {
  json body = {{"id", id}, {"text", text}, {"failed", failed}};
  if (auto st = put_parts(body, attachments); !st) return st.error();
  return task_of(call("POST", "/v1/respond", &body, kCallTimeout), &inbound_from_json);
}

Result<std::string> DaemonVerbs::send_turn(const std::string& id, const std::string& text,
                                           const std::vector<a2a::Part>& attachments) {
  json body = {{"task", id}, {"text", text}};
  if (auto st = put_parts(body, attachments); !st) return st.error();
  return task_id_of(call("POST", "/v1/send", &body, kCallTimeout));
}

Result<store::InboundTask> DaemonVerbs::ask(const std::string& id, const std::string& question) {
  json body = {{"id", id}, {"text", question}, {"ask", true}};
  return task_of(call("POST", "/v1/respond", &body, kCallTimeout), &inbound_from_json);
}

Result<store::OutboundTask> DaemonVerbs::cancel(const std::string& id) {
  json body = {{"id", id}};
  return task_of(call("POST", "/v1/cancel", &body, kCallTimeout), &outbound_from_json);
}

}  // namespace constellation::control

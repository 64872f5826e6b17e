#include "constellation/client/a2a_client.h"

#include <array>

#include <nlohmann/json.hpp>

#include "constellation/a2a/jsonrpc.h"
#include "constellation/a2a/v10.h"
#include "constellation/client/http_client.h"

namespace constellation::client {

using boost::asio::awaitable;
using nlohmann::json;

namespace {

constexpr std::array<const char*, 2> kCardPaths{"/.well-known/agent-card.json",
                                                "/.well-known/agent.json"};

std::string join_url(const std::string& base, const std::string& path) {
  std::string b = base;
  while (!b.empty() && b.back() == '/') b.pop_back();
  return b + path;
}

awaitable<Result<ClientResponse>> get(std::string url, std::chrono::milliseconds timeout) {
  std::string err;
  auto parsed = parse_http_url(url, &err);
  if (!parsed) co_return make_error(ErrorKind::kPeerError, err);
  ClientRequest req;
  req.target = parsed->path;
  req.headers.emplace_back("Accept", "application/json");
  // §4.5: servers that shape the card by version show a v1.0 client their 1.0 interfaces.
  req.headers.emplace_back(a2a::v10::kVersionHeader, a2a::v10::kVersion);
  co_return co_await http_call(parsed->target, std::move(req), timeout);
}

ErrorKind kind_of_rpc_error(int code) {
  switch (code) {
    case a2a::rpc_code::kTaskNotFound:
      return ErrorKind::kUnknownTask;
    case a2a::rpc_code::kTaskNotCancelable:
      return ErrorKind::kTaskNotOpen;
    default:
      return ErrorKind::kPeerError;
  }
}

/// The `result` of a JSON-RPC reply, or what was wrong with it.
Result<json> read_reply(const a2a::PeerEndpoint& endpoint, const std::string& method,
                        const ClientResponse& res) {
  const std::string what = method + " to " + endpoint.url;
  std::string err;
  // JSON-RPC errors may come with any status; read the body whatever it says.
  auto reply = a2a::decode_response(res.body, &err);
  if (!reply) {
    return make_error(ErrorKind::kPeerError,
                      what + ": HTTP " + std::to_string(res.status) + " with no JSON-RPC reply (" +
                          err +
                          "); the peer's card may be out of date: check it with "
                          "'constellation peers --json'");
  }
  if (reply->error) {
    const auto& e = *reply->error;
    return make_error(kind_of_rpc_error(e.code), what + " failed: " + e.message + " (code " +
                                                     std::to_string(e.code) + "); " +
                                                     rpc_error_hint(endpoint.dialect, e.code));
  }
  return std::move(*reply->result);
}

/// One JSON-RPC call to `endpoint`; returns the `result` member or a classified error.
// Parameters by value: a coroutine must not hold references to its caller's temporaries.
awaitable<Result<json>> rpc_call(a2a::PeerEndpoint endpoint, RpcCall call,
                                 std::chrono::milliseconds timeout) {
  std::string err;
  auto parsed = parse_http_url(endpoint.url, &err);
  if (!parsed) {
    co_return make_error(ErrorKind::kPeerError,
                         call.method + " to " + endpoint.url +
                             ": the peer's card names an endpoint we cannot use (" + err + ")");
  }
  ClientRequest req;
  req.method = "POST";
  req.target = parsed->path;
  req.content_type = "application/json";
  req.headers = std::move(call.headers);
  req.headers.emplace_back("Accept", "application/json");
  req.body = a2a::encode_request(a2a::new_uuid(), call.method, call.params);
  auto res = co_await http_call(parsed->target, std::move(req), timeout);
  if (!res) co_return res.error();
  co_return read_reply(endpoint, call.method, *res);
}

Error unreadable(const std::string& method, const a2a::PeerEndpoint& endpoint,
                 const std::string& err) {
  return make_error(ErrorKind::kPeerError, method + " to " + endpoint.url + ": unreadable reply (" +
                                               err + "); the peer does not answer as an A2A " +
                                               a2a::dialect_name(endpoint.dialect) +
                                               " agent should");
}

/// get and cancel: one call whose result is a bare Task.
awaitable<Result<a2a::Task>> task_call(a2a::PeerEndpoint endpoint, RpcCall call,
                                       std::chrono::milliseconds timeout) {
  const std::string method = call.method;
  auto result = co_await rpc_call(endpoint, std::move(call), timeout);
  if (!result) co_return result.error();
  std::string err;
  auto task = task_from_json(endpoint.dialect, *result, &err);
  if (!task) co_return unreadable(method, endpoint, err);
  co_return std::move(*task);
}

}  // namespace

awaitable<Result<FetchedCard>> fetch_card(std::string base_url, std::chrono::milliseconds timeout) {
  std::string last_problem;
  // One deadline for both paths: a slow host costs one timeout, not two.
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (std::size_t i = 0; i < std::size(kCardPaths); ++i) {
    const std::string url = join_url(base_url, kCardPaths[i]);
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left <= std::chrono::milliseconds(0)) {
      co_return make_error(
          ErrorKind::kPeerUnreachable,
          base_url + ": no card within " + std::to_string(timeout.count()) + " ms");
    }
    auto res = co_await get(url, left);
    if (!res) co_return res.error();  // unreachable: trying the other path will not help
    if (res->status != 200) {
      last_problem = url + ": HTTP " + std::to_string(res->status);
      continue;
    }
    std::string err;
    auto card = a2a::parse_card(res->body, &err);
    if (!card) {
      last_problem = url + ": not an agent card (" + err + ")";
      continue;
    }
    co_return FetchedCard{std::move(*card), std::move(res->body), url};
  }
  co_return make_error(ErrorKind::kPeerError, "no agent card at " + base_url + ": " + last_problem);
}

awaitable<Result<SendReply>> send_task(a2a::PeerEndpoint endpoint, NewTask task,
                                       std::chrono::milliseconds timeout) {
  RpcCall call = send_call(endpoint, task);
  const std::string method = call.method;
  auto result = co_await rpc_call(endpoint, std::move(call), timeout);
  if (!result) co_return result.error();
  std::string err;
  auto reply = send_reply_from_json(endpoint.dialect, *result, &err);
  if (!reply) co_return unreadable(method, endpoint, err);
  co_return std::move(*reply);
}

awaitable<Result<a2a::Task>> get_task(a2a::PeerEndpoint endpoint, std::string task_id,
                                      std::chrono::milliseconds timeout) {
  RpcCall call = get_call(endpoint, task_id);
  co_return co_await task_call(std::move(endpoint), std::move(call), timeout);
}

TaskEventStream::TaskEventStream(a2a::PeerEndpoint endpoint, std::string method,
                                 std::unique_ptr<BodyStream> body)
    : endpoint_(std::move(endpoint)), method_(std::move(method)), body_(std::move(body)) {}

TaskEventStream::~TaskEventStream() = default;

awaitable<Result<std::optional<a2a::StreamEvent>>> TaskEventStream::next(
    std::chrono::milliseconds idle) {
  const std::string what = method_ + " stream from " + endpoint_.url;
  while (pending_.empty()) {
    auto bytes = co_await body_->next(idle);
    if (!bytes) co_return bytes.error();
    if (!*bytes) co_return std::optional<a2a::StreamEvent>();
    std::vector<a2a::SseEvent> events;
    std::string err;
    if (!parser_.feed(**bytes, &events, &err)) {
      co_return make_error(ErrorKind::kPeerError, what + ": " + err);
    }
    for (auto& e : events) pending_.push_back(std::move(e));
  }
  a2a::SseEvent sse = std::move(pending_.front());
  pending_.pop_front();
  std::string err;
  auto reply = a2a::decode_response(sse.data, &err);
  if (!reply) co_return make_error(ErrorKind::kPeerError, what + ": event is no JSON-RPC reply (" + err + ")");
  if (reply->error) {
    refused_ = true;
    co_return make_error(ErrorKind::kPeerError, what + ": error event: " + reply->error->message +
                                                    " (code " + std::to_string(reply->error->code) + ")");
  }
  if (sse.event != "message") {
    co_return make_error(ErrorKind::kPeerError, what + ": unexpected \"" + sse.event + "\" event");
  }
  auto event = a2a::stream_event_from_json(endpoint_.dialect, *reply->result, &err);
  if (!event) co_return unreadable(method_, endpoint_, err);
  co_return std::optional<a2a::StreamEvent>(std::move(*event));
}

awaitable<Result<Subscription>> subscribe_task(a2a::PeerEndpoint endpoint, std::string task_id,
                                               std::chrono::milliseconds timeout) {
  auto call = subscribe_call(endpoint, task_id);
  if (!call) {
    co_return make_error(ErrorKind::kPeerError,
                         "the peer at " + endpoint.url +
                             " speaks the original Constellation dialect, which has no streams");
  }
  std::string err;
  auto parsed = parse_http_url(endpoint.url, &err);
  if (!parsed) {
    co_return make_error(ErrorKind::kPeerError,
                         call->method + " to " + endpoint.url +
                             ": the peer's card names an endpoint we cannot use (" + err + ")");
  }
  ClientRequest req;
  req.method = "POST";
  req.target = parsed->path;
  req.content_type = "application/json";
  req.headers = std::move(call->headers);
  req.headers.emplace_back("Accept", "text/event-stream");
  req.body = a2a::encode_request(a2a::new_uuid(), call->method, call->params);
  auto opened = co_await open_stream(parsed->target, std::move(req), timeout);
  if (!opened) co_return opened.error();
  auto& body = *opened;
  const std::string media = body->content_type().substr(0, body->content_type().find(';'));
  if (body->status() == 200 && media == "text/event-stream") {
    Subscription out;
    out.events = std::make_unique<TaskEventStream>(endpoint, call->method, std::move(body));
    co_return out;
  }
  // Not a stream: a JSON-RPC error before streaming started, or a server without streams.
  auto text = co_await body->rest(timeout);
  Subscription out;
  out.refusal = call->method + " to " + endpoint.url + ": HTTP " + std::to_string(body->status()) +
                " " + (body->content_type().empty() ? "(no content type)" : body->content_type());
  if (text) {
    std::string why;
    if (auto reply = a2a::decode_response(*text, &why); reply && reply->error) {
      out.refusal_code = reply->error->code;
      out.refusal = call->method + " to " + endpoint.url + " refused: " + reply->error->message +
                    " (code " + std::to_string(reply->error->code) + ")";
    }
  }
  co_return out;
}

awaitable<Result<a2a::Task>> cancel_task(a2a::PeerEndpoint endpoint, std::string task_id,
                                         std::chrono::milliseconds timeout) {
  auto call = cancel_call(endpoint, task_id);
  if (!call) {
    co_return make_error(ErrorKind::kPeerError,
                         "the peer at " + endpoint.url +
                             " speaks the original Constellation dialect, which does not support "
                             "cancel; ask its owner to drop the task instead");
  }
  co_return co_await task_call(std::move(endpoint), std::move(*call), timeout);
}

}  // namespace constellation::client

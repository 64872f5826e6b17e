#include "constellation/server/a2a_handler.h"

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <memory>

#include "constellation/a2a/jsonrpc.h"
#include "constellation/a2a/push.h"
#include "constellation/security/bearer_token.h"
#include "constellation/util/run_blocking.h"

namespace constellation::server {

A2aRoute route_a2a(const std::string& method, std::string_view path) {
  const bool card = path == "/.well-known/agent.json" || path == "/.well-known/agent-card.json";
  if (card) return method == "GET" || method == "HEAD" ? A2aRoute::kCard : A2aRoute::kMethodNotAllowed;
  if (path == "/") return method == "POST" ? A2aRoute::kRpc : A2aRoute::kMethodNotAllowed;
  if (path == a2a::kPushCallbackPath) return method == "POST" ? A2aRoute::kPush : A2aRoute::kMethodNotAllowed;
  return A2aRoute::kNotFound;
}

std::string card_etag(std::string_view card_json) {
  std::uint64_t hash = 14695981039346656037ull;
  for (const unsigned char c : card_json) {
    hash ^= c;
    hash *= 1099511628211ull;
  }
  char text[24];
  std::snprintf(text, sizeof text, "\"%016llx\"", static_cast<unsigned long long>(hash));
  return text;
}

bool if_none_match(std::string_view header_value, std::string_view etag) {
  auto opaque = [](std::string_view tag) {
    if (tag.starts_with("W/")) tag.remove_prefix(2);
    return tag;
  };
  while (!header_value.empty()) {
    const auto comma = header_value.find(',');
    std::string_view item = header_value.substr(0, comma);
    header_value = comma == std::string_view::npos ? std::string_view{} : header_value.substr(comma + 1);
    while (!item.empty() && (item.front() == ' ' || item.front() == '\t')) item.remove_prefix(1);
    while (!item.empty() && (item.back() == ' ' || item.back() == '\t')) item.remove_suffix(1);
    if (item == "*" || (!item.empty() && opaque(item) == opaque(etag))) return true;
  }
  return false;
}

namespace {

/// The reply of a blocking send: re-read after every change of its task until the task
/// settles; at the time limit or at shutdown, the task as it stands.
boost::asio::awaitable<std::string> hold_until_settled(std::shared_ptr<A2aHandlerDeps> deps,
                                                       RpcOutcome outcome) {
  const auto deadline = std::chrono::steady_clock::now() + deps->blocking_timeout;
  // Watch first, read second: a respond between the two cannot be missed.
  auto watch = deps->watch_task(outcome.hold->task_id, co_await boost::asio::this_coro::executor);
  for (;;) {
    const bool final = std::chrono::steady_clock::now() >= deadline || watch->closed();
    auto check = [deps, hold = *outcome.hold, first = outcome.body, final] {
      return deps->rpc->settle(hold, first, final);
    };
    auto reply = co_await run_blocking(deps->blocking, std::move(check));
    if (reply) co_return std::move(*reply);
    co_await watch->wait_until(deadline);
  }
}

/// A refusal both plain HTTP clients and JSON-RPC clients can read: the status says
/// it, and the body is a JSON-RPC error (id null: the request was not read).
HttpResponse refusal(int status, const std::string& message) {
  HttpResponse r = json_response(
      status, a2a::encode_error(nullptr, a2a::rpc_code::kInvalidRequest, message));
  if (status == 401) r.headers.emplace_back("WWW-Authenticate", "Bearer");
  return r;
}

}  // namespace

HttpResponse a2a_refusal(const LimitRefusal& refusal) {
  const std::string_view target = refusal.target;
  if (refusal.method != "POST" || target.substr(0, target.find('?')) != "/") {
    return plain_refusal(refusal);
  }
  return json_response(refusal.status,
                       a2a::encode_error(nullptr, a2a::rpc_code::kInvalidRequest, refusal.message));
}

void A2aLiveSettings::set(std::string card_json, security::Allowlist allow) {
  auto policy = std::make_shared<A2aPolicy>();
  policy->etag = card_etag(card_json);
  policy->card_json = std::move(card_json);
  policy->allow = std::move(allow);
  std::lock_guard lock(mutex_);
  policy_ = std::move(policy);
}

HttpHandler make_a2a_handler(A2aHandlerDeps deps) {
  if (!deps.live) {
    deps.live = std::make_shared<A2aLiveSettings>(std::move(deps.card_json), std::move(deps.allow));
  }
  auto shared = std::make_shared<A2aHandlerDeps>(std::move(deps));
  auto streams = std::make_shared<StreamCounter>();
  return [shared, streams](HttpRequest req) -> boost::asio::awaitable<HttpResponse> {
    const std::shared_ptr<const A2aPolicy> policy = shared->live->get();
    const A2aRoute route = route_a2a(req.method, req.path());
    security::Caller caller = security::unverified_caller(req.remote_address);
    // The card is public (discovery announces it anyway) and the error pages say
    // nothing: only calls are identified and checked.
    const bool rpc = route == A2aRoute::kRpc;
    const bool guarded = rpc || route == A2aRoute::kPush;
    if (guarded && shared->identify) caller = co_await shared->identify(req.remote_address);
    if (guarded && !policy->allow.allows(caller)) {
      if (shared->on_refused) shared->on_refused(caller, 403);
      co_return refusal(403, "Forbidden: this agent does not take calls from " +
                                 security::display_name(caller) +
                                 "; its owner can add you to [security] allow in its config.toml");
    }
    if (rpc && !shared->bearer_token.empty() &&
        !security::bearer_matches(req.header("authorization"), shared->bearer_token)) {
      if (shared->on_refused) shared->on_refused(caller, 401);
      co_return refusal(401, req.header("authorization").empty()
                                 ? "Unauthorized: this agent needs a bearer token (see its card's "
                                   "securitySchemes); set [security] token_file to the mesh's token"
                                 : "Unauthorized: wrong bearer token; check that [security] "
                                   "token_file holds the same token on both agents");
    }
    switch (route) {
      case A2aRoute::kCard: {
        const bool unchanged = if_none_match(req.header("if-none-match"), policy->etag);
        HttpResponse r =
            unchanged ? HttpResponse{304, "", "", {}} : json_response(200, policy->card_json);
        r.headers.emplace_back("Cache-Control", "public, max-age=60");
        r.headers.emplace_back("ETag", policy->etag);
        co_return r;
      }
      case A2aRoute::kMethodNotAllowed: {
        HttpResponse r = text_response(405, "method not allowed\n");
        const bool post_only = req.path() == "/" || req.path() == a2a::kPushCallbackPath;
        r.headers.emplace_back("Allow", post_only ? "POST" : "GET, HEAD");
        co_return r;
      }
      case A2aRoute::kNotFound:
        co_return text_response(404, "not found\n");
      case A2aRoute::kPush: {
        if (!shared->on_push) co_return text_response(404, "not found\n");
        auto job = [shared, &req] { return shared->on_push(req); };
        co_return co_await run_blocking(shared->blocking, std::move(job));
      }
      case A2aRoute::kRpc:
        break;
    }
    auto job = [shared, &req, &caller] {
      auto o = shared->rpc->handle(req.body, req, caller);
      if (o.new_task_id && shared->on_new_task) shared->on_new_task(*o.new_task_id);
      if (o.changed_task_id && shared->on_task_changed) shared->on_task_changed(*o.changed_task_id);
      return o;
    };
    auto outcome = co_await run_blocking(shared->blocking, std::move(job));
    if (outcome.stream && shared->watch_task) {
      TaskStreamDeps stream_deps{shared->rpc, shared->blocking, shared->watch_task,
                                 shared->stream_keepalive, streams};
      StreamProducer producer = [stream_deps, plan = std::move(*outcome.stream)](StreamWriter& w) {
        return stream_task(stream_deps, plan, w);
      };
      co_return sse_response(std::move(producer));
    }
    if (outcome.stream) {
      // No way to watch tasks (a handler built without one): nothing could be streamed.
      co_return json_response(
          200, outcome.stream->render_error(A2aError{a2a::rpc_code::kUnsupportedOperation,
                                                     "Streaming is not available here"}));
    }
    if (outcome.hold && shared->watch_task) {
      co_return json_response(200, co_await hold_until_settled(shared, std::move(outcome)));
    }
    // JSON-RPC errors travel with HTTP 200: some clients never read a non-2xx body.
    co_return json_response(200, std::move(outcome.body));
  };
}

}  // namespace constellation::server

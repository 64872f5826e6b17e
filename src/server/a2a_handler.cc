#include "constellation/server/a2a_handler.h"

#include <memory>

#include "constellation/util/run_blocking.h"

namespace constellation::server {

A2aRoute route_a2a(const std::string& method, std::string_view path) {
  const bool card = path == "/.well-known/agent.json" || path == "/.well-known/agent-card.json";
  if (card) return method == "GET" || method == "HEAD" ? A2aRoute::kCard : A2aRoute::kMethodNotAllowed;
  if (path == "/") return method == "POST" ? A2aRoute::kRpc : A2aRoute::kMethodNotAllowed;
  return A2aRoute::kNotFound;
}

HttpHandler make_a2a_handler(A2aHandlerDeps deps) {
  auto shared = std::make_shared<A2aHandlerDeps>(std::move(deps));
  return [shared](HttpRequest req) -> boost::asio::awaitable<HttpResponse> {
    switch (route_a2a(req.method, req.path())) {
      case A2aRoute::kCard: {
        HttpResponse r = json_response(200, shared->card_json);
        r.headers.emplace_back("Cache-Control", "public, max-age=60");
        co_return r;
      }
      case A2aRoute::kMethodNotAllowed: {
        HttpResponse r = text_response(405, "method not allowed\n");
        r.headers.emplace_back("Allow", req.path() == "/" ? "POST" : "GET, HEAD");
        co_return r;
      }
      case A2aRoute::kNotFound:
        co_return text_response(404, "not found\n");
      case A2aRoute::kRpc:
        break;
    }
    auto job = [shared, &req] {
      auto o = shared->rpc->handle(req.body, req);
      if (o.new_task_id && shared->on_new_task) shared->on_new_task(*o.new_task_id);
      return o;
    };
    auto outcome = co_await run_blocking(shared->blocking, std::move(job));
    // JSON-RPC errors travel with HTTP 200: some clients never read a non-2xx body.
    co_return json_response(200, std::move(outcome.body));
  };
}

}  // namespace constellation::server

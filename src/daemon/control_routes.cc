#include "constellation/daemon/control_routes.h"

#include <memory>

#include "constellation/control/protocol.h"
#include "constellation/node/overview.h"
#include "constellation/util/run_blocking.h"

namespace constellation::daemon {

namespace asio = boost::asio;
using nlohmann::json;
using server::HttpRequest;
using server::HttpResponse;

namespace {

HttpResponse ok(const json& body) {
  return server::json_response(200, body.dump(-1, ' ', false, json::error_handler_t::replace));
}

HttpResponse fail(const Error& e) {
  return server::json_response(control::http_status_for(e.kind), control::error_to_json(e).dump(
                                                                     -1, ' ', false,
                                                                     json::error_handler_t::replace));
}

/// The JSON body with the given string members present, or a usage error.
Result<json> parse_body(const HttpRequest& req, std::initializer_list<const char*> required) {
  json j = json::parse(req.body, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    return make_error(ErrorKind::kUsage, "control request body is not a JSON object");
  }
  for (const char* key : required) {
    if (!j.contains(key) || !j[key].is_string()) {
      return make_error(ErrorKind::kUsage, std::string("control request lacks string \"") + key + "\"");
    }
  }
  return j;
}

/// The attachments of a send or respond body ("parts"), none when absent.
Result<std::vector<a2a::Part>> body_parts(const json& body) {
  const auto it = body.find("parts");
  if (it == body.end() || it->is_null()) return std::vector<a2a::Part>{};
  std::string err = "not an array";
  auto parts = it->is_array() ? control::parts_from_json(*it, &err) : std::nullopt;
  if (!parts) return make_error(ErrorKind::kUsage, "control request has unreadable parts: " + err);
  return std::move(*parts);
}

asio::awaitable<HttpResponse> handle_wait(std::shared_ptr<ControlDeps> d, const HttpRequest& req) {
  auto body = parse_body(req, {"id"});
  if (!body) co_return fail(body.error());
  const std::string id = (*body)["id"].get<std::string>();
  const auto timeout = std::chrono::milliseconds(body->value("timeout_ms", 60000LL));
  const auto deadline = std::chrono::steady_clock::now() + timeout;

  auto ticket = d->waiters->enter(id, co_await asio::this_coro::executor);
  for (;;) {
    auto job = [d, id] {
      auto task = d->node->outbound(id);
      // The answer's files are saved before the verb hears of them.
      if (task && (a2a::is_terminal(task->task.state) || a2a::needs_input(task->task.state))) {
        if (auto st = d->node->save_received(task->task, /*inbound=*/false); !st) {
          return Result<store::OutboundTask>(st.error());
        }
      }
      return task;
    };
    auto task = co_await run_blocking(d->blocking, std::move(job));
    if (!task) co_return fail(task.error());
    if (a2a::is_terminal(task->task.state) || a2a::needs_input(task->task.state)) {
      co_return ok({{"task", control::outbound_to_json(*task)}});
    }
    d->tracker->track(*task);  // no-op when already followed
    if (d->stopping->load()) {
      co_return fail(make_error(ErrorKind::kDaemonDown,
                                "the daemon is shutting down; run 'constellation wait " + id +
                                    "' again once 'constellation serve' is back"));
    }
    if (!co_await ticket->wait_until(deadline)) {
      co_return fail(node::wait_timeout_error(id, timeout));
    }
  }
}

}  // namespace

server::HttpHandler make_control_handler(ControlDeps deps) {
  auto d = std::make_shared<ControlDeps>(std::move(deps));
  return [d](HttpRequest req) -> asio::awaitable<HttpResponse> {
    const auto path = req.path();
    if (req.method == "GET" && path == "/v1/status") co_return ok(d->status);

    if (req.method == "GET" && path == "/v1/overview" && d->live_status && d->db) {
      json body = d->live_status();
      auto job = [d] { return node::store_overview(*d->db); };
      auto counts = co_await run_blocking(d->blocking, std::move(job));
      if (!counts) co_return fail(counts.error());
      body.update(node::overview_to_json(*counts));
      co_return ok(body);
    }

    if (req.method == "GET" && path == "/v1/peers") {
      auto job = [d] { return d->node->peers(); };
      auto peers = co_await run_blocking(d->blocking, std::move(job));
      if (!peers) co_return fail(peers.error());
      json list = json::array();
      for (const auto& p : *peers) list.push_back(control::peer_to_json(p));
      co_return ok({{"peers", list}});
    }

    if (req.method == "GET" && path == "/v1/inbox") {
      auto job = [d] { return d->node->inbox(); };
      auto tasks = co_await run_blocking(d->blocking, std::move(job));
      if (!tasks) co_return fail(tasks.error());
      json list = json::array();
      for (const auto& t : *tasks) list.push_back(control::inbound_to_json(t));
      co_return ok({{"tasks", list}});
    }

    if (req.method == "POST" && path == "/v1/send") {
      // {"peer","text"} starts a task; {"task","text"} is a further turn in one.
      auto body = parse_body(req, {"text"});
      if (body && body->contains("task")) body = parse_body(req, {"task", "text"});
      else if (body) body = parse_body(req, {"peer", "text"});
      if (!body) co_return fail(body.error());
      auto parts = body_parts(*body);
      if (!parts) co_return fail(parts.error());
      if (body->contains("task")) {
        auto id = (*body)["task"].get<std::string>();
        auto text = (*body)["text"].get<std::string>();
        auto job = [d, id, text, attachments = std::move(*parts)] {
          auto sent = d->node->send_turn(id, text, attachments);
          if (!sent) return Result<store::OutboundTask>(sent.error());
          return d->node->outbound(*sent);
        };
        auto sent = co_await run_blocking(d->blocking, std::move(job));
        if (!sent) co_return fail(sent.error());
        d->tracker->track(*sent);
        co_return ok({{"task_id", sent->task.id}});
      }
      auto peer = (*body)["peer"].get<std::string>();
      auto text = (*body)["text"].get<std::string>();
      auto job = [d, peer, text, attachments = std::move(*parts)] {
        auto id = d->node->send(peer, text, attachments);
        if (!id) return Result<store::OutboundTask>(id.error());
        return d->node->outbound(*id);
      };
      auto sent = co_await run_blocking(d->blocking, std::move(job));
      if (!sent) co_return fail(sent.error());
      d->tracker->track(*sent);
      co_return ok({{"task_id", sent->task.id}});
    }

    if (req.method == "POST" && path == "/v1/wait") co_return co_await handle_wait(d, req);

    if (req.method == "POST" && path == "/v1/cancel") {
      auto body = parse_body(req, {"id"});
      if (!body) co_return fail(body.error());
      auto id = (*body)["id"].get<std::string>();
      auto job = [d, id] { return d->node->cancel(id); };
      auto canceled = co_await run_blocking(d->blocking, std::move(job));
      if (!canceled) co_return fail(canceled.error());
      d->waiters->notify(id);  // a `wait` on it ends now, with the canceled state
      co_return ok({{"task", control::outbound_to_json(*canceled)}});
    }

    if (req.method == "POST" && path == "/v1/respond") {
      auto body = parse_body(req, {"id", "text"});
      if (!body) co_return fail(body.error());
      auto id = (*body)["id"].get<std::string>();
      auto text = (*body)["text"].get<std::string>();
      bool failed = body->value("failed", false);
      bool ask = body->value("ask", false);
      auto parts = body_parts(*body);
      if (!parts) co_return fail(parts.error());
      auto job = [d, id, text, failed, ask, attachments = std::move(*parts)] {
        return ask ? d->node->ask(id, text) : d->node->respond(id, text, failed, attachments);
      };
      auto done = co_await run_blocking(d->blocking, std::move(job));
      if (!done) co_return fail(done.error());
      if (d->inbound_waiters) d->inbound_waiters->notify(id);
      if (d->pusher) d->pusher->kick(id);
      co_return ok({{"task", control::inbound_to_json(*done)}});
    }

    co_return fail(make_error(ErrorKind::kUsage, "no control route " + req.method + " " +
                                                     std::string(path) +
                                                     "; is the daemon older than this CLI?"));
  };
}

}  // namespace constellation::daemon

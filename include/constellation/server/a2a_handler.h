#pragma once
/// The public A2A endpoint: the agent card and JSON-RPC on one port.

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include <boost/asio/any_io_executor.hpp>

#include "constellation/security/allowlist.h"
#include "constellation/security/caller.h"
#include "constellation/server/http_message.h"
#include "constellation/server/rpc_service.h"
#include "constellation/server/task_stream.h"
#include "constellation/server/task_watch.h"

namespace constellation::server {

/// What a config reload (SIGHUP) may change while the server runs: the card and the
/// allowlist. Each request reads one snapshot, so it never sees half of a reload.
struct A2aPolicy {
  std::string card_json;
  std::string etag;  ///< card_etag(card_json)
  security::Allowlist allow;
};

class A2aLiveSettings {
 public:
  A2aLiveSettings(std::string card_json, security::Allowlist allow) {
    set(std::move(card_json), std::move(allow));
  }
  std::shared_ptr<const A2aPolicy> get() const {
    std::lock_guard lock(mutex_);
    return policy_;
  }
  /// Any thread; requests already running keep the snapshot they took.
  void set(std::string card_json, security::Allowlist allow);

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<const A2aPolicy> policy_;
};

struct A2aHandlerDeps {
  std::string card_json;                ///< served at both well-known paths
  RpcService* rpc = nullptr;            ///< runs on `blocking`
  boost::asio::any_io_executor blocking;  ///< thread pool for store work
  /// Called (on the blocking pool) after a new inbound task is committed.
  std::function<void(const std::string& task_id)> on_new_task;
  /// Called (on the blocking pool) after a request changed a stored task (a further
  /// turn, a cancel), so that whoever waits on it wakes.
  std::function<void(const std::string& task_id)> on_task_changed;
  /// Holds blocking sends open until their task settles; without it they are answered
  /// at once with the task as it stands.
  WatchTask watch_task;
  /// Takes a push delivery about a task we sent (POST a2a::kPushCallbackPath); runs on
  /// `blocking`. Without it that path is 404.
  std::function<HttpResponse(const HttpRequest&)> on_push;
  /// The longest a blocking send is held ([a2a] blocking_timeout).
  std::chrono::milliseconds blocking_timeout{std::chrono::seconds(60)};
  /// Keep-alive interval of SSE streams ([a2a] stream_keepalive).
  std::chrono::milliseconds stream_keepalive{std::chrono::seconds(15)};
  /// Who is calling, from the connection's source address (tailscale whois, discovered
  /// peers). Without it every caller is unverified, known by its address alone.
  std::function<boost::asio::awaitable<security::Caller>(std::string address)> identify;
  /// [security] allow: a caller it refuses gets 403 on POST / and /push, and nothing is
  /// stored. The card stays public: it is what discovery announces anyway.
  security::Allowlist allow;
  /// When set, the card and allowlist come from here instead of the two fields above,
  /// so the daemon can swap them on reload.
  std::shared_ptr<A2aLiveSettings> live;
  /// [security] token_file's token: JSON-RPC calls without `Authorization: Bearer <it>`
  /// get 401. Push deliveries carry their own per-task token instead. "" = none.
  std::string bearer_token;
  /// Called when a caller is refused (403/401), to log it (rate-limited by the callee).
  std::function<void(const security::Caller&, int status)> on_refused;
};

/// Routes: GET /.well-known/agent.json and /.well-known/agent-card.json → the card
/// (with an ETag; a matching If-None-Match gets 304 Not Modified);
/// POST / → JSON-RPC (a blocking send is held until its task settles, the time limit
/// passes or the server stops; a streaming call that was accepted is answered with the
/// task's SSE stream, see task_stream.h); POST /push → a peer's push delivery;
/// anything else 404/405 with a plain-text reason. Calls (POST / and /push) are first
/// attributed to their caller and checked against the allowlist and the token.
HttpHandler make_a2a_handler(A2aHandlerDeps deps);

/// A request refused by a server limit: JSON-RPC clients (POST /) get a JSON-RPC error
/// (-32600, id null: the body was not read) with the limit's HTTP status, so that an
/// SDK shows the message instead of a bare status; anything else gets plain text.
HttpResponse a2a_refusal(const LimitRefusal& refusal);

/// The card's strong entity tag: a quoted 64-bit FNV-1a hash of its bytes. The card
/// only changes when the config does, so peers polling it every round can skip the body.
std::string card_etag(std::string_view card_json);
/// Whether an If-None-Match value (a list, "*", weak or strong tags) matches `etag`
/// under the weak comparison RFC 9110 §13.1.2 prescribes for it.
bool if_none_match(std::string_view header_value, std::string_view etag);

/// Pure routing decision, separated so it is testable without Asio.
enum class A2aRoute { kCard, kRpc, kPush, kMethodNotAllowed, kNotFound };
A2aRoute route_a2a(const std::string& method, std::string_view path);

}  // namespace constellation::server

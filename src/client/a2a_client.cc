#include "constellation/client/a2a_client.h"

#include <array>

#include <nlohmann/json.hpp>

#include "constellation/a2a/jsonrpc.h"
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
  co_return co_await http_call(parsed->target, std::move(req), timeout);
}

/// One JSON-RPC call; returns the `result` member or a classified error.
// Parameters by value: a coroutine must not hold references to its caller's temporaries.
awaitable<Result<json>> rpc_call(std::string endpoint, std::string method, json params,
                                 std::vector<std::pair<std::string, std::string>> headers,
                                 std::chrono::milliseconds timeout) {
  std::string err;
  auto parsed = parse_http_url(endpoint, &err);
  if (!parsed) co_return make_error(ErrorKind::kPeerError, "peer endpoint " + err);
  ClientRequest req;
  req.method = "POST";
  req.target = parsed->path;
  req.content_type = "application/json";
  req.headers = std::move(headers);
  req.body = a2a::encode_request(a2a::legacy::new_task_id().substr(2), method, params);
  auto res = co_await http_call(parsed->target, std::move(req), timeout);
  if (!res) co_return res.error();
  // JSON-RPC errors may come with any status; read the body whatever it says.
  auto reply = a2a::decode_response(res->body, &err);
  if (!reply) {
    co_return make_error(ErrorKind::kPeerError,
                         method + " to " + endpoint + ": HTTP " + std::to_string(res->status) +
                             " with no JSON-RPC reply (" + err + ")");
  }
  if (reply->error) {
    const auto& e = *reply->error;
    auto kind = e.code == a2a::rpc_code::kTaskNotFound ? ErrorKind::kUnknownTask
                                                      : ErrorKind::kPeerError;
    co_return make_error(kind, method + " to " + endpoint + " failed: " + e.message + " (code " +
                                   std::to_string(e.code) + ")");
  }
  co_return std::move(*reply->result);
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
      co_return make_error(ErrorKind::kPeerUnreachable,
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

awaitable<Result<a2a::Task>> legacy_send(std::string endpoint, a2a::legacy::SendParams params,
                                         std::string source_url,
                                         std::chrono::milliseconds timeout) {
  // Built outside the co_await: g++ 12 rejects braced lists in coroutine arguments.
  std::vector<std::pair<std::string, std::string>> headers;
  headers.emplace_back(a2a::legacy::kSourceUrlHeader, source_url);
  auto result = co_await rpc_call(endpoint, "tasks/send", a2a::legacy::send_params_to_json(params),
                                  std::move(headers), timeout);
  if (!result) co_return result.error();
  std::string err;
  auto task = a2a::legacy::task_from_json(*result, &err);
  if (!task) {
    co_return make_error(ErrorKind::kPeerError,
                         "tasks/send to " + endpoint + ": unreadable task in reply (" + err + ")");
  }
  co_return std::move(*task);
}

awaitable<Result<a2a::Task>> legacy_get(std::string endpoint, std::string task_id,
                                        std::chrono::milliseconds timeout) {
  std::vector<std::pair<std::string, std::string>> no_headers;
  auto result = co_await rpc_call(endpoint, "tasks/get",
                                  a2a::legacy::task_id_params_to_json(task_id),
                                  std::move(no_headers), timeout);
  if (!result) co_return result.error();
  std::string err;
  auto task = a2a::legacy::task_from_json(*result, &err);
  if (!task) {
    co_return make_error(ErrorKind::kPeerError,
                         "tasks/get to " + endpoint + ": unreadable task in reply (" + err + ")");
  }
  co_return std::move(*task);
}

}  // namespace constellation::client

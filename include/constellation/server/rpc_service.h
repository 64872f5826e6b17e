#pragma once
/// JSON-RPC methods of the A2A endpoint, as a synchronous function of (body, headers)
/// → reply body over the store. No Asio: tests drive it directly with a real store.

#include <optional>
#include <string>
#include <string_view>

#include "constellation/server/http_message.h"
#include "constellation/store/database.h"

namespace constellation::server {

struct RpcOutcome {
  std::string body;                        ///< always a JSON-RPC reply
  std::optional<std::string> new_task_id;  ///< set when a task was stored by this call
};

class RpcService {
 public:
  explicit RpcService(store::Database& db) : db_(db) {}

  /// Never throws; a store failure becomes -32603 and is reported in the reply.
  RpcOutcome handle(std::string_view body, const HttpRequest& request);

 private:
  store::Database& db_;
};

}  // namespace constellation::server

#pragma once
/// The daemon side of the control socket (protocol in control/protocol.h).

#include <atomic>
#include <functional>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <nlohmann/json.hpp>

#include "constellation/daemon/outbound_tracker.h"
#include "constellation/daemon/push_deliverer.h"
#include "constellation/daemon/task_waiters.h"
#include "constellation/node/local_verbs.h"
#include "constellation/node/node.h"
#include "constellation/server/http_message.h"
#include "constellation/store/database.h"

namespace constellation::daemon {

struct ControlDeps {
  node::Node* node = nullptr;         ///< called on `blocking` only
  boost::asio::any_io_executor blocking;
  OutboundTracker* tracker = nullptr;
  TaskWaiters* waiters = nullptr;          ///< outbound tasks
  TaskWaiters* inbound_waiters = nullptr;  ///< inbound tasks: `respond` wakes held sends
  PushDeliverer* pusher = nullptr;         ///< `respond` tells the sender at once
  const std::atomic<bool>* stopping = nullptr;
  nlohmann::json status;  ///< name, url, pid, version
  /// GET /v1/overview: the daemon's live part ({"daemon":{…},"discovery":[…]}), called
  /// on the I/O thread; the route adds the store's counts (node/overview.h).
  std::function<nlohmann::json()> live_status;
  store::Database* db = nullptr;  ///< for those counts, on `blocking` only
};

server::HttpHandler make_control_handler(ControlDeps deps);

}  // namespace constellation::daemon

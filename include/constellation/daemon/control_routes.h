#pragma once
/// The daemon side of the control socket (protocol in control/protocol.h).

#include <atomic>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <nlohmann/json.hpp>

#include "constellation/daemon/outbound_tracker.h"
#include "constellation/daemon/push_deliverer.h"
#include "constellation/daemon/task_waiters.h"
#include "constellation/node/local_verbs.h"
#include "constellation/node/node.h"
#include "constellation/server/http_message.h"

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
};

server::HttpHandler make_control_handler(ControlDeps deps);

}  // namespace constellation::daemon

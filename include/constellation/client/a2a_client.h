#pragma once
/// Talking A2A to other peers: fetch a card, then send, get and cancel tasks in the
/// dialect the peer's card offers (a2a-wire.md §4.5; a2a_calls.h says what goes on the
/// wire). Every error names the call, the endpoint and what to do next.

#include <chrono>
#include <deque>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/awaitable.hpp>

#include "constellation/a2a/agent_card.h"
#include "constellation/a2a/dialect.h"
#include "constellation/a2a/sse.h"
#include "constellation/a2a/stream_events.h"
#include "constellation/a2a/task.h"
#include "constellation/client/a2a_calls.h"
#include "constellation/util/error.h"

namespace constellation::client {

class BodyStream;

struct FetchedCard {
  a2a::AgentCard card;
  std::string raw_json;  ///< the card as served, for `peers --json` and choose_endpoint
  std::string card_url;  ///< where it was found
};

/// GET {base}/.well-known/agent-card.json with `A2A-Version: 1.0` (so a server that
/// varies its card by version shows its v1.0 interfaces), then {base}/.well-known/agent.json
/// when the first is missing or not a card. kPeerUnreachable when the host does not
/// answer, kPeerError when it answers without a usable card. `timeout` covers both.
boost::asio::awaitable<Result<FetchedCard>> fetch_card(std::string base_url,
                                                       std::chrono::milliseconds timeout);

/// Hands the peer a new task without waiting for its answer. The reply is the task the
/// peer made (with its own id, for v0.3/v1.0) or a direct answer message.
boost::asio::awaitable<Result<SendReply>> send_task(a2a::PeerEndpoint endpoint, NewTask task,
                                                    std::chrono::milliseconds timeout);

/// The task as the peer has it now; `task_id` is the peer's id. JSON-RPC -32001 becomes
/// kUnknownTask, other JSON-RPC errors kPeerError.
boost::asio::awaitable<Result<a2a::Task>> get_task(a2a::PeerEndpoint endpoint, std::string task_id,
                                                   std::chrono::milliseconds timeout);

/// Asks the peer to cancel the task and returns it as the peer then has it. Legacy peers
/// cannot cancel: kPeerError without asking. -32002 (already ended) becomes kTaskNotOpen.
boost::asio::awaitable<Result<a2a::Task>> cancel_task(a2a::PeerEndpoint endpoint,
                                                      std::string task_id,
                                                      std::chrono::milliseconds timeout);

/// The events of a task stream as the peer sends them, read incrementally.
class TaskEventStream {
 public:
  TaskEventStream(a2a::PeerEndpoint endpoint, std::string method, std::unique_ptr<BodyStream> body);
  ~TaskEventStream();
  TaskEventStream(const TaskEventStream&) = delete;
  TaskEventStream& operator=(const TaskEventStream&) = delete;

  /// The next event; nullopt when the peer ended the stream. Keep-alive comments only
  /// reset the `idle` deadline. kPeerUnreachable when the connection drops or stays
  /// silent longer than `idle`; kPeerError for an `event: error`, a JSON-RPC error or
  /// an event that does not decode (the message names the method and the peer).
  boost::asio::awaitable<Result<std::optional<a2a::StreamEvent>>> next(std::chrono::milliseconds idle);

  /// The last error of next() was the peer's own JSON-RPC error sent as an event (the
  /// JS SDK answers a v0.3 tasks/resubscribe that way, e.g. -32004 for a finished
  /// task): a refusal rather than a broken stream.
  bool refused() const { return refused_; }

 private:
  bool refused_ = false;
  a2a::PeerEndpoint endpoint_;
  std::string method_;
  std::unique_ptr<BodyStream> body_;
  a2a::SseParser parser_;
  std::deque<a2a::SseEvent> pending_;
};

/// A subscribe request's outcome: the stream, or the peer's refusal to stream (a plain
/// JSON-RPC error reply, or no text/event-stream at all) — then `events` is null and
/// `refusal` says what the peer answered.
struct Subscription {
  std::unique_ptr<TaskEventStream> events;
  std::string refusal;
  int refusal_code = 0;  ///< the JSON-RPC error code, 0 when the reply was not one
};

/// SubscribeToTask (v1.0) / tasks/resubscribe (v0.3) with `Accept: text/event-stream`;
/// `timeout` covers connecting and the reply's head. An error is a transport problem
/// (kPeerUnreachable) worth retrying; legacy peers give kPeerError without asking.
boost::asio::awaitable<Result<Subscription>> subscribe_task(a2a::PeerEndpoint endpoint,
                                                           std::string task_id,
                                                           std::chrono::milliseconds timeout);

}  // namespace constellation::client

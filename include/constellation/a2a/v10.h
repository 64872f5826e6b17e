#pragma once
/// A2A v1.0 JSON-RPC (a2a-wire.md §3): ProtoJSON of `lf.a2a.v1`. Both directions: the
/// server decodes params and encodes results; the client encodes params and decodes
/// results. Pure functions, no I/O.
///
/// Writing follows ProtoJSON: camelCase keys, enums by full name, default values (empty
/// strings and arrays, false) left out, and only fields we model — [py] v1.0 refuses
/// unknown keys. Reading is lenient as §3.2 asks: snake_case keys too, enums by name or
/// number, null taken as absent, unknown keys and `metadata` ignored. Parts are the
/// oneof of `text`, `raw` (base64 file content), `url` (a file by link) and `data` (any
/// JSON value), with `filename` and `mediaType` beside a file (`mediaType` beside data).
///
/// Decoders never throw; on failure they return nullopt and set *err to
/// "<json path>: <what>" (params paths start with "params").

#include <map>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "constellation/a2a/jsonrpc.h"
#include "constellation/a2a/push.h"
#include "constellation/a2a/task.h"
#include "constellation/a2a/timestamp.h"

namespace constellation::a2a::v10 {

// ---- version negotiation (§3.1, §4.2) -------------------------------------------------

inline constexpr const char* kVersionHeader = "A2A-Version";
/// What we send in kVersionHeader and put in the card: `Major.Minor`, exactly.
inline constexpr const char* kVersion = "1.0";

/// The semantics a request asks for through its A2A-Version header.
enum class ProtocolVersion { kV03, kV10 };

/// `header_value` is the A2A-Version value, "" when the header is absent. Absent or
/// empty means 0.3 (the spec's rule); "0.3"/"1.0" and their patch forms "0.3.x"/"1.0.x"
/// are accepted (patch numbers are not to be considered). Anything else returns nullopt
/// and sets *err to the -32009 message, worded as the JS SDK words it. The header does
/// not pick the handler — the method does (§4.2) — so a caller may serve a v1.0 method
/// under 0.3.
std::optional<ProtocolVersion> negotiate_version(std::string_view header_value, std::string* err);

// ---- methods (§3.5) ---------------------------------------------------------------------

inline constexpr const char* kSendMessage = "SendMessage";
inline constexpr const char* kSendStreamingMessage = "SendStreamingMessage";
inline constexpr const char* kGetTask = "GetTask";
inline constexpr const char* kListTasks = "ListTasks";
inline constexpr const char* kCancelTask = "CancelTask";
inline constexpr const char* kSubscribeToTask = "SubscribeToTask";
inline constexpr const char* kCreateTaskPushNotificationConfig = "CreateTaskPushNotificationConfig";
inline constexpr const char* kGetTaskPushNotificationConfig = "GetTaskPushNotificationConfig";
inline constexpr const char* kListTaskPushNotificationConfigs = "ListTaskPushNotificationConfigs";
inline constexpr const char* kDeleteTaskPushNotificationConfig = "DeleteTaskPushNotificationConfig";
inline constexpr const char* kGetExtendedAgentCard = "GetExtendedAgentCard";

/// One of the eleven v1.0 method names above. These are disjoint from the v0.3 and
/// legacy names, so the method alone tells a v1.0 request apart (§4.1).
bool is_v10_method(std::string_view method);

// ---- errors (§3.7, §5.5) ----------------------------------------------------------------

/// v1.0 error codes. -32001..-32005 mean the same in v0.3 and v1.0 and come from
/// rpc_code; -32006..-32009 are kept here because they meant other things in A2A v0.1
/// (a2a-wire.md §5.5).
namespace code {
inline constexpr int kTaskNotFound = rpc_code::kTaskNotFound;            // -32001
inline constexpr int kTaskNotCancelable = rpc_code::kTaskNotCancelable;  // -32002
inline constexpr int kPushNotificationNotSupported =
    rpc_code::kPushNotificationNotSupported;                                         // -32003
inline constexpr int kUnsupportedOperation = rpc_code::kUnsupportedOperation;        // -32004
inline constexpr int kContentTypeNotSupported = rpc_code::kContentTypeNotSupported;  // -32005
inline constexpr int kInvalidAgentResponse = -32006;
inline constexpr int kExtendedAgentCardNotConfigured = -32007;
inline constexpr int kExtensionSupportRequired = -32008;
inline constexpr int kVersionNotSupported = -32009;
}  // namespace code

inline constexpr const char* kErrorInfoType = "type.googleapis.com/google.rpc.ErrorInfo";
inline constexpr const char* kErrorDomain = "a2a-protocol.org";

/// The google.rpc.ErrorInfo `reason` for `code` ("TASK_NOT_FOUND" for -32001, …), or
/// nullptr when the JS SDK sends no data for it (-32700, -32600, -32601, -32603, and
/// any code outside the table). -32602 is "INVALID_PARAMS", as the fixtures show.
const char* error_reason(int code);

/// The `error.data` of a v1.0 error: `[{"@type":kErrorInfoType,"reason":…,
/// "domain":kErrorDomain}]`, with `"metadata":{…}` only when `metadata` is not empty
/// (the spec's example carries {"taskId":…}; the JS SDK sends none). A null json when
/// error_reason(code) is nullptr: send no `data` then.
nlohmann::json error_data(int code, const std::map<std::string, std::string>& metadata = {});

// ---- objects (§3.3, §3.4) ---------------------------------------------------------------

/// "TASK_STATE_COMPLETED", …; kUnknown is "TASK_STATE_UNSPECIFIED".
const char* wire_state_name(TaskState state);
/// "ROLE_USER" / "ROLE_AGENT".
const char* wire_role_name(Role role);

/// `{"messageId","role","parts":[{"text"}…]}` plus contextId/taskId when not empty. The
/// caller sets message_id (required on the wire; see new_message_id).
nlohmann::json message_to_json(const Message& message);
/// Requires a non-empty messageId, role ROLE_USER/ROLE_AGENT (or 1/2) and at least one
/// part, every part a text part.
std::optional<Message> message_from_json(const nlohmann::json& j, std::string* err);

/// `{"artifactId","parts"}` plus name when not empty.
nlohmann::json artifact_to_json(const Artifact& artifact);
std::optional<Artifact> artifact_from_json(const nlohmann::json& j, std::string* err);

/// `{"id","status":{"state","message"?,"timestamp"?},"contextId"?,"history"?,"artifacts"?}`.
/// An updated_at equal to Timestamp{} means "no timestamp" and is not written; empty
/// context_id, history and artifacts are left out.
nlohmann::json task_to_json(const Task& task);
/// Requires a non-empty id and a status object. An absent status.state is
/// TASK_STATE_UNSPECIFIED (ProtoJSON leaves the zero enum out), an absent timestamp
/// leaves updated_at at Timestamp{}, absent history/artifacts are empty.
std::optional<Task> task_from_json(const nlohmann::json& j, std::string* err);

/// A fresh messageId: a uuid4 string.
std::string new_message_id();

// ---- SendMessage / SendStreamingMessage -------------------------------------------------

/// SendMessageRequest.configuration.
struct SendConfiguration {
  std::vector<std::string> accepted_output_modes;
  /// nullopt: the server's default; 0: no history; N: at most the newest N messages.
  std::optional<int> history_length;
  /// false (the default) = blocking: answer once the task is terminal or interrupted.
  /// The inverse of v0.3's `blocking`.
  bool return_immediately = false;
  /// `taskPushNotificationConfig`: where to post the task's changes.
  std::optional<PushConfig> push;
  friend bool operator==(const SendConfiguration&, const SendConfiguration&) = default;
};

struct SendMessageParams {
  Message message;
  SendConfiguration configuration;
  std::string tenant;  ///< "" = none; sent when the peer's interface names one (§3.1)
};
/// `configuration` is written only when it holds something other than defaults.
nlohmann::json send_message_params_to_json(const SendMessageParams& params);
std::optional<SendMessageParams> send_message_params_from_json(const nlohmann::json& params,
                                                               std::string* err);

/// SendMessage's result: the agent made (or continued) a task, or answered with a message.
using SendMessageResult = std::variant<Task, Message>;
/// `{"task":{…}}` or `{"message":{…}}` — always wrapped, as the fixtures show.
nlohmann::json send_message_result_to_json(const SendMessageResult& result);
/// Requires exactly one of `task` / `message`; error paths start with that key.
std::optional<SendMessageResult> send_message_result_from_json(const nlohmann::json& result,
                                                               std::string* err);

// ---- GetTask / CancelTask ---------------------------------------------------------------

struct GetTaskParams {
  std::string id;
  std::optional<int> history_length;  ///< as in SendConfiguration; never negative
  std::string tenant;
  friend bool operator==(const GetTaskParams&, const GetTaskParams&) = default;
};
nlohmann::json get_task_params_to_json(const GetTaskParams& params);
/// Requires a non-empty id. The result is a bare Task (task_to_json).
std::optional<GetTaskParams> get_task_params_from_json(const nlohmann::json& params,
                                                       std::string* err);

/// CancelTask's `metadata` is ignored. The result is a bare Task.
struct CancelTaskParams {
  std::string id;
  std::string tenant;
  friend bool operator==(const CancelTaskParams&, const CancelTaskParams&) = default;
};
nlohmann::json cancel_task_params_to_json(const CancelTaskParams& params);
std::optional<CancelTaskParams> cancel_task_params_from_json(const nlohmann::json& params,
                                                             std::string* err);

// ---- ListTasks --------------------------------------------------------------------------

inline constexpr int kMinPageSize = 1;
inline constexpr int kMaxPageSize = 100;
inline constexpr int kDefaultPageSize = 50;  ///< what an absent pageSize means

/// ListTasksRequest. Every filter is optional; "" / nullopt / false = not given.
struct ListTasksParams {
  std::string context_id;
  /// nullopt: any state (also what TASK_STATE_UNSPECIFIED on the wire means).
  std::optional<TaskState> status;
  std::optional<int> page_size;  ///< kMinPageSize..kMaxPageSize; nullopt = kDefaultPageSize
  std::string page_token;
  std::optional<int> history_length;
  std::optional<Timestamp> status_timestamp_after;  ///< inclusive
  bool include_artifacts = false;  ///< false: the tasks carry no `artifacts` key at all
  std::string tenant;
  friend bool operator==(const ListTasksParams&, const ListTasksParams&) = default;
};
nlohmann::json list_tasks_params_to_json(const ListTasksParams& params);
/// Refuses a pageSize outside kMinPageSize..kMaxPageSize and a negative historyLength.
std::optional<ListTasksParams> list_tasks_params_from_json(const nlohmann::json& params,
                                                           std::string* err);

/// ListTasksResponse: newest status timestamp first.
struct ListTasksResult {
  std::vector<Task> tasks;
  std::string next_page_token;  ///< "" on the last page
  int page_size = 0;            ///< the page size used for this answer
  int total_size = 0;           ///< matching tasks before paging
};
/// All four keys always, even `"nextPageToken":""` and `"tasks":[]` — the one place
/// where ProtoJSON defaults are written (§3.2).
nlohmann::json list_tasks_result_to_json(const ListTasksResult& result);
/// Lenient: absent keys take their defaults.
std::optional<ListTasksResult> list_tasks_result_from_json(const nlohmann::json& result,
                                                           std::string* err);

}  // namespace constellation::a2a::v10

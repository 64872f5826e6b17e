#pragma once
/// JSON-RPC 2.0 envelopes: decoding requests for the server, encoding replies, and the
/// client-side mirror. Pure: text in, values out.

#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include <nlohmann/json.hpp>

namespace constellation::a2a {

/// Error codes we send (a2a-wire.md §5.5; dialect-specific meanings above -32005).
namespace rpc_code {
inline constexpr int kParseError = -32700;
inline constexpr int kInvalidRequest = -32600;
inline constexpr int kMethodNotFound = -32601;
inline constexpr int kInvalidParams = -32602;
inline constexpr int kInternalError = -32603;
inline constexpr int kTaskNotFound = -32001;
inline constexpr int kTaskNotCancelable = -32002;
inline constexpr int kPushNotificationNotSupported = -32003;
inline constexpr int kUnsupportedOperation = -32004;
inline constexpr int kContentTypeNotSupported = -32005;
/// Our own, in JSON-RPC's range for implementation-defined server errors, which A2A
/// leaves unused (its codes start at -32001): a peer has too many unanswered tasks here.
inline constexpr int kTooManyPendingTasks = -32000;
}  // namespace rpc_code

/// Containers nested deeper than this are refused: peers are untrusted and the code that
/// walks or dumps a json value recurses.
inline constexpr int kMaxJsonDepth = 64;

/// Parses untrusted JSON text. Returns nullopt and sets *err (nlohmann's detail without
/// its "[json.exception…]" prefix, or "nesting deeper than 64") when it does not parse.
std::optional<nlohmann::json> parse_json(std::string_view text, std::string* err);

struct RpcRequest {
  nlohmann::json id;      ///< any JSON value except an object or array; echoed back as is
  std::string method;
  nlohmann::json params;  ///< null when absent
};

struct RpcError {
  int code = 0;
  std::string message;
  nlohmann::json id;  ///< the request id when it could be read, else null
};

/// Decodes a request body. Not JSON → -32700 with id null; JSON that is not a single
/// request object with "jsonrpc":"2.0", a string method and an id → -32600 (a batch
/// array is refused the same way; a notification, having no id, too: every A2A method
/// has a result). Never throws, whatever the body.
std::variant<RpcRequest, RpcError> decode_request(std::string_view body);

/// "Method not found: <method>", the name cut to 64 bytes (at a character boundary, then
/// "...") so that a caller cannot make the reply as large as its request.
std::string method_not_found_message(std::string_view method);

/// `{"jsonrpc":"2.0","id":…,"result":…}` with keys in that order, compact.
std::string encode_result(const nlohmann::json& id, const nlohmann::json& result);
/// `{"jsonrpc":"2.0","id":…,"error":{"code":…,"message":…}}`; `data` only when given.
std::string encode_error(const nlohmann::json& id, int code, std::string_view message,
                         const nlohmann::json* data = nullptr);
std::string encode_request(const nlohmann::json& id, std::string_view method,
                           const nlohmann::json& params);

/// A reply as a client sees it: exactly one of result / error.
struct RpcResponse {
  nlohmann::json id;
  std::optional<nlohmann::json> result;
  std::optional<RpcError> error;
};

/// Decodes a reply body. Returns nullopt and sets *err ("not JSON: …", "no result or
/// error member") when it is not a JSON-RPC 2.0 reply.
std::optional<RpcResponse> decode_response(std::string_view body, std::string* err);

}  // namespace constellation::a2a

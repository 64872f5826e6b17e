#include "constellation/a2a/jsonrpc.h"

#include <cmath>
#include <exception>
#include <limits>
#include <utility>

namespace constellation::a2a {
namespace {

using nlohmann::json;

// Thrown by the parser callback to stop at the first container that is too deep, before
// the parser has built anything under it.
struct TooDeep {};

// nlohmann quotes the whole offending token (an unterminated string can be megabytes).
constexpr std::size_t kMaxDetail = 200;
constexpr std::size_t kMaxQuoted = 40;

std::string dump(const json& j) {
  // The replace handler keeps dump() from throwing on invalid UTF-8 in strings.
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

// Error texts end up in replies and logs; nlohmann's copy the raw input bytes, so turn
// invalid UTF-8 into U+FFFD by a dump/parse round trip (which cannot fail after dump).
std::string sanitize(std::string_view text) {
  const std::string literal = dump(json(std::string(text)));
  return json::parse(literal).get<std::string>();
}

std::string exception_detail(const json::exception& e) {
  std::string_view what = e.what();
  if (what.starts_with("[json.exception.")) {
    const auto end = what.find("] ");
    if (end != std::string_view::npos) what.remove_prefix(end + 2);
  }
  if (what.size() <= kMaxDetail) return sanitize(what);
  return sanitize(what.substr(0, kMaxDetail)) + "...";
}

// "got …" part of an error message: short, always valid UTF-8.
std::string describe(const json& j) {
  if (j.is_string()) {
    const auto& s = j.get_ref<const std::string&>();
    if (s.size() <= kMaxQuoted) return dump(j);
    return dump(json(s.substr(0, kMaxQuoted))) + "...";
  }
  if (j.is_object()) return "an object";
  if (j.is_array()) return "an array";
  return dump(j);
}

RpcError invalid_request(std::string what, json id = nullptr) {
  return RpcError{rpc_code::kInvalidRequest, "Invalid Request: " + std::move(what), std::move(id)};
}

std::variant<RpcRequest, RpcError> decode_parsed_request(json j) {
  if (j.is_array()) return invalid_request("batch requests are not supported");
  if (!j.is_object()) return invalid_request("expected a JSON object, got " + describe(j));

  // Read the id first so that every later error can still be matched to the request.
  json id = nullptr;
  const auto id_it = j.find("id");
  const bool id_usable = id_it != j.end() && !id_it->is_structured();
  if (id_usable) id = *id_it;

  const auto version = j.find("jsonrpc");
  if (version == j.end()) return invalid_request("jsonrpc: missing", id);
  if (!version->is_string() || version->get_ref<const std::string&>() != "2.0") {
    return invalid_request("jsonrpc: expected \"2.0\", got " + describe(*version), id);
  }
  const auto method = j.find("method");
  if (method == j.end()) return invalid_request("method: missing", id);
  if (!method->is_string()) {
    return invalid_request("method: expected a string, got " + describe(*method), id);
  }
  if (id_it == j.end()) return invalid_request("id: missing (notifications are not supported)");
  if (!id_usable) {
    return invalid_request("id: expected a string, number or null, got " + describe(*id_it));
  }

  RpcRequest request;
  request.id = std::move(id);
  request.method = method->get<std::string>();
  if (const auto params = j.find("params"); params != j.end()) request.params = *params;
  return request;
}

std::optional<int> integer_code(const json& code) {
  constexpr auto kMin = std::numeric_limits<int>::min();
  constexpr auto kMax = std::numeric_limits<int>::max();
  if (code.is_number_unsigned()) {
    const auto v = code.get<std::uint64_t>();
    if (v <= static_cast<std::uint64_t>(kMax)) return static_cast<int>(v);
  } else if (code.is_number_integer()) {
    const auto v = code.get<std::int64_t>();
    if (v >= kMin && v <= kMax) return static_cast<int>(v);
  } else if (code.is_number_float()) {
    // Some servers are written in languages without integers.
    const double v = code.get<double>();
    if (std::trunc(v) == v && v >= kMin && v <= kMax) return static_cast<int>(v);
  }
  return std::nullopt;
}

std::optional<RpcResponse> decode_parsed_response(const json& j, std::string* err) {
  const auto fail = [&](std::string what) -> std::optional<RpcResponse> {
    if (err != nullptr) *err = std::move(what);
    return std::nullopt;
  };
  if (!j.is_object()) return fail("not a JSON-RPC reply: expected an object, got " + describe(j));

  // Tolerant on purpose: `jsonrpc` is not checked, and a non-null `error` wins over a
  // `result` sent beside it (some servers send "result":null with their errors).
  RpcResponse response;
  if (const auto id = j.find("id"); id != j.end()) response.id = *id;

  const auto error = j.find("error");
  if (error != j.end() && !error->is_null()) {
    if (!error->is_object()) return fail("error: expected an object, got " + describe(*error));
    RpcError rpc_error;
    rpc_error.id = response.id;
    const auto code = error->find("code");
    if (code == error->end()) return fail("error.code: missing");
    const auto code_value = integer_code(*code);
    if (!code_value) return fail("error.code: expected an integer, got " + describe(*code));
    rpc_error.code = *code_value;
    if (const auto message = error->find("message"); message != error->end()) {
      if (!message->is_string()) {
        return fail("error.message: expected a string, got " + describe(*message));
      }
      rpc_error.message = message->get<std::string>();
    }
    response.error = std::move(rpc_error);
    return response;
  }
  const auto result = j.find("result");
  if (result == j.end()) return fail("no result or error member");
  response.result = *result;
  return response;
}

}  // namespace

std::optional<json> parse_json(std::string_view text, std::string* err) {
  const json::parser_callback_t guard = [](int depth, json::parse_event_t event, json&) {
    if ((event == json::parse_event_t::object_start || event == json::parse_event_t::array_start) &&
        depth >= kMaxJsonDepth) {
      throw TooDeep{};
    }
    return true;
  };
  // nlohmann's lexer takes a NUL byte for the end of input and would accept whatever
  // follows it; raw NUL is invalid everywhere in JSON text.
  if (const auto nul = text.find('\0'); nul != std::string_view::npos) {
    if (err != nullptr) *err = "unexpected NUL byte at offset " + std::to_string(nul);
    return std::nullopt;
  }
  try {
    return json::parse(text.begin(), text.end(), guard);
  } catch (const TooDeep&) {
    if (err != nullptr) *err = "nesting deeper than " + std::to_string(kMaxJsonDepth);
  } catch (const json::exception& e) {
    // parse_error, and out_of_range for numbers such as 1e400.
    if (err != nullptr) *err = exception_detail(e);
  }
  return std::nullopt;
}

std::variant<RpcRequest, RpcError> decode_request(std::string_view body) {
  try {
    std::string detail;
    auto j = parse_json(body, &detail);
    if (!j) return RpcError{rpc_code::kParseError, "Parse error: " + detail, nullptr};
    return decode_parsed_request(std::move(*j));
  } catch (const std::exception& e) {
    // Only allocation failure can get here; the caller still gets an answer to send.
    return RpcError{rpc_code::kInternalError, std::string("Internal error: ") + e.what(), nullptr};
  }
}

std::string method_not_found_message(std::string_view method) {
  constexpr std::size_t kMaxShown = 64;
  if (method.size() <= kMaxShown) return "Method not found: " + std::string(method);
  std::size_t cut = kMaxShown;
  // Back off continuation bytes (10xxxxxx) so no character is cut in half.
  while (cut > 0 && (static_cast<unsigned char>(method[cut]) & 0xC0) == 0x80) --cut;
  return "Method not found: " + std::string(method.substr(0, cut)) + "...";
}

std::string encode_result(const json& id, const json& result) {
  return R"({"jsonrpc":"2.0","id":)" + dump(id) + R"(,"result":)" + dump(result) + "}";
}

std::string encode_error(const json& id, int code, std::string_view message, const json* data) {
  std::string out = R"({"jsonrpc":"2.0","id":)" + dump(id) + R"(,"error":{"code":)" +
                    std::to_string(code) + R"(,"message":)" + dump(json(std::string(message)));
  if (data != nullptr) out += R"(,"data":)" + dump(*data);
  out += "}}";
  return out;
}

std::string encode_request(const json& id, std::string_view method, const json& params) {
  std::string out =
      R"({"jsonrpc":"2.0","id":)" + dump(id) + R"(,"method":)" + dump(json(std::string(method)));
  // JSON-RPC 2.0 wants params structured or absent, never null.
  if (!params.is_null()) out += R"(,"params":)" + dump(params);
  out += "}";
  return out;
}

std::optional<RpcResponse> decode_response(std::string_view body, std::string* err) {
  try {
    std::string detail;
    const auto j = parse_json(body, &detail);
    if (!j) {
      if (err != nullptr) *err = "not JSON: " + detail;
      return std::nullopt;
    }
    return decode_parsed_response(*j, err);
  } catch (const std::exception& e) {
    if (err != nullptr) *err = std::string("internal error: ") + e.what();
    return std::nullopt;
  }
}

}  // namespace constellation::a2a

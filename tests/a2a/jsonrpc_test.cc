#include "constellation/a2a/jsonrpc.h"

#include <gtest/gtest.h>

#include <string>
#include <variant>

namespace constellation::a2a {
namespace {

using nlohmann::json;

// a2a-wire.md §1.4, request.
constexpr const char* kSendRequest =
    R"({"jsonrpc":"2.0","id":"0b9f6a8e-0d1c-4f47-9a55-2b9f0f6f1e11","method":"tasks/send",
 "params":{"id":"t-3c1d2f7e-8a7b-4c1e-9f0a-5d6e7f8a9b0c",
           "message":{"role":"user","parts":[{"type":"text","text":"research Cedric the shrimp"}]}}})";

// a2a-wire.md §1.6.
constexpr const char* kCancelReply =
    R"({"jsonrpc":"2.0","id":"1","error":{"code":-32004,"message":"Method not yet implemented: tasks/cancel"}})";

RpcRequest expect_request(std::string_view body) {
  auto decoded = decode_request(body);
  if (const auto* e = std::get_if<RpcError>(&decoded)) {
    ADD_FAILURE() << "unexpected error " << e->code << ": " << e->message;
    return {};
  }
  return std::get<RpcRequest>(std::move(decoded));
}

RpcError expect_error(std::string_view body) {
  auto decoded = decode_request(body);
  if (std::holds_alternative<RpcRequest>(decoded)) {
    ADD_FAILURE() << "decoded a request from: " << body.substr(0, 100);
    return {};
  }
  return std::get<RpcError>(std::move(decoded));
}

// --- decode_request: valid input -------------------------------------------------------

TEST(DecodeRequest, TasksSendExample) {
  const RpcRequest r = expect_request(kSendRequest);
  EXPECT_EQ(r.id, json("0b9f6a8e-0d1c-4f47-9a55-2b9f0f6f1e11"));
  EXPECT_EQ(r.method, "tasks/send");
  EXPECT_EQ(r.params["id"], "t-3c1d2f7e-8a7b-4c1e-9f0a-5d6e7f8a9b0c");
  EXPECT_EQ(r.params["message"]["parts"][0]["text"], "research Cedric the shrimp");
}

TEST(DecodeRequest, TasksGetExample) {
  const RpcRequest r = expect_request(
      R"({"jsonrpc":"2.0","id":"1","method":"tasks/get","params":{"id":"task-abc"}})");
  EXPECT_EQ(r.id, json("1"));
  EXPECT_EQ(r.method, "tasks/get");
  EXPECT_EQ(r.params, json({{"id", "task-abc"}}));
}

TEST(DecodeRequest, ParamsDefaultToNull) {
  const RpcRequest r = expect_request(R"({"jsonrpc":"2.0","id":7,"method":"tasks/cancel"})");
  EXPECT_TRUE(r.params.is_null());
  EXPECT_EQ(r.id, json(7));
}

TEST(DecodeRequest, IdKeepsItsJsonType) {
  EXPECT_EQ(expect_request(R"({"jsonrpc":"2.0","id":null,"method":"m"})").id, json(nullptr));
  EXPECT_EQ(expect_request(R"({"jsonrpc":"2.0","id":-3,"method":"m"})").id, json(-3));
  EXPECT_EQ(expect_request(R"({"jsonrpc":"2.0","id":1.5,"method":"m"})").id, json(1.5));
  EXPECT_EQ(expect_request(R"({"jsonrpc":"2.0","id":"7","method":"m"})").id, json("7"));
  // The Rust original takes any JSON value; only containers cannot be echoed safely.
  EXPECT_EQ(expect_request(R"({"jsonrpc":"2.0","id":true,"method":"m"})").id, json(true));
  EXPECT_EQ(expect_request(R"({"jsonrpc":"2.0","id":18446744073709551615,"method":"m"})").id,
            json(18446744073709551615ull));
}

TEST(MethodNotFound, LongNamesAreCutAtACharacterBoundary) {
  EXPECT_EQ(method_not_found_message("tasks/frob"), "Method not found: tasks/frob");
  EXPECT_EQ(method_not_found_message(std::string(64, 'm')), "Method not found: " + std::string(64, 'm'));
  EXPECT_EQ(method_not_found_message(std::string(65, 'm')),
            "Method not found: " + std::string(64, 'm') + "...");
  // "é" is two bytes; the 64th byte would split the one that starts at byte 63.
  EXPECT_EQ(method_not_found_message(std::string(63, 'm') + "\xc3\xa9xyz"),
            "Method not found: " + std::string(63, 'm') + "...");
}

TEST(DecodeRequest, NullIdIsEchoedAsNull) {
  const RpcRequest r = expect_request(R"({"jsonrpc":"2.0","id":null,"method":"tasks/get"})");
  EXPECT_EQ(encode_result(r.id, json::object()), R"({"jsonrpc":"2.0","id":null,"result":{}})");
}

TEST(DecodeRequest, UnknownMembersAndWhitespaceAreTolerated) {
  const RpcRequest r =
      expect_request(" \n{\"method\":\"x\",\"extra\":[1,2],\"id\":\"a\",\"jsonrpc\":\"2.0\"}\n ");
  EXPECT_EQ(r.method, "x");
}

TEST(DecodeRequest, HugeStringIsFine) {
  const std::string text(4 * 1024 * 1024, 'a');
  const RpcRequest r =
      expect_request(R"({"jsonrpc":"2.0","id":1,"method":"m","params":{"t":")" + text + "\"}}");
  EXPECT_EQ(r.params["t"].get_ref<const std::string&>().size(), text.size());
}

TEST(DecodeRequest, SixtyFourLevelsOfNestingAreAllowed) {
  // The envelope object is level 1, so params may hold 63 levels.
  const std::string nested = std::string(63, '[') + std::string(63, ']');
  const RpcRequest r =
      expect_request(R"({"jsonrpc":"2.0","id":1,"method":"m","params":)" + nested + "}");
  EXPECT_TRUE(r.params.is_array());
}

// --- decode_request: hostile input -----------------------------------------------------

TEST(DecodeRequestHostile, EmptyBody) {
  const RpcError e = expect_error("");
  EXPECT_EQ(e.code, rpc_code::kParseError);
  EXPECT_EQ(e.message,
            "Parse error: parse error at line 1, column 1: syntax error while parsing value - "
            "unexpected end of input; expected '[', '{', or a literal");
  EXPECT_TRUE(e.id.is_null());
}

TEST(DecodeRequestHostile, TruncatedJsonIsParseErrorWithNullId) {
  const std::string body(kSendRequest);
  for (std::size_t len : {std::size_t{1}, std::size_t{20}, body.size() / 2, body.size() - 1}) {
    const RpcError e = expect_error(std::string_view(body).substr(0, len));
    EXPECT_EQ(e.code, rpc_code::kParseError) << len;
    EXPECT_TRUE(e.message.starts_with("Parse error: parse error at line")) << e.message;
    EXPECT_TRUE(e.id.is_null());
  }
}

TEST(DecodeRequestHostile, HundredThousandNestedArrays) {
  const RpcError e = expect_error(std::string(100000, '['));
  EXPECT_EQ(e.code, rpc_code::kParseError);
  EXPECT_EQ(e.message, "Parse error: nesting deeper than 64");
  EXPECT_TRUE(e.id.is_null());
}

TEST(DecodeRequestHostile, HundredThousandNestedObjectsInsideParams) {
  std::string deep;
  for (int i = 0; i < 100000; ++i) deep += R"({"a":)";
  const RpcError e = expect_error(R"({"jsonrpc":"2.0","id":1,"method":"m","params":)" + deep);
  EXPECT_EQ(e.message, "Parse error: nesting deeper than 64");
}

TEST(DecodeRequestHostile, SixtyFiveLevelsAreRefusedEvenWhenComplete) {
  const std::string nested = std::string(64, '[') + std::string(64, ']');
  const RpcError e =
      expect_error(R"({"jsonrpc":"2.0","id":1,"method":"m","params":)" + nested + "}");
  EXPECT_EQ(e.code, rpc_code::kParseError);
  EXPECT_EQ(e.message, "Parse error: nesting deeper than 64");
}

TEST(DecodeRequestHostile, InvalidUtf8InAString) {
  const RpcError e = expect_error("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"m\xff\xfe\"}");
  EXPECT_EQ(e.code, rpc_code::kParseError);
  EXPECT_TRUE(e.message.starts_with("Parse error: ")) << e.message;
  EXPECT_NE(e.message.find("ill-formed UTF-8"), std::string::npos) << e.message;
  // The message quotes the input but must itself be valid UTF-8, so that it can be sent.
  EXPECT_NO_THROW((void)json(e.message).dump());
}

TEST(DecodeRequestHostile, OverlongAndSurrogateUtf8) {
  EXPECT_EQ(expect_error("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"\xc0\xaf\"}").code,
            rpc_code::kParseError);
  EXPECT_EQ(expect_error("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"\xed\xa0\x80\"}").code,
            rpc_code::kParseError);
}

TEST(DecodeRequestHostile, InvalidBytesOutsideStrings) {
  const RpcError e = expect_error("\xff\xfe{}");
  EXPECT_EQ(e.code, rpc_code::kParseError);
  EXPECT_NO_THROW((void)json(e.message).dump());
}

TEST(DecodeRequestHostile, HugeUnterminatedStringGivesABoundedMessage) {
  const std::string body = R"({"jsonrpc":"2.0","id":1,"method":")" + std::string(2000000, 'x');
  const RpcError e = expect_error(body);
  EXPECT_EQ(e.code, rpc_code::kParseError);
  EXPECT_LT(e.message.size(), 300u);
}

TEST(DecodeRequestHostile, NumberOverflow) {
  const RpcError e = expect_error(R"({"jsonrpc":"2.0","id":1e400,"method":"m"})");
  EXPECT_EQ(e.code, rpc_code::kParseError);
  EXPECT_EQ(e.message, "Parse error: number overflow parsing '1e400'");
}

TEST(DecodeRequestHostile, EmbeddedNulAfterTheObject) {
  // nlohmann alone stops at a NUL byte and would accept this.
  const std::string body("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"m\"}\0garbage", 45);
  const RpcError e = expect_error(body);
  EXPECT_EQ(e.code, rpc_code::kParseError);
  EXPECT_EQ(e.message, "Parse error: unexpected NUL byte at offset 37");
}

TEST(DecodeRequestHostile, TrailingGarbage) {
  EXPECT_EQ(expect_error(R"({"jsonrpc":"2.0","id":1,"method":"m"} {})").code,
            rpc_code::kParseError);
}

TEST(DecodeRequestHostile, BatchIsRefused) {
  const RpcError e = expect_error(R"([{"jsonrpc":"2.0","id":1,"method":"tasks/get"}])");
  EXPECT_EQ(e.code, rpc_code::kInvalidRequest);
  EXPECT_EQ(e.message, "Invalid Request: batch requests are not supported");
  EXPECT_TRUE(e.id.is_null());
  EXPECT_EQ(expect_error("[]").message, "Invalid Request: batch requests are not supported");
}

TEST(DecodeRequestHostile, NotAnObject) {
  EXPECT_EQ(expect_error(R"("tasks/get")").message,
            R"(Invalid Request: expected a JSON object, got "tasks/get")");
  EXPECT_EQ(expect_error("42").message, "Invalid Request: expected a JSON object, got 42");
  EXPECT_EQ(expect_error("null").message, "Invalid Request: expected a JSON object, got null");
  EXPECT_EQ(expect_error("true").code, rpc_code::kInvalidRequest);
}

TEST(DecodeRequestHostile, WrongJsonrpc) {
  RpcError e = expect_error(R"({"jsonrpc":"1.0","id":"a","method":"m"})");
  EXPECT_EQ(e.code, rpc_code::kInvalidRequest);
  EXPECT_EQ(e.message, R"(Invalid Request: jsonrpc: expected "2.0", got "1.0")");
  EXPECT_EQ(e.id, json("a"));

  e = expect_error(R"({"id":"a","method":"m"})");
  EXPECT_EQ(e.message, "Invalid Request: jsonrpc: missing");
  EXPECT_EQ(e.id, json("a"));

  EXPECT_EQ(expect_error(R"({"jsonrpc":2.0,"id":1,"method":"m"})").message,
            R"(Invalid Request: jsonrpc: expected "2.0", got 2.0)");
  EXPECT_EQ(expect_error(R"({"jsonrpc":null,"id":1,"method":"m"})").message,
            R"(Invalid Request: jsonrpc: expected "2.0", got null)");
  EXPECT_EQ(expect_error(R"({"jsonrpc":["2.0"],"id":1,"method":"m"})").message,
            R"(Invalid Request: jsonrpc: expected "2.0", got an array)");
  EXPECT_EQ(expect_error(R"({"jsonrpc":"2.0 ","id":1,"method":"m"})").message,
            R"(Invalid Request: jsonrpc: expected "2.0", got "2.0 ")");
}

TEST(DecodeRequestHostile, WrongMethod) {
  RpcError e = expect_error(R"({"jsonrpc":"2.0","id":5})");
  EXPECT_EQ(e.code, rpc_code::kInvalidRequest);
  EXPECT_EQ(e.message, "Invalid Request: method: missing");
  EXPECT_EQ(e.id, json(5));

  e = expect_error(R"({"jsonrpc":"2.0","id":5,"method":17})");
  EXPECT_EQ(e.message, "Invalid Request: method: expected a string, got 17");
  EXPECT_EQ(e.id, json(5));
  EXPECT_EQ(expect_error(R"({"jsonrpc":"2.0","id":5,"method":null})").message,
            "Invalid Request: method: expected a string, got null");
  EXPECT_EQ(expect_error(R"({"jsonrpc":"2.0","id":5,"method":{"name":"m"}})").message,
            "Invalid Request: method: expected a string, got an object");
}

TEST(DecodeRequestHostile, NotificationIsRefused) {
  const RpcError e = expect_error(R"({"jsonrpc":"2.0","method":"tasks/get","params":{}})");
  EXPECT_EQ(e.code, rpc_code::kInvalidRequest);
  EXPECT_EQ(e.message, "Invalid Request: id: missing (notifications are not supported)");
  EXPECT_TRUE(e.id.is_null());
}

TEST(DecodeRequestHostile, StructuredIdIsRefusedAndNotEchoed) {
  RpcError e = expect_error(R"({"jsonrpc":"2.0","id":{"x":1},"method":"m"})");
  EXPECT_EQ(e.code, rpc_code::kInvalidRequest);
  EXPECT_EQ(e.message, "Invalid Request: id: expected a string, number or null, got an object");
  EXPECT_TRUE(e.id.is_null());

  e = expect_error(R"({"jsonrpc":"2.0","id":[1],"method":"m"})");
  EXPECT_EQ(e.message, "Invalid Request: id: expected a string, number or null, got an array");
  EXPECT_TRUE(e.id.is_null());
}

TEST(DecodeRequestHostile, LongValuesAreShortenedInMessages) {
  const std::string method(1000, 'v');
  const RpcError e = expect_error(R"({"jsonrpc":")" + method + R"(","id":1,"method":"m"})");
  EXPECT_EQ(e.message,
            R"(Invalid Request: jsonrpc: expected "2.0", got ")" + std::string(40, 'v') + "\"...");
}

// --- encoding --------------------------------------------------------------------------

TEST(EncodeResult, KeyOrderAndCompactness) {
  EXPECT_EQ(encode_result(json("1"), json{{"id", "task-abc"}, {"b", nullptr}}),
            R"({"jsonrpc":"2.0","id":"1","result":{"b":null,"id":"task-abc"}})");
  EXPECT_EQ(encode_result(json(3), json::array()), R"({"jsonrpc":"2.0","id":3,"result":[]})");
  EXPECT_EQ(encode_result(json(nullptr), json(nullptr)),
            R"({"jsonrpc":"2.0","id":null,"result":null})");
}

TEST(EncodeError, MatchesTheCancelExampleByteForByte) {
  EXPECT_EQ(encode_error(json("1"), rpc_code::kUnsupportedOperation,
                         "Method not yet implemented: tasks/cancel"),
            kCancelReply);
}

TEST(EncodeError, DataOnlyWhenGiven) {
  const json data = {{"why", "x"}};
  EXPECT_EQ(
      encode_error(json(2), rpc_code::kInvalidParams, "bad", &data),
      R"({"jsonrpc":"2.0","id":2,"error":{"code":-32602,"message":"bad","data":{"why":"x"}}})");
  const json null_data = nullptr;
  EXPECT_EQ(encode_error(json(2), -32000, "m", &null_data),
            R"({"jsonrpc":"2.0","id":2,"error":{"code":-32000,"message":"m","data":null}})");
}

TEST(EncodeError, EscapesTheMessage) {
  EXPECT_EQ(encode_error(json(nullptr), -1, "a \"quoted\"\nline\\"),
            R"({"jsonrpc":"2.0","id":null,"error":{"code":-1,"message":"a \"quoted\"\nline\\"}})");
}

TEST(Encode, InvalidUtf8NeverThrowsAndYieldsValidJson) {
  const std::string bad = "caf\xc3 \xff";
  std::string out;
  ASSERT_NO_THROW(out = encode_error(json(bad), -32603, bad));
  EXPECT_EQ(out,
            "{\"jsonrpc\":\"2.0\",\"id\":\"caf\xef\xbf\xbd \xef\xbf\xbd\",\"error\":{\"code\":"
            "-32603,\"message\":\"caf\xef\xbf\xbd \xef\xbf\xbd\"}}");
  ASSERT_NO_THROW(out = encode_result(json(1), json{{"t", bad}}));
  EXPECT_TRUE(json::accept(out)) << out;
  ASSERT_NO_THROW(out = encode_request(json(1), bad, json{{"t", bad}}));
  EXPECT_TRUE(json::accept(out)) << out;
}

TEST(EncodeRequest, KeyOrderAndOptionalParams) {
  EXPECT_EQ(encode_request(json("1"), "tasks/get", json{{"id", "task-abc"}}),
            R"({"jsonrpc":"2.0","id":"1","method":"tasks/get","params":{"id":"task-abc"}})");
  EXPECT_EQ(encode_request(json(9), "m", nullptr), R"({"jsonrpc":"2.0","id":9,"method":"m"})");
}

TEST(EncodeRequest, RoundTripsThroughDecodeRequest) {
  const json params = json::parse(kSendRequest)["params"];
  const RpcRequest r = expect_request(encode_request(json("rid"), "tasks/send", params));
  EXPECT_EQ(r.id, json("rid"));
  EXPECT_EQ(r.method, "tasks/send");
  EXPECT_EQ(r.params, params);
}

// --- decode_response -------------------------------------------------------------------

TEST(DecodeResponse, Result) {
  std::string err;
  const auto r = decode_response(
      R"({"jsonrpc":"2.0","id":"1","result":{"id":"task-abc","status":{"state":"completed"}}})",
      &err);
  ASSERT_TRUE(r.has_value()) << err;
  EXPECT_EQ(r->id, json("1"));
  ASSERT_TRUE(r->result.has_value());
  EXPECT_EQ((*r->result)["id"], "task-abc");
  EXPECT_FALSE(r->error.has_value());
}

TEST(DecodeResponse, NullResultIsAResult) {
  std::string err;
  const auto r = decode_response(R"({"jsonrpc":"2.0","id":1,"result":null})", &err);
  ASSERT_TRUE(r.has_value()) << err;
  ASSERT_TRUE(r->result.has_value());
  EXPECT_TRUE(r->result->is_null());
}

TEST(DecodeResponse, ErrorFromTheCancelExample) {
  std::string err;
  const auto r = decode_response(kCancelReply, &err);
  ASSERT_TRUE(r.has_value()) << err;
  EXPECT_FALSE(r->result.has_value());
  ASSERT_TRUE(r->error.has_value());
  EXPECT_EQ(r->error->code, -32004);
  EXPECT_EQ(r->error->message, "Method not yet implemented: tasks/cancel");
  EXPECT_EQ(r->error->id, json("1"));
}

TEST(DecodeResponse, ErrorWinsOverANullResult) {
  std::string err;
  const auto r = decode_response(
      R"({"jsonrpc":"2.0","id":1,"result":null,"error":{"code":-32001,"message":"Task not found: x"}})",
      &err);
  ASSERT_TRUE(r.has_value()) << err;
  ASSERT_TRUE(r->error.has_value());
  EXPECT_FALSE(r->result.has_value());
  EXPECT_EQ(r->error->code, rpc_code::kTaskNotFound);
}

TEST(DecodeResponse, ToleratesMissingJsonrpcIdAndMessage) {
  std::string err;
  const auto r = decode_response(R"({"error":{"code":-32603.0}})", &err);
  ASSERT_TRUE(r.has_value()) << err;
  ASSERT_TRUE(r->error.has_value());
  EXPECT_EQ(r->error->code, -32603);
  EXPECT_EQ(r->error->message, "");
  EXPECT_TRUE(r->id.is_null());
}

TEST(DecodeResponse, Failures) {
  const auto failure = [](std::string_view body) {
    std::string err;
    EXPECT_FALSE(decode_response(body, &err).has_value()) << body;
    return err;
  };
  EXPECT_EQ(failure(R"({"jsonrpc":"2.0","id":1})"), "no result or error member");
  EXPECT_EQ(failure(R"({"jsonrpc":"2.0","id":1,"error":null})"), "no result or error member");
  EXPECT_EQ(failure("<html>502 Bad Gateway</html>"),
            "not JSON: parse error at line 1, column 1: syntax error while parsing value - "
            "invalid literal; last read: '<'");
  EXPECT_EQ(failure(std::string(1000, '[')), "not JSON: nesting deeper than 64");
  EXPECT_EQ(failure("[]"), "not a JSON-RPC reply: expected an object, got an array");
  EXPECT_EQ(failure(R"({"error":"boom"})"), R"(error: expected an object, got "boom")");
  EXPECT_EQ(failure(R"({"error":{"message":"x"}})"), "error.code: missing");
  EXPECT_EQ(failure(R"({"error":{"code":"-32000"}})"),
            R"(error.code: expected an integer, got "-32000")");
  EXPECT_EQ(failure(R"({"error":{"code":1.5}})"), "error.code: expected an integer, got 1.5");
  EXPECT_EQ(failure(R"({"error":{"code":9999999999}})"),
            "error.code: expected an integer, got 9999999999");
  EXPECT_EQ(failure(R"({"error":{"code":1,"message":7}})"),
            "error.message: expected a string, got 7");
}

// --- parse_json ------------------------------------------------------------------------

TEST(ParseJson, DepthLimitCountsContainers) {
  std::string err;
  EXPECT_TRUE(parse_json(std::string(64, '[') + std::string(64, ']'), &err).has_value()) << err;
  EXPECT_FALSE(parse_json(std::string(65, '[') + std::string(65, ']'), &err).has_value());
  EXPECT_EQ(err, "nesting deeper than 64");
  // Brackets inside strings are not nesting.
  EXPECT_TRUE(parse_json("[\"" + std::string(1000, '[') + "\"]", &err).has_value()) << err;
}

}  // namespace
}  // namespace constellation::a2a

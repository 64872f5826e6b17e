#include "constellation/a2a/dialect.h"

#include <gtest/gtest.h>

#include <fstream>

namespace constellation::a2a {
namespace {

using nlohmann::json;
using Kind = MethodRoute::Kind;

TEST(DialectName, RoundTripsAndRefusesOthers) {
  for (auto d : {Dialect::kLegacy, Dialect::kV03, Dialect::kV10})
    EXPECT_EQ(dialect_from_name(dialect_name(d)), d);
  EXPECT_EQ(dialect_from_name("0.2"), std::nullopt);
  EXPECT_EQ(std::string(dialect_name(Dialect::kV10)), "1.0");
}

TEST(RouteMethod, MethodNamesPickTheDialect) {
  auto route = [](std::string_view m) { return route_method(m); };
  EXPECT_EQ(route("SendMessage").kind, Kind::kDialect);
  EXPECT_EQ(route("SendMessage").dialect, Dialect::kV10);
  EXPECT_EQ(route("ListTasks").dialect, Dialect::kV10);
  EXPECT_EQ(route("GetExtendedAgentCard").dialect, Dialect::kV10);
  EXPECT_EQ(route("tasks/send").dialect, Dialect::kLegacy);
  EXPECT_EQ(route("message/send").dialect, Dialect::kV03);
  EXPECT_EQ(route("tasks/pushNotificationConfig/set").dialect, Dialect::kV03);
  EXPECT_EQ(route("agent/getAuthenticatedExtendedCard").dialect, Dialect::kV03);
  EXPECT_EQ(route("tasks/get").kind, Kind::kTaskDialect);
  EXPECT_EQ(route("tasks/cancel").kind, Kind::kTaskDialect);
  for (auto unknown : {"", "sendMessage", "tasks/list", "message/SEND", "NoSuchMethod", "tasks/"})
    EXPECT_EQ(route(unknown).kind, Kind::kUnknown) << unknown;
}

TEST(RouteMethod, UnknownTasksGoToLegacyOnlyWithTheRustHeader) {
  EXPECT_EQ(dialect_for_unknown_task(true), Dialect::kLegacy);
  EXPECT_EQ(dialect_for_unknown_task(false), Dialect::kV03);
}

std::optional<PeerEndpoint> endpoint(const std::string& card) {
  std::string err;
  auto e = choose_endpoint(json::parse(card), &err);
  EXPECT_TRUE(e) << err << " for " << card;
  return e;
}

std::string refusal(const json& card) {
  std::string err;
  EXPECT_FALSE(choose_endpoint(card, &err)) << card.dump();
  return err;
}

TEST(ChooseEndpoint, TheHybridCardOfWireDocSection44IsV10) {
  auto e = endpoint(R"({"name":"atlas","version":"1.4.0","protocolVersion":"0.3.0",
      "url":"http://10.0.0.5:7777/","preferredTransport":"JSONRPC",
      "supportedInterfaces":[
        {"url":"http://10.0.0.5:7777/v1","protocolBinding":"JSONRPC","protocolVersion":"1.0"},
        {"url":"http://10.0.0.5:7777/","protocolBinding":"JSONRPC","protocolVersion":"0.3"}]})");
  EXPECT_EQ(e, (PeerEndpoint{Dialect::kV10, "http://10.0.0.5:7777/v1", ""}));
}

TEST(ChooseEndpoint, V10EntryWinsWhateverItsPositionAndCarriesItsTenant) {
  auto e = endpoint(R"({"name":"a","supportedInterfaces":[
        {"url":"http://h/grpc","protocolBinding":"GRPC","protocolVersion":"1.0"},
        {"url":"http://h/old","protocolBinding":"JSONRPC","protocolVersion":"0.3"},
        {"url":"http://h/rpc","protocolBinding":"JSONRPC","protocolVersion":"1.0","tenant":"t1"}]})");
  EXPECT_EQ(e, (PeerEndpoint{Dialect::kV10, "http://h/rpc", "t1"}));
}

TEST(ChooseEndpoint, OnlyAV03EntryMeansV03) {
  auto e = endpoint(R"({"name":"a","supportedInterfaces":[
        {"url":"http://h/old","protocolBinding":"JSONRPC","protocolVersion":"0.3.0"}]})");
  EXPECT_EQ(e, (PeerEndpoint{Dialect::kV03, "http://h/old", ""}));
}

TEST(ChooseEndpoint, V03CardsByTheirOwnFields) {
  EXPECT_EQ(endpoint(R"({"name":"a","url":"http://h/","protocolVersion":"0.3.0"})"),
            (PeerEndpoint{Dialect::kV03, "http://h/", ""}));
  EXPECT_EQ(endpoint(R"({"name":"a","url":"http://h/grpc","preferredTransport":"GRPC",
      "additionalInterfaces":[{"url":"http://h/grpc","transport":"GRPC"},
                              {"url":"http://h/rpc","transport":"JSONRPC"}]})"),
            (PeerEndpoint{Dialect::kV03, "http://h/rpc", ""}));
}

TEST(ChooseEndpoint, TheRustCardIsLegacy) {
  // a2a-wire.md §1.2, verbatim.
  EXPECT_EQ(endpoint(R"({"name":"atmos-vnic","description":"Cloud ARM dev box",
      "url":"http://100.76.147.110:7777/","version":"0.1.0",
      "capabilities":{"streaming":false,"pushNotifications":false,"stateTransitionHistory":false},
      "defaultInputModes":["text"],"defaultOutputModes":["text"],"skills":[]})"),
            (PeerEndpoint{Dialect::kLegacy, "http://100.76.147.110:7777/", ""}));
}

TEST(ChooseEndpoint, CardsWithoutAJsonRpcEndpointAreRefused) {
  EXPECT_EQ(refusal(json::array()), "the card is not a JSON object");
  EXPECT_EQ(refusal(json{{"name", "a"}}), "the card has no url and no supportedInterfaces");
  EXPECT_EQ(refusal(json::parse(R"({"name":"a","supportedInterfaces":[
                {"url":"http://h/","protocolBinding":"GRPC","protocolVersion":"1.0"},
                {"url":"http://h/","protocolBinding":"JSONRPC","protocolVersion":"0.2"},
                {"url":"","protocolBinding":"JSONRPC","protocolVersion":"1.0"},
                {"url":"http://h/","protocolBinding":"JSONRPC","protocolVersion":"one"}]})")),
            "the card's supportedInterfaces has no JSON-RPC entry of version 0.3 or 1.x");
  EXPECT_EQ(refusal(json::parse(R"({"name":"a","url":"http://h/","preferredTransport":"GRPC"})")),
            "the card offers no JSON-RPC interface (only other transports)");
}

TEST(ChooseEndpoint, TheSdkCardsFromTheFixtures) {
  // The official JS SDK's card, as served to its own v1.0 and v0.3 clients.
  for (const char* file : {"v1-resolve.01.agent-card.json", "v03-resolve.01.agent-card.json"}) {
    std::ifstream in(std::string(CONSTELLATION_TEST_DATA) + "/a2a-js-wire/" + file);
    ASSERT_TRUE(in) << "missing fixture tests/data/a2a-js-wire/" << file;
    const json exchange = json::parse(in);
    json body = exchange["response"]["body"];
    if (body.is_string()) body = json::parse(body.get<std::string>());
    std::string err;
    auto e = choose_endpoint(body, &err);
    ASSERT_TRUE(e) << err << "\n" << body.dump(2);
    EXPECT_EQ(e->dialect, Dialect::kV10) << file << ": the SDK's card lists a 1.0 JSONRPC interface";
  }
}

TEST(ChooseEndpoint, ReadsPushAndStreamingCapabilities) {
  auto both = json::parse(R"({"name":"x","protocolVersion":"0.3.0","url":"http://h/",
      "capabilities":{"streaming":true,"pushNotifications":true}})");
  auto e = choose_endpoint(both, nullptr);
  ASSERT_TRUE(e);
  EXPECT_TRUE(e->push);
  EXPECT_TRUE(e->streaming);
  auto stream_only = json::parse(R"({"name":"x","protocolVersion":"0.3.0","url":"http://h/",
      "capabilities":{"streaming":true,"pushNotifications":"yes"}})");
  e = choose_endpoint(stream_only, nullptr);
  ASSERT_TRUE(e);
  EXPECT_FALSE(e->push);  // not a boolean: not offered
  EXPECT_TRUE(e->streaming);
  // A legacy peer cannot do either, whatever its card says.
  auto legacy = json::parse(R"({"name":"x","url":"http://h/",
      "capabilities":{"streaming":true,"pushNotifications":true}})");
  e = choose_endpoint(legacy, nullptr);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->dialect, Dialect::kLegacy);
  EXPECT_FALSE(e->push);
  EXPECT_FALSE(e->streaming);
}

}  // namespace
}  // namespace constellation::a2a

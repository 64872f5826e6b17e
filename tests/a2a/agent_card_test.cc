#include "constellation/a2a/agent_card.h"

#include <gtest/gtest.h>

#include <fstream>
#include <string>

namespace constellation::a2a {
namespace {

using nlohmann::json;

// a2a-wire.md §1.2.
constexpr const char* kRustCard =
    R"({"name":"atmos-vnic","description":"Cloud ARM dev box","url":"http://100.76.147.110:7777/","version":"0.1.0",
 "capabilities":{"streaming":false,"pushNotifications":false,"stateTransitionHistory":false},
 "defaultInputModes":["text"],"defaultOutputModes":["text"],
 "skills":[{"id":"research","name":"research","description":"Web research and summarization","tags":["research","web"]}]})";

// a2a-wire.md §4.4: the hybrid card we serve; a legacy reader takes name/url/version.
constexpr const char* kHybridCard =
    R"({"name":"atlas","description":"Build helper","version":"1.4.0",
 "protocolVersion":"0.3.0","url":"http://10.0.0.5:7777/","preferredTransport":"JSONRPC",
 "additionalInterfaces":[{"url":"http://10.0.0.5:7777/","transport":"JSONRPC"}],
 "supportedInterfaces":[
   {"url":"http://10.0.0.5:7777/","protocolBinding":"JSONRPC","protocolVersion":"1.0"},
   {"url":"http://10.0.0.5:7777/","protocolBinding":"JSONRPC","protocolVersion":"0.3"}],
 "capabilities":{"streaming":true,"pushNotifications":true},
 "defaultInputModes":["text/plain"],"defaultOutputModes":["text/plain"],
 "skills":[{"id":"build","name":"build","description":"Runs builds","tags":["build"]}]})";

AgentCard parsed(std::string_view body) {
  std::string err;
  const auto card = parse_card(body, &err);
  EXPECT_TRUE(card.has_value()) << err;
  return card.value_or(AgentCard{});
}

std::string card_error(const json& j) {
  std::string err;
  EXPECT_FALSE(card_from_json(j, &err).has_value()) << j.dump();
  return err;
}

json minimal() { return {{"name", "n"}, {"url", "http://127.0.0.1:7777/"}, {"version", "0.1.0"}}; }

TEST(AgentCard, ParsesTheRustExample) {
  const AgentCard card = parsed(kRustCard);
  EXPECT_EQ(card.name, "atmos-vnic");
  EXPECT_EQ(card.description, "Cloud ARM dev box");
  EXPECT_EQ(card.url, "http://100.76.147.110:7777/");
  EXPECT_EQ(card.version, "0.1.0");
  EXPECT_FALSE(card.streaming);
  EXPECT_FALSE(card.push_notifications);
  ASSERT_EQ(card.skills.size(), 1u);
  EXPECT_EQ(card.skills[0],
            (Skill{"research", "research", "Web research and summarization", {"research", "web"}}));
}

TEST(AgentCard, RustExampleKeepsWhatTheOriginalReads) {
  // The Rust prober reads name, url and version; the rest must survive unchanged in type.
  const json rust = json::parse(kRustCard);
  const json ours = card_to_json(parsed(kRustCard));
  for (const char* key : {"name", "description", "url", "version", "capabilities", "skills"}) {
    EXPECT_EQ(ours[key], rust[key]) << key;
  }
  // Modes become MIME types; the original reads them as plain strings.
  EXPECT_EQ(ours["defaultInputModes"], json::array({"text/plain"}));
  EXPECT_EQ(ours["defaultOutputModes"], json::array({"text/plain"}));
}

TEST(AgentCard, ParsesTheHybridCard) {
  const AgentCard card = parsed(kHybridCard);
  EXPECT_EQ(card.name, "atlas");
  EXPECT_EQ(card.url, "http://10.0.0.5:7777/");
  EXPECT_EQ(card.version, "1.4.0");
  EXPECT_TRUE(card.streaming);
  EXPECT_TRUE(card.push_notifications);
  ASSERT_EQ(card.skills.size(), 1u);
  EXPECT_EQ(card.skills[0].description, "Runs builds");
}

TEST(AgentCard, ToJsonIsTheHybridCard) {
  AgentCard card;
  card.name = "atlas";
  card.url = "http://10.0.0.5:7777/";
  card.version = "0.1.0";
  card.streaming = true;
  card.skills = {skill_from_name("build")};
  // a2a-wire.md §4.4, with an empty description: v0.3 and v1.0 require the key.
  const json expected = json::parse(R"({"name":"atlas","description":"","url":"http://10.0.0.5:7777/",
    "version":"0.1.0","protocolVersion":"0.3.0","preferredTransport":"JSONRPC",
    "additionalInterfaces":[{"url":"http://10.0.0.5:7777/","transport":"JSONRPC"}],
    "supportedInterfaces":[
      {"url":"http://10.0.0.5:7777/","protocolBinding":"JSONRPC","protocolVersion":"1.0"},
      {"url":"http://10.0.0.5:7777/","protocolBinding":"JSONRPC","protocolVersion":"0.3"}],
    "capabilities":{"streaming":true,"pushNotifications":false,"stateTransitionHistory":false},
    "defaultInputModes":["text/plain"],"defaultOutputModes":["text/plain"],
    "skills":[{"id":"build","name":"build","description":"Skill: build","tags":["build"]}]})");
  const json j = card_to_json(card);
  EXPECT_EQ(j, expected) << j.dump(2);
  EXPECT_TRUE(j["capabilities"]["streaming"].is_boolean());
}

TEST(AgentCard, ToJsonOffersV10FirstThenV03ThenLegacy) {
  AgentCard card;
  card.name = "atlas";
  card.url = "http://10.0.0.5:7777/";
  card.version = "0.1.0";
  json j = card_to_json(card);
  std::string err;
  auto endpoint = choose_endpoint(j, &err);
  ASSERT_TRUE(endpoint) << err;
  EXPECT_EQ(*endpoint, (PeerEndpoint{Dialect::kV10, "http://10.0.0.5:7777/", ""}));
  // A v0.3 client ignores supportedInterfaces; a legacy one reads url only.
  j.erase("supportedInterfaces");
  endpoint = choose_endpoint(j, &err);
  ASSERT_TRUE(endpoint) << err;
  EXPECT_EQ(*endpoint, (PeerEndpoint{Dialect::kV03, "http://10.0.0.5:7777/", ""}));
  for (const char* key : {"protocolVersion", "preferredTransport", "additionalInterfaces"}) {
    j.erase(key);
  }
  endpoint = choose_endpoint(j, &err);
  ASSERT_TRUE(endpoint) << err;
  EXPECT_EQ(*endpoint, (PeerEndpoint{Dialect::kLegacy, "http://10.0.0.5:7777/", ""}));
}

TEST(AgentCard, ToJsonThenFromJsonIsIdentity) {
  AgentCard card;
  card.name = "n";
  card.description = "d";
  card.url = "https://example.com/rpc";
  card.version = "2";
  card.push_notifications = true;
  card.skills = {skill_from_name("a"), Skill{"x", "y", "z", {"t1", "t2"}}};
  std::string err;
  EXPECT_EQ(card_from_json(card_to_json(card), &err), card) << err;
}

TEST(SkillFromName, IdNameAndTagAreTheName) {
  EXPECT_EQ(skill_from_name("research"),
            (Skill{"research", "research", "Skill: research", {"research"}}));
}

TEST(AgentCard, LenientAboutOptionalAndUnknownFields) {
  std::string err;
  auto card = card_from_json(minimal(), &err);
  ASSERT_TRUE(card.has_value()) << err;
  EXPECT_TRUE(card->skills.empty());
  EXPECT_TRUE(card->description.empty());

  json j = minimal();
  j["description"] = nullptr;
  j["capabilities"] = json::object();
  j["skills"] = json::parse(R"([{"id":"s"},{"id":"t","name":"T","tags":null,"examples":["x"]}])");
  j["securitySchemes"] = {{"x", 1}};
  card = card_from_json(j, &err);
  ASSERT_TRUE(card.has_value()) << err;
  ASSERT_EQ(card->skills.size(), 2u);
  EXPECT_EQ(card->skills[0], (Skill{"s", "s", "", {}}));
  EXPECT_EQ(card->skills[1], (Skill{"t", "T", "", {}}));
}

TEST(AgentCard, RequiredFields) {
  json j = minimal();
  j.erase("name");
  EXPECT_EQ(card_error(j), "name: missing");
  j = minimal();
  j.erase("url");
  EXPECT_EQ(card_error(j), "url: missing");
  EXPECT_EQ(card_error(json::array()), "expected an object, got array");
}

TEST(AgentCard, WrongTypesNameThePath) {
  json j = minimal();
  j["name"] = 3;
  EXPECT_EQ(card_error(j), "name: expected a string, got number");
  j = minimal();
  j["version"] = 0.1;
  EXPECT_EQ(card_error(j), "version: expected a string, got number");
  j = minimal();
  j["url"] = nullptr;
  EXPECT_EQ(card_error(j), "url: missing");
  j = minimal();
  j["url"] = 7;
  EXPECT_EQ(card_error(j), "url: expected a string, got number");
  j = minimal();
  j["description"] = false;
  EXPECT_EQ(card_error(j), "description: expected a string, got boolean");
  j = minimal();
  j["capabilities"] = {{"streaming", "true"}};
  EXPECT_EQ(card_error(j), "capabilities.streaming: expected a boolean, got string");
  j = minimal();
  j["capabilities"] = {{"pushNotifications", 1}};
  EXPECT_EQ(card_error(j), "capabilities.pushNotifications: expected a boolean, got number");
  j = minimal();
  j["capabilities"] = json::array();
  EXPECT_EQ(card_error(j), "capabilities: expected an object, got array");
  j = minimal();
  j["skills"] = "research";
  EXPECT_EQ(card_error(j), "skills: expected an array, got string");
  j = minimal();
  j["skills"] = json::parse(R"([{"id":"a"},"b"])");
  EXPECT_EQ(card_error(j), "skills[1]: expected an object, got string");
  j = minimal();
  j["skills"] = json::parse(R"([{"id":"a"},{"name":"b"}])");
  EXPECT_EQ(card_error(j), "skills[1].id: missing");
  j = minimal();
  j["skills"] = json::parse(R"([{"id":"a","name":7}])");
  EXPECT_EQ(card_error(j), "skills[0].name: expected a string, got number");
  j = minimal();
  j["skills"] = json::parse(R"([{"id":"a","tags":"a"}])");
  EXPECT_EQ(card_error(j), "skills[0].tags: expected an array, got string");
  j = minimal();
  j["skills"] = json::parse(R"([{"id":"a","tags":["a",2]}])");
  EXPECT_EQ(card_error(j), "skills[0].tags[1]: expected a string, got number");
}

TEST(AgentCard, UrlMustBeAbsoluteHttp) {
  for (const char* url : {"http://100.76.147.110:7777/", "https://example.com", "HTTP://Host/",
                          "http://[::1]:7777/", "http://user@host:80/rpc?x=1#f", "http://host"}) {
    json j = minimal();
    j["url"] = url;
    std::string err;
    EXPECT_TRUE(card_from_json(j, &err).has_value()) << url << ": " << err;
  }
  for (const char* url :
       {"", "/", "100.64.0.7:7777", "ftp://host/", "http://", "http:///x", "http://:80/",
        "http://host:/", "http://host:99999/", "http://host:8a/", "http://ho st/", "http://[::1/",
        "http://[]/", "https//host/", "ws://host/"}) {
    json j = minimal();
    j["url"] = url;
    EXPECT_EQ(card_error(j), "url: not an absolute http(s) URL") << url;
  }
}

TEST(ParseCard, NotJson) {
  std::string err;
  EXPECT_FALSE(parse_card("<html>404</html>", &err).has_value());
  EXPECT_EQ(err,
            "not JSON: parse error at line 1, column 1: syntax error while parsing value - invalid "
            "literal; last read: '<'");
  EXPECT_FALSE(parse_card(std::string(100000, '['), &err).has_value());
  EXPECT_EQ(err, "not JSON: nesting deeper than 64");
  EXPECT_FALSE(parse_card("{\"name\":\"\xff\"}", &err).has_value());
  EXPECT_TRUE(err.starts_with("not JSON: ")) << err;
}

TEST(ParseCard, ValidJsonButNotACard) {
  std::string err;
  EXPECT_FALSE(parse_card(R"({"name":"x","url":"x","version":"1"})", &err).has_value());
  EXPECT_EQ(err, "url: not an absolute http(s) URL");
}

// --- v1.0 and v0.3 cards ---------------------------------------------------------------

TEST(AgentCard, V10OnlyCardTakesItsUrlFromSupportedInterfaces) {
  // a2a-wire.md §3.6: no top-level url, preferredTransport or protocolVersion.
  const AgentCard card = parsed(R"({"name":"atlas","description":"Build helper","version":"1.4.0",
    "supportedInterfaces":[
      {"url":"http://10.0.0.5:7777/grpc","protocolBinding":"GRPC","protocolVersion":"1.0"},
      {"url":"http://10.0.0.5:7777/rpc","protocolBinding":"JSONRPC","protocolVersion":"1.0","tenant":"t1"}],
    "capabilities":{"streaming":true,"pushNotifications":true,"extendedAgentCard":false},
    "defaultInputModes":["text/plain"],"defaultOutputModes":["text/plain"],
    "skills":[{"id":"build","name":"build","description":"Runs builds","tags":["build"]}]})");
  EXPECT_EQ(card.name, "atlas");
  EXPECT_EQ(card.url, "http://10.0.0.5:7777/rpc");
  EXPECT_EQ(card.version, "1.4.0");
  EXPECT_TRUE(card.streaming);
}

TEST(AgentCard, V03CardUsesTheJsonRpcInterfaceWhenThePreferredOneIsNot) {
  const AgentCard card = parsed(R"({"name":"atlas","description":"d","version":"1",
    "protocolVersion":"0.3.0","url":"http://10.0.0.5:50051","preferredTransport":"GRPC",
    "additionalInterfaces":[{"url":"http://10.0.0.5:50051","transport":"GRPC"},
                            {"url":"http://10.0.0.5:7777/a2a","transport":"JSONRPC"}],
    "capabilities":{},"defaultInputModes":["text/plain"],"defaultOutputModes":["text/plain"],
    "skills":[]})");
  EXPECT_EQ(card.url, "http://10.0.0.5:7777/a2a");
}

TEST(AgentCard, VersionMayBeMissing) {
  json j = minimal();
  j.erase("version");
  std::string err;
  const auto card = card_from_json(j, &err);
  ASSERT_TRUE(card) << err;
  EXPECT_EQ(card->version, "");
  j["version"] = nullptr;
  EXPECT_TRUE(card_from_json(j, &err)) << err;
}

TEST(AgentCard, RefusesCardsWithoutAUsableJsonRpcEndpoint) {
  EXPECT_EQ(card_error(json::parse(R"({"name":"a","supportedInterfaces":[
      {"url":"http://h/","protocolBinding":"GRPC","protocolVersion":"1.0"}]})")),
            "no usable JSON-RPC endpoint: the card's supportedInterfaces has no JSON-RPC entry "
            "of version 0.3 or 1.x");
  EXPECT_EQ(card_error(json::parse(R"({"name":"a","url":"http://h/","preferredTransport":"GRPC"})")),
            "no usable JSON-RPC endpoint: the card offers no JSON-RPC interface (only other "
            "transports)");
  // The endpoint a client would pick must be an absolute http(s) URL; the path says which.
  EXPECT_EQ(card_error(json::parse(R"({"name":"a","url":"http://h/","supportedInterfaces":[
      {"url":"http://h/","protocolBinding":"GRPC","protocolVersion":"1.0"},
      {"url":"/rpc","protocolBinding":"JSONRPC","protocolVersion":"1.0"}]})")),
            "supportedInterfaces[1].url: not an absolute http(s) URL");
  EXPECT_EQ(card_error(json::parse(R"({"name":"a","protocolVersion":"0.3.0","url":"rpc"})")),
            "url: not an absolute http(s) URL");
  EXPECT_EQ(card_error(json::parse(R"({"name":"a","url":"grpc://h","preferredTransport":"GRPC",
      "additionalInterfaces":[{"url":"h:7777","transport":"JSONRPC"}]})")),
            "additionalInterfaces[0].url: not an absolute http(s) URL");
}

json fixture_card(const char* file) {
  std::ifstream in(std::string(CONSTELLATION_TEST_DATA) + "/a2a-js-wire/" + file);
  EXPECT_TRUE(in) << "missing fixture tests/data/a2a-js-wire/" << file;
  if (!in) return json();
  json body = json::parse(in)["response"]["body"];
  return body.is_string() ? json::parse(body.get<std::string>()) : body;
}

TEST(AgentCard, ReadsTheJsSdkCards) {
  // The official SDK's card as its v1.0 clients see it, and as a header-less (v0.3)
  // fetch sees it.
  for (const char* file : {"v1-resolve.01.agent-card.json", "raw-card-noVersionHeader.01.agent-card.json"}) {
    SCOPED_TRACE(file);
    std::string err;
    const auto card = card_from_json(fixture_card(file), &err);
    ASSERT_TRUE(card) << err;
    EXPECT_EQ(card->name, "Echo Agent (a2a-js stand-in)");
    EXPECT_EQ(card->url, "http://127.0.0.1:9998/");
    EXPECT_EQ(card->version, "1.0.0");
    ASSERT_EQ(card->skills.size(), 1u);
    EXPECT_EQ(card->skills[0], (Skill{"echo", "Echo", "Echo the input text", {"echo"}}));
  }
}

TEST(CardEndpoint, FromStoredText) {
  std::string err;
  auto endpoint = card_endpoint(kRustCard, &err);
  ASSERT_TRUE(endpoint) << err;
  EXPECT_EQ(*endpoint, (PeerEndpoint{Dialect::kLegacy, "http://100.76.147.110:7777/", ""}));
  endpoint = card_endpoint(kHybridCard, &err);
  ASSERT_TRUE(endpoint) << err;
  // The hybrid fixture declares push and streaming; the legacy card above declares neither.
  EXPECT_EQ(*endpoint, (PeerEndpoint{Dialect::kV10, "http://10.0.0.5:7777/", "", true, true}));
  endpoint = card_endpoint(R"({"name":"a","supportedInterfaces":[
      {"url":"http://h/","protocolBinding":"JSONRPC","protocolVersion":"1.0","tenant":"acme"}]})",
                           &err);
  ASSERT_TRUE(endpoint) << err;
  EXPECT_EQ(endpoint->tenant, "acme");

  EXPECT_FALSE(card_endpoint("{}", &err));
  EXPECT_EQ(err, "the card has no url and no supportedInterfaces");
  EXPECT_FALSE(card_endpoint("not json", &err));
  EXPECT_TRUE(err.starts_with("the card is not JSON: ")) << err;
}

}  // namespace
}  // namespace constellation::a2a

namespace constellation::a2a {
namespace {

TEST(AgentCardNodeId, TravelsAsAnExtension) {
  AgentCard card;
  card.name = "atlas";
  card.url = "http://10.0.0.5:7777/";
  card.version = "0.1.0";
  card.node_id = "6f1c2d3e-0000-4000-8000-000000000001";
  const auto j = card_to_json(card);
  ASSERT_TRUE(j["capabilities"]["extensions"].is_array());
  const auto& ext = j["capabilities"]["extensions"][0];
  EXPECT_EQ(ext["uri"], kNodeExtensionUri);
  EXPECT_EQ(ext["required"], false);
  EXPECT_EQ(ext["params"]["nodeId"], card.node_id);
  std::string err;
  const auto back = card_from_json(j, &err);
  ASSERT_TRUE(back) << err;
  EXPECT_EQ(*back, card);
}

TEST(AgentCardNodeId, AbsentWithoutOneAndOtherExtensionsIgnored) {
  AgentCard card;
  card.name = "atlas";
  card.url = "http://10.0.0.5:7777/";
  card.version = "0.1.0";
  EXPECT_FALSE(card_to_json(card)["capabilities"].contains("extensions"));
  std::string err;
  const auto parsed = parse_card(
      R"({"name":"a","url":"http://h/","version":"1","capabilities":{"extensions":[
          {"uri":"https://example.org/ext/other","params":{"nodeId":"not ours"}}]}})",
      &err);
  ASSERT_TRUE(parsed) << err;
  EXPECT_EQ(parsed->node_id, "");
}

TEST(AgentCardNodeId, MalformedOnesAreRefusedWithThePath) {
  std::string err;
  EXPECT_FALSE(parse_card(
      R"({"name":"a","url":"http://h/","version":"1","capabilities":{"extensions":{}}})", &err));
  EXPECT_EQ(err, "capabilities.extensions: expected an array, got object");
  EXPECT_FALSE(parse_card(
      R"({"name":"a","url":"http://h/","version":"1","capabilities":{"extensions":[
          {"uri":"urn:constellation:ext:node:v1","params":{"nodeId":""}}]}})",
      &err));
  EXPECT_EQ(err, "capabilities.extensions[0].params.nodeId: must be 1 to 128 characters");
  EXPECT_FALSE(parse_card(
      R"({"name":"a","url":"http://h/","version":"1","capabilities":{"extensions":[
          {"uri":"urn:constellation:ext:node:v1","params":{"nodeId":7}}]}})",
      &err));
  EXPECT_EQ(err, "capabilities.extensions[0].params.nodeId: expected a string, got number");
}

}  // namespace
}  // namespace constellation::a2a

#include "constellation/node/identity.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "node/atlas_config.h"

namespace constellation::node {
namespace {

using nlohmann::json;

using test_support::atlas_config;

TEST(MakeCard, CarriesTheConfiguredIdentity) {
  const a2a::AgentCard card = make_card(atlas_config(), "http://10.0.0.5:7777/");
  EXPECT_EQ(card.name, "atlas");
  EXPECT_EQ(card.description, "Build helper");
  EXPECT_EQ(card.url, "http://10.0.0.5:7777/");
  EXPECT_EQ(card.version, CONSTELLATION_VERSION);
  ASSERT_EQ(card.skills.size(), 2u);
  EXPECT_EQ(card.skills[0], (a2a::Skill{"build", "build", "Skill: build", {"build"}}));
  EXPECT_EQ(card.skills[1], (a2a::Skill{"research", "research", "Skill: research", {"research"}}));
  EXPECT_TRUE(card.streaming);
  EXPECT_TRUE(card.push_notifications) << "every inbound task may carry a callback";
}

TEST(MakeCard, JsonParsesBackToTheSameCard) {
  const a2a::AgentCard card = make_card(atlas_config(), "http://10.0.0.5:7777/");
  const std::string text = a2a::card_to_json(card).dump();
  std::string err;
  const auto parsed = a2a::parse_card(text, &err);
  ASSERT_TRUE(parsed) << err << "\n" << text;
  EXPECT_EQ(*parsed, card);
}

TEST(MakeCard, JsonHasWhatTheRustProberNeeds) {
  // a2a-wire.md §1.2: name, absolute url and version; skills {id, name, tags}. The v0.3
  // and v1.0 fields beside them (§4.4) are unknown to it, so ignored.
  const json j = a2a::card_to_json(make_card(atlas_config(), "http://10.0.0.5:7777/"));
  EXPECT_EQ(j["name"], "atlas");
  EXPECT_EQ(j["url"], "http://10.0.0.5:7777/");
  EXPECT_EQ(j["version"], CONSTELLATION_VERSION);
  EXPECT_EQ(j["description"], "Build helper");
  EXPECT_EQ(j["skills"], json::parse(R"([
      {"id":"build","name":"build","description":"Skill: build","tags":["build"]},
      {"id":"research","name":"research","description":"Skill: research","tags":["research"]}])"));
  EXPECT_EQ(j["defaultInputModes"], json::array({"text/plain"}));
  EXPECT_EQ(j["defaultOutputModes"], json::array({"text/plain"}));
  EXPECT_EQ(j["protocolVersion"], "0.3.0");
  EXPECT_EQ(j["supportedInterfaces"][0]["url"], "http://10.0.0.5:7777/");
  EXPECT_EQ(j["supportedInterfaces"][0]["protocolVersion"], "1.0");
}

TEST(MakeCard, NoSkillsListsGeneralDescribedByTheAgent) {
  config::Config c;
  c.agent.name = "helper";
  c.agent.description = "Build box with a GPU";
  const a2a::AgentCard card = make_card(c, "http://127.0.0.1:7777/");
  ASSERT_EQ(card.skills.size(), 1u);
  EXPECT_EQ(card.skills[0], (a2a::Skill{"general", "general", "Build box with a GPU", {"general"}}));
}

TEST(MakeCard, NoDescriptionAndNoSkills) {
  config::Config c;
  c.agent.name = "bare";
  const a2a::AgentCard card = make_card(c, "http://[fd7a:115c::1]:7777/");
  const json j = a2a::card_to_json(card);
  // v0.3 and v1.0 require the key; the original reads it as optional text.
  EXPECT_EQ(j["description"], "");
  // v0.3 and v1.0 require at least one skill with a description and a tag.
  EXPECT_EQ(j["skills"], json::parse(R"([{"id":"general","name":"general",
      "description":"Takes any task described in plain text","tags":["general"]}])"));
  std::string err;
  const auto parsed = a2a::parse_card(j.dump(), &err);
  ASSERT_TRUE(parsed) << err;
  EXPECT_EQ(*parsed, card);
}

TEST(LoadIdentity, ExplicitAdvertisedHost) {
  config::Config c = atlas_config();
  c.network.advertised_host = "10.0.0.5";
  c.network.bind_port = 7788;
  auto id = load_identity(c);
  ASSERT_TRUE(id) << id.error().message;
  EXPECT_EQ(id->url, "http://10.0.0.5:7788/");
  EXPECT_EQ(id->card.url, id->url);
  EXPECT_EQ(id->card, make_card(c, "http://10.0.0.5:7788/"));
}

TEST(LoadIdentity, Ipv6HostIsBracketed) {
  config::Config c = atlas_config();
  c.network.advertised_host = "fd7a:115c:a1e0::1";
  auto id = load_identity(c);
  ASSERT_TRUE(id) << id.error().message;
  EXPECT_EQ(id->url, "http://[fd7a:115c:a1e0::1]:7777/");
  std::string err;
  EXPECT_TRUE(a2a::parse_card(a2a::card_to_json(id->card).dump(), &err)) << err;
}

}  // namespace
}  // namespace constellation::node

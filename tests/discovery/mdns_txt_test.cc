#include "../../src/discovery/mdns_txt.h"

#include <gtest/gtest.h>

namespace constellation::discovery {
namespace {

MdnsAdvert named(const std::string& instance_name, const std::string& agent_name) {
  MdnsAdvert a;
  a.instance_name = instance_name;
  a.agent_name = agent_name;
  return a;
}

TEST(TruncateUtf8, KeepsShortStringsWhole) {
  EXPECT_EQ(truncate_utf8("alice", 5), "alice");
  EXPECT_EQ(truncate_utf8("", 0), "");
}

TEST(TruncateUtf8, CutsAsciiAtTheLimit) { EXPECT_EQ(truncate_utf8("alice", 3), "ali"); }

TEST(TruncateUtf8, NeverSplitsAMultiByteSequence) {
  const std::string s = "a\xC3\xA9\xE2\x82\xAC";  // "a", "é" (2 bytes), "€" (3 bytes)
  EXPECT_EQ(truncate_utf8(s, 1), "a");
  EXPECT_EQ(truncate_utf8(s, 2), "a");  // would cut "é" after its lead byte
  EXPECT_EQ(truncate_utf8(s, 3), "a\xC3\xA9");
  EXPECT_EQ(truncate_utf8(s, 4), "a\xC3\xA9");  // would keep 1 of "€"'s 3 bytes
  EXPECT_EQ(truncate_utf8(s, 5), "a\xC3\xA9");
  EXPECT_EQ(truncate_utf8(s, 6), s);
}

TEST(MakeTxt, PublishesTheFourKeysInOrder) {
  MdnsAdvert advert = named("alice", "alice");
  advert.port = 7777;
  advert.node_id = "n-1";
  advert.card_path = "/card.json";
  advert.protocols = "legacy,0.3";
  EXPECT_EQ(make_txt(advert), (std::vector<std::string>{"name=alice", "node=n-1", "path=/card.json",
                                                        "protocols=legacy,0.3"}));
}

TEST(MakeTxt, TruncatesALongAgentNameToOneTxtString) {
  std::string name;
  for (int i = 0; i < 200; ++i) name += "\xC3\xA9";  // 400 bytes of "é"
  const std::string entry = make_txt(named("", name)).front();
  EXPECT_LE(entry.size(), kMaxTxtEntry);
  // 250 bytes are left after "name="; 250 is even, so exactly 125 "é" fit.
  EXPECT_EQ(entry, "name=" + name.substr(0, 250));
}

TEST(MakeInstanceName, FallsBackAndFitsOneDnsLabel) {
  EXPECT_EQ(make_instance_name(named("x", "y")), "x");
  EXPECT_EQ(make_instance_name(named("", "y")), "y");
  EXPECT_EQ(make_instance_name(named("", "")), "constellation");
  EXPECT_EQ(make_instance_name(named(std::string(100, 'a'), "")), std::string(63, 'a'));
}

TEST(ParseTxt, LowercasesKeysKeepsTheFirstAndAllowsBareKeys) {
  auto txt = parse_txt({"Name=alice", "name=bob", "flag", "=nokey", "path=/a=b"});
  EXPECT_EQ(
      txt, (std::map<std::string, std::string>{{"name", "alice"}, {"flag", ""}, {"path", "/a=b"}}));
}

TEST(ApplyTxt, FillsThePeerFields) {
  MdnsPeer peer;
  apply_txt({"name=alice", "node=n-1", "path=/card.json", "protocols=legacy"}, peer);
  EXPECT_EQ(peer.agent_name, "alice");
  EXPECT_EQ(peer.node_id, "n-1");
  EXPECT_EQ(peer.card_path, "/card.json");
  EXPECT_EQ(peer.txt.at("protocols"), "legacy");
}

TEST(ApplyTxt, LeavesMissingKeysEmpty) {
  MdnsPeer peer;
  apply_txt({"other=1"}, peer);
  EXPECT_EQ(peer.agent_name, "");
  EXPECT_EQ(peer.node_id, "");
  EXPECT_EQ(peer.card_path, "");
}

}  // namespace
}  // namespace constellation::discovery

#include "../../src/discovery/mdns_peer_table.h"

#include <gtest/gtest.h>

namespace constellation::discovery {
namespace {

MdnsPeer peer(const std::string& name, const std::string& node, const std::string& address) {
  MdnsPeer p;
  p.instance_name = name;
  p.address = address;
  p.port = 7777;
  p.node_id = node;
  p.txt = {{"node", node}};
  return p;
}

const MdnsInstanceKey kEth0{2, 0, "bob", "local"};
const MdnsInstanceKey kEth1{3, 0, "bob", "local"};

TEST(MdnsPeerTable, ReportsAResolvedPeerOnce) {
  MdnsPeerTable table("me");
  table.add(kEth0);
  auto update = table.resolved(kEth0, peer("bob", "n-bob", "10.0.0.2"));
  ASSERT_TRUE(update.found);
  EXPECT_EQ(update.found->address, "10.0.0.2");
  EXPECT_FALSE(update.lost);
  // The same answer again (a refresh, or the same service on a second interface).
  table.add(kEth1);
  EXPECT_FALSE(table.resolved(kEth0, peer("bob", "n-bob", "10.0.0.2")).found);
  EXPECT_FALSE(table.resolved(kEth1, peer("bob", "n-bob", "10.0.0.2")).found);
}

TEST(MdnsPeerTable, ReportsAChange) {
  MdnsPeerTable table("me");
  table.add(kEth0);
  ASSERT_TRUE(table.resolved(kEth0, peer("bob", "n-bob", "10.0.0.2")).found);
  auto moved = table.resolved(kEth0, peer("bob", "n-bob", "10.0.0.9"));
  ASSERT_TRUE(moved.found);
  EXPECT_EQ(moved.found->address, "10.0.0.9");
}

TEST(MdnsPeerTable, IgnoresOurOwnNodeIdEvenUnderAnotherName) {
  MdnsPeerTable table("me");
  MdnsInstanceKey renamed{2, 0, "alice #2", "local"};
  table.add(renamed);
  auto update = table.resolved(renamed, peer("alice #2", "me", "10.0.0.1"));
  EXPECT_FALSE(update.found);
  EXPECT_FALSE(update.lost);
  EXPECT_FALSE(table.remove(renamed));  // never reported, so never lost
}

TEST(MdnsPeerTable, ANameThatBecomesOursIsLost) {
  // Bob held "twin"; after a collision Bob was renamed and we publish "twin".
  MdnsPeerTable table("me");
  MdnsInstanceKey twin{2, 0, "twin", "local"};
  table.add(twin);
  ASSERT_TRUE(table.resolved(twin, peer("twin", "n-bob", "10.0.0.2")).found);
  auto update = table.resolved(twin, peer("twin", "me", "10.0.0.1"));
  EXPECT_FALSE(update.found);
  EXPECT_EQ(update.lost, "twin");
  EXPECT_FALSE(table.remove(twin));  // already reported lost
}

TEST(MdnsPeerTable, LostOnlyWhenTheLastInstanceGoes) {
  MdnsPeerTable table("me");
  table.add(kEth0);
  table.add(kEth1);
  ASSERT_TRUE(table.resolved(kEth0, peer("bob", "n-bob", "10.0.0.2")).found);
  EXPECT_FALSE(table.remove(kEth0));
  EXPECT_EQ(table.remove(kEth1), "bob");
  EXPECT_FALSE(table.remove(kEth1));  // already gone
}

TEST(MdnsPeerTable, FoundAgainAfterLost) {
  MdnsPeerTable table("me");
  table.add(kEth0);
  ASSERT_TRUE(table.resolved(kEth0, peer("bob", "n-bob", "10.0.0.2")).found);
  ASSERT_EQ(table.remove(kEth0), "bob");
  table.add(kEth0);
  EXPECT_TRUE(table.resolved(kEth0, peer("bob", "n-bob", "10.0.0.2")).found);
}

TEST(MdnsPeerTable, IgnoresAResolutionAfterItsRemoval) {
  MdnsPeerTable table("me");
  table.add(kEth0);
  table.remove(kEth0);
  EXPECT_FALSE(table.resolved(kEth0, peer("bob", "n-bob", "10.0.0.2")).found);
}

TEST(MdnsPeerTable, ClearReportsEveryReportedName) {
  MdnsPeerTable table("me");
  MdnsInstanceKey carol{2, 0, "carol", "local"};
  MdnsInstanceKey pending{2, 0, "dave", "local"};
  table.add(kEth0);
  table.add(carol);
  table.add(pending);  // never resolved: never reported, so not lost either
  ASSERT_TRUE(table.resolved(kEth0, peer("bob", "n-bob", "10.0.0.2")).found);
  ASSERT_TRUE(table.resolved(carol, peer("carol", "n-carol", "10.0.0.3")).found);
  EXPECT_EQ(table.clear(), (std::vector<std::string>{"bob", "carol"}));
  EXPECT_TRUE(table.clear().empty());
}

}  // namespace
}  // namespace constellation::discovery

#include "constellation/store/peers.h"

#include "constellation/store/meta.h"
#include "store/record_expectations.h"
#include "store/store_fixture.h"

namespace constellation::store {
namespace {

using test_support::at_ms;
using test_support::expect_same;

class PeerTableTest : public test_support::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    db_ = open_store();
    ASSERT_TRUE(db_);
    peers_ = std::make_unique<PeerTable>(*db_);
  }

  std::vector<PeerRecord> list() {
    auto all = peers_->list();
    EXPECT_TRUE(all.ok()) << all.error().message;
    return all.ok() ? *all : std::vector<PeerRecord>{};
  }

  std::unique_ptr<Database> db_;
  std::unique_ptr<PeerTable> peers_;
};

/// A peer as a probe of `probe_url` records it; `node_id` "" = a card without one.
PeerRecord peer(const std::string& name, const std::string& probe_url,
                const std::string& node_id = "") {
  PeerRecord p;
  p.node_id = node_id;
  p.probe_url = probe_url;
  p.name = name;
  p.url = probe_url + "/a2a";
  p.key = peer_key(node_id, p.url);
  p.description = name + " box";
  p.skills = {"bash", "research"};
  p.card_json = R"({"name":")" + name + R"("})";
  p.sources = {"static"};
  p.first_seen = at_ms(1000);
  p.last_seen = at_ms(1000);
  p.last_probe = at_ms(1000);
  p.online = true;
  p.latency_ms = 12;
  return p;
}

TEST(PeerKey, NodeIdElseCardUrlWithoutTrailingSlash) {
  EXPECT_EQ(peer_key("3f2c", "http://a:1/"), "3f2c");
  EXPECT_EQ(peer_key("", "http://a:1/"), "url:http://a:1");
  EXPECT_EQ(peer_key("", "http://a:1"), "url:http://a:1");
}

TEST_F(PeerTableTest, SightingInsertsThenUpdatesAllButFirstSeen) {
  PeerRecord first = peer("alpha", "http://127.0.0.3:7777", "node-a");
  ASSERT_TRUE(peers_->upsert_seen(first).ok());
  auto all = list();
  ASSERT_EQ(all.size(), 1u);
  expect_same(all[0], first);

  // Same node, new name, new address, found by another source.
  PeerRecord later = first;
  later.name = "alpha2";
  later.probe_url = "http://127.0.0.9:7777";
  later.url = "http://127.0.0.9:7777/rpc";
  later.description = "renamed";
  later.skills = {};
  later.card_json = "{}";
  later.sources = {"mdns"};
  later.first_seen = at_ms(9000);  // ignored: first sight is already recorded
  later.last_seen = later.last_probe = at_ms(9000);
  later.latency_ms.reset();
  ASSERT_TRUE(peers_->upsert_seen(later).ok());
  all = list();
  ASSERT_EQ(all.size(), 1u) << "a peer that moves keeps its identity";
  PeerRecord expected = later;
  expected.first_seen = first.first_seen;
  expected.sources = {"mdns", "static"};
  expect_same(all[0], expected);
}

TEST_F(PeerTableTest, PeersWithoutNodeIdAreKeyedByCardUrl) {
  ASSERT_TRUE(peers_->upsert_seen(peer("rusty", "http://10.0.0.1:7777")).ok());
  ASSERT_TRUE(peers_->upsert_seen(peer("rusty", "http://10.0.0.2:7777")).ok());
  auto all = list();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].key, "url:http://10.0.0.1:7777/a2a");
  EXPECT_EQ(all[1].key, "url:http://10.0.0.2:7777/a2a");
}

TEST_F(PeerTableTest, TwoNodesWithOneNameKeepTwoRows) {
  ASSERT_TRUE(peers_->upsert_seen(peer("twin", "http://10.0.0.1:7777", "n1")).ok());
  ASSERT_TRUE(peers_->upsert_seen(peer("twin", "http://10.0.0.2:7777", "n2")).ok());
  auto all = list();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_TRUE(all[0].online);
  EXPECT_TRUE(all[1].online);
}

TEST_F(PeerTableTest, FirstSeenAndLastProbeDefaultToLastSeen) {
  PeerRecord p = peer("alpha", "http://a");
  p.first_seen = {};
  p.last_probe = {};
  p.last_seen = at_ms(5);
  ASSERT_TRUE(peers_->upsert_seen(p).ok());
  auto all = list();
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].first_seen, at_ms(5));
  EXPECT_EQ(all[0].last_probe, at_ms(5));
}

TEST_F(PeerTableTest, MarkOfflineKeepsTheRestAndIgnoresUnknownAddresses) {
  PeerRecord p = peer("alpha", "http://a", "node-a");
  ASSERT_TRUE(peers_->upsert_seen(p).ok());
  ASSERT_TRUE(peers_->mark_offline("http://a", "connect: refused", at_ms(2000)).ok());
  ASSERT_TRUE(peers_->mark_offline("http://unknown", "connect: refused").ok());
  auto all = list();
  ASSERT_EQ(all.size(), 1u);
  PeerRecord expected = p;
  expected.online = false;
  expected.last_error = "connect: refused";
  expected.last_probe = at_ms(2000);
  expect_same(all[0], expected);

  // The next successful probe brings it back.
  ASSERT_TRUE(peers_->upsert_seen(p).ok());
  expect_same(list()[0], p);
}

TEST_F(PeerTableTest, ASightingTakesStaleRowsAtTheSameAddressOffline) {
  // The node at this address was reinstalled (new store, new node id).
  ASSERT_TRUE(peers_->upsert_seen(peer("box", "http://10.0.0.1:7777", "old-id")).ok());
  ASSERT_TRUE(peers_->upsert_seen(peer("box", "http://10.0.0.1:7777", "new-id")).ok());
  auto all = list();
  ASSERT_EQ(all.size(), 2u);
  for (const auto& p : all) {
    EXPECT_EQ(p.online, p.node_id == "new-id") << p.node_id;
    if (p.node_id == "old-id") {
      EXPECT_EQ(p.last_error, "peer 'box' answers at http://10.0.0.1:7777 now");
    }
  }
}

TEST_F(PeerTableTest, ApplyRecordsABatchInOrder) {
  std::vector<PeerUpdate> round{PeerSeen{peer("alpha", "http://a", "na")},
                                PeerSeen{peer("bravo", "http://b", "nb")},
                                PeerDown{"http://a", "timed out", at_ms(3000)}};
  ASSERT_TRUE(peers_->apply(round).ok());
  auto all = list();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_FALSE(all[0].online);
  EXPECT_EQ(all[0].last_error, "timed out");
  EXPECT_TRUE(all[1].online);
  EXPECT_TRUE(peers_->apply({}).ok());
}

TEST_F(PeerTableTest, MarkAllOfflineTouchesOnlyOnlinePeers) {
  ASSERT_TRUE(peers_->upsert_seen(peer("alpha", "http://a")).ok());
  ASSERT_TRUE(peers_->upsert_seen(peer("beta", "http://b")).ok());
  ASSERT_TRUE(peers_->mark_offline("http://b", "connect: refused").ok());
  ASSERT_TRUE(peers_->mark_all_offline("restarted").ok());
  auto all = list();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_FALSE(all[0].online);
  EXPECT_EQ(all[0].last_error, "restarted");
  EXPECT_FALSE(all[1].online);
  EXPECT_EQ(all[1].last_error, "connect: refused");  // its own reason is kept
}

TEST_F(PeerTableTest, PruneForgetsOnlyPeersOfflineSinceBeforeTheCutoff) {
  PeerRecord old_offline = peer("old", "http://o", "no");
  old_offline.last_seen = at_ms(1000);
  PeerRecord old_online = peer("steady", "http://s", "ns");
  old_online.last_seen = at_ms(1000);
  PeerRecord recent_offline = peer("recent", "http://r", "nr");
  recent_offline.last_seen = at_ms(9000);
  for (const auto& p : {old_offline, old_online, recent_offline})
    ASSERT_TRUE(peers_->upsert_seen(p).ok());
  ASSERT_TRUE(peers_->mark_offline("http://o", "gone").ok());
  ASSERT_TRUE(peers_->mark_offline("http://r", "gone").ok());

  auto removed = peers_->prune(at_ms(5000));
  ASSERT_TRUE(removed.ok()) << removed.error().message;
  EXPECT_EQ(*removed, std::vector<std::string>{"old"});
  std::vector<std::string> left;
  for (const auto& p : list()) left.push_back(p.name);
  EXPECT_EQ(left, (std::vector<std::string>{"recent", "steady"}));
}

TEST_F(PeerTableTest, ListIsOrderedByNameThenKey) {
  ASSERT_TRUE(peers_->upsert_seen(peer("charlie", "http://1")).ok());
  ASSERT_TRUE(peers_->upsert_seen(peer("alpha", "http://3")).ok());
  ASSERT_TRUE(peers_->upsert_seen(peer("bravo", "http://2")).ok());
  ASSERT_TRUE(peers_->upsert_seen(peer("alpha", "http://0")).ok());
  std::vector<std::string> order;
  for (const PeerRecord& p : list()) order.push_back(p.name + "@" + p.probe_url);
  EXPECT_EQ(order, (std::vector<std::string>{"alpha@http://0", "alpha@http://3",
                                             "bravo@http://2", "charlie@http://1"}));
}

TEST_F(PeerTableTest, FindByUrlMatchesCardOrProbeUrlIgnoringATrailingSlash) {
  PeerRecord a = peer("alpha", "http://127.0.0.3:7777", "na");
  a.url = "http://127.0.0.3:7777/a2a/";
  ASSERT_TRUE(peers_->upsert_seen(a).ok());
  PeerRecord b = peer("bravo", "http://127.0.0.4:7777/", "nb");
  b.url = "http://127.0.0.4:7777";
  ASSERT_TRUE(peers_->upsert_seen(b).ok());

  auto name_of = [&](const std::string& url) -> std::string {
    auto found = peers_->find_by_url(url);
    EXPECT_TRUE(found.ok()) << found.error().message;
    if (!found.ok() || !found->has_value()) return "";
    return (*found)->name;
  };
  EXPECT_EQ(name_of("http://127.0.0.3:7777"), "alpha");
  EXPECT_EQ(name_of("http://127.0.0.3:7777/"), "alpha");
  EXPECT_EQ(name_of("http://127.0.0.3:7777/a2a"), "alpha");
  EXPECT_EQ(name_of("http://127.0.0.3:7777/a2a/"), "alpha");
  EXPECT_EQ(name_of("http://127.0.0.4:7777"), "bravo");
  EXPECT_EQ(name_of("http://127.0.0.4:7777/"), "bravo");
  EXPECT_EQ(name_of("http://127.0.0.4:7777//"), "");  // only one '/' is ignored
  EXPECT_EQ(name_of("http://127.0.0.4:7777/a2a"), "");
  EXPECT_EQ(name_of("http://127.0.0.5:7777"), "");
  EXPECT_EQ(name_of("http://127.0.0.3:777"), "");
  EXPECT_EQ(name_of(""), "");
}

TEST_F(PeerTableTest, FindByUrlPrefersAnOnlinePeer) {
  PeerRecord old_address = peer("alpha-old", "http://10.0.0.1:7777", "n-old");
  old_address.url = "http://shared:7777/a2a";
  PeerRecord new_address = peer("alpha-new", "http://10.0.0.2:7777", "n-new");
  new_address.url = "http://shared:7777/a2a";
  ASSERT_TRUE(peers_->upsert_seen(old_address).ok());
  ASSERT_TRUE(peers_->upsert_seen(new_address).ok());
  auto found = peers_->find_by_url("http://shared:7777/a2a");
  ASSERT_TRUE(found.ok());
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->name, "alpha-new");
}

TEST_F(PeerTableTest, NodeIdIsMadeOnceAndKept) {
  auto first = node_id(*db_);
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(first->size(), 36u) << *first;
  auto again = node_id(*db_);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *first);
  db_.reset();
  auto reopened = open_store();
  ASSERT_TRUE(reopened);
  auto after = node_id(*reopened);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(*after, *first) << "the id survives restarts";
}

}  // namespace
}  // namespace constellation::store

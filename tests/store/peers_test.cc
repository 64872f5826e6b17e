#include "constellation/store/peers.h"

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

PeerRecord peer(const std::string& name, const std::string& probe_url) {
  PeerRecord p;
  p.probe_url = probe_url;
  p.name = name;
  p.url = probe_url + "/a2a";
  p.description = name + " box";
  p.skills = {"bash", "research"};
  p.card_json = R"({"name":")" + name + R"("})";
  p.source = "static";
  p.first_seen = at_ms(1000);
  p.last_seen = at_ms(1000);
  p.online = true;
  return p;
}


TEST_F(PeerTableTest, UpsertInsertsThenUpdatesAllButFirstSeen) {
  PeerRecord first = peer("alpha", "http://127.0.0.3:7777");
  ASSERT_TRUE(peers_->upsert_seen(first).ok());
  auto all = list();
  ASSERT_EQ(all.size(), 1u);
  expect_same(all[0], first);

  PeerRecord later = first;
  later.name = "alpha2";
  later.url = "http://127.0.0.3:7777/rpc";
  later.description = "renamed";
  later.skills = {};
  later.card_json = "{}";
  later.source = "tailscale";
  later.first_seen = at_ms(9000);  // ignored: first sight is already recorded
  later.last_seen = at_ms(9000);
  ASSERT_TRUE(peers_->upsert_seen(later).ok());
  all = list();
  ASSERT_EQ(all.size(), 1u);
  PeerRecord expected = later;
  expected.first_seen = first.first_seen;
  expect_same(all[0], expected);
}

TEST_F(PeerTableTest, UnsetTimesAreKeptUnset) {
  PeerRecord p = peer("alpha", "http://a");
  p.first_seen = {};
  p.last_seen = {};
  ASSERT_TRUE(peers_->upsert_seen(p).ok());
  auto all = list();
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].first_seen, a2a::Timestamp{});
  EXPECT_EQ(all[0].last_seen, a2a::Timestamp{});
}

TEST_F(PeerTableTest, FirstSeenDefaultsToLastSeen) {
  PeerRecord p = peer("alpha", "http://a");
  p.first_seen = {};
  p.last_seen = at_ms(5);
  ASSERT_TRUE(peers_->upsert_seen(p).ok());
  auto all = list();
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].first_seen, at_ms(5));
}

TEST_F(PeerTableTest, MarkOfflineKeepsTheRestAndIgnoresUnknownPeers) {
  PeerRecord p = peer("alpha", "http://a");
  ASSERT_TRUE(peers_->upsert_seen(p).ok());
  ASSERT_TRUE(peers_->mark_offline("http://a", "connect: refused").ok());
  ASSERT_TRUE(peers_->mark_offline("http://unknown", "connect: refused").ok());
  auto all = list();
  ASSERT_EQ(all.size(), 1u);
  PeerRecord expected = p;
  expected.online = false;
  expected.last_error = "connect: refused";
  expect_same(all[0], expected);

  // The next successful probe brings it back.
  ASSERT_TRUE(peers_->upsert_seen(p).ok());
  expect_same(list()[0], p);
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

TEST_F(PeerTableTest, ListIsOrderedByNameThenProbeUrl) {
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
  PeerRecord a = peer("alpha", "http://127.0.0.3:7777");
  a.url = "http://127.0.0.3:7777/a2a/";
  ASSERT_TRUE(peers_->upsert_seen(a).ok());
  PeerRecord b = peer("bravo", "http://127.0.0.4:7777/");
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
  PeerRecord old_address = peer("alpha-old", "http://10.0.0.1:7777");
  old_address.url = "http://shared:7777/a2a";
  PeerRecord new_address = peer("alpha-new", "http://10.0.0.2:7777");
  new_address.url = "http://shared:7777/a2a";
  ASSERT_TRUE(peers_->upsert_seen(old_address).ok());
  ASSERT_TRUE(peers_->upsert_seen(new_address).ok());
  ASSERT_TRUE(peers_->mark_offline(old_address.probe_url, "gone").ok());
  auto found = peers_->find_by_url("http://shared:7777/a2a");
  ASSERT_TRUE(found.ok());
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->name, "alpha-new");
}

}  // namespace
}  // namespace constellation::store

#include "constellation/node/node.h"
#include "constellation/node/peer_names.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <memory>
#include <string>
#include <vector>

#include "store/store_fixture.h"

namespace constellation::node {
namespace {

using store::test_support::at_ms;

// --- edit_distance ------------------------------------------------------------------------

TEST(EditDistance, Basics) {
  EXPECT_EQ(edit_distance("", ""), 0u);
  EXPECT_EQ(edit_distance("atlas", "atlas"), 0u);
  EXPECT_EQ(edit_distance("abc", ""), 3u);
  EXPECT_EQ(edit_distance("", "abc"), 3u);
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
  EXPECT_EQ(edit_distance("flaw", "lawn"), 2u);
  EXPECT_EQ(edit_distance("atlas", "atlsa"), 2u) << "a transposition is two edits";
  EXPECT_EQ(edit_distance("atlas", "Atlas"), 1u);
  EXPECT_EQ(edit_distance("atlas", "atlas-2"), 2u);
  EXPECT_EQ(edit_distance("abc", "xyz"), 3u);
}

TEST(EditDistance, IsSymmetric) {
  const std::vector<std::string> words = {"", "a", "atlas", "atlsa", "boreas", "kitten", "sitting"};
  for (const auto& a : words)
    for (const auto& b : words)
      EXPECT_EQ(edit_distance(a, b), edit_distance(b, a)) << a << "/" << b;
}

// --- Node over a real store ---------------------------------------------------------------

store::PeerRecord peer(const std::string& name, const std::string& probe_url, bool online,
                       const std::string& node_id = "") {
  store::PeerRecord p;
  p.probe_url = probe_url;
  p.name = name;
  p.url = probe_url + "/";
  p.node_id = node_id;
  p.key = store::peer_key(node_id, p.url);
  p.card_json = R"({"name":")" + name + R"(","url":")" + p.url + R"(","version":"0.1.0"})";
  p.sources = {"static"};
  p.last_seen = at_ms(0);
  p.online = online;
  return p;
}

class NodeTest : public store::test_support::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    db_ = open_store();
    ASSERT_TRUE(db_);
    node_ = std::make_unique<Node>(*db_, "http://127.0.0.2:7777/");
  }

  void add(const store::PeerRecord& p) {
    auto st = store::PeerTable(*db_).upsert_seen(p);
    ASSERT_TRUE(st) << st.error().message;
  }

  /// resolve_peer's error, failing the test when it resolves.
  Error unknown(const std::string& name) {
    auto r = node_->resolve_peer(name);
    EXPECT_FALSE(r.ok()) << name << " resolved to " << (r.ok() ? r->probe_url : "");
    if (r.ok()) return {};
    EXPECT_EQ(r.error().kind, ErrorKind::kUnknownPeer);
    return r.error();
  }

  std::unique_ptr<store::Database> db_;
  std::unique_ptr<Node> node_;
};

TEST_F(NodeTest, ResolvesAPeerByExactName) {
  add(peer("atlas", "http://127.0.0.3:7777", true));
  add(peer("boreas", "http://127.0.0.4:7777", true));
  auto r = node_->resolve_peer("boreas");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->name, "boreas");
  EXPECT_EQ(r->url, "http://127.0.0.4:7777/");
}

TEST_F(NodeTest, PrefersTheOnlineRowOfAPeerSeenTwice) {
  add(peer("atlas", "http://127.0.0.3:7777", false, "n1"));
  add(peer("atlas", "http://127.0.0.5:7777", true, "n2"));
  add(peer("atlas", "http://127.0.0.9:7777", false, "n3"));
  auto r = node_->resolve_peer("atlas");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->probe_url, "http://127.0.0.5:7777");
}

TEST_F(NodeTest, AnOfflinePeerStillResolves) {
  // The send then reports "unreachable", which is the truth.
  add(peer("atlas", "http://127.0.0.3:7777", false));
  auto r = node_->resolve_peer("atlas");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_FALSE(r->online);
}

TEST_F(NodeTest, UnknownPeerWithNoPeersAtAll) {
  EXPECT_EQ(unknown("atlas").message,
            "unknown peer 'atlas': no peers discovered yet; check that the daemon runs "
            "('constellation serve') and retry 'constellation peers' in 30 s");
}

TEST_F(NodeTest, UnknownPeerSuggestsTheClosestName) {
  add(peer("boreas", "http://127.0.0.4:7777", true));
  add(peer("atlas", "http://127.0.0.3:7777", true));
  EXPECT_EQ(unknown("atlsa").message,
            "unknown peer 'atlsa'; did you mean 'atlas'? known peers: atlas, boreas");
  EXPECT_EQ(unknown("Boreas").message,
            "unknown peer 'Boreas'; did you mean 'boreas'? known peers: atlas, boreas");
  EXPECT_EQ(unknown("boreas2").message,
            "unknown peer 'boreas2'; did you mean 'boreas'? known peers: atlas, boreas");
}

TEST_F(NodeTest, UnknownPeerFarFromEveryNameListsThemWithoutAGuess) {
  add(peer("atlas", "http://127.0.0.3:7777", true));
  add(peer("boreas", "http://127.0.0.4:7777", false));
  EXPECT_EQ(unknown("research-bot").message,
            "unknown peer 'research-bot'; known peers: atlas, boreas");
  EXPECT_EQ(unknown("").message, "unknown peer ''; known peers: atlas, boreas");
}

TEST_F(NodeTest, UnknownPeerListsSharedNamesByHandle) {
  add(peer("atlas", "http://127.0.0.3:7777", true, "n1"));
  add(peer("atlas", "http://100.64.0.3:7777", false, "n2"));
  add(peer("boreas", "http://127.0.0.4:7777", true, "n3"));
  EXPECT_EQ(unknown("zephyr-long-name").message,
            "unknown peer 'zephyr-long-name'; known peers: atlas@127.0.0.3, atlas@100.64.0.3, "
            "boreas");
}

// --- names shared by several peers -------------------------------------------------------

TEST_F(NodeTest, TwoOnlinePeersWithOneNameMakeThePlainNameAmbiguous) {
  add(peer("twin", "http://127.0.0.3:7777", true, "n1"));
  add(peer("twin", "http://127.0.0.4:7777", true, "n2"));
  auto r = node_->resolve_peer("twin");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kAmbiguousPeer);
  EXPECT_EQ(r.error().message,
            "several peers are called 'twin': twin@127.0.0.3, twin@127.0.0.4; send to one of "
            "these names exactly as written");
  auto one = node_->resolve_peer("twin@127.0.0.4");
  ASSERT_TRUE(one) << one.error().message;
  EXPECT_EQ(one->node_id, "n2");
}

TEST_F(NodeTest, SameNameOnOneHostIsToldApartByPort) {
  add(peer("twin", "http://127.0.0.3:7777", true, "n1"));
  add(peer("twin", "http://127.0.0.3:7778", true, "n2"));
  store::PeerTable table(*db_);
  auto all = table.list();
  ASSERT_TRUE(all);
  EXPECT_EQ(peer_handles(*all),
            (std::vector<std::string>{"twin@127.0.0.3:7777", "twin@127.0.0.3:7778"}));
  auto one = node_->resolve_peer("twin@127.0.0.3:7778");
  ASSERT_TRUE(one) << one.error().message;
  EXPECT_EQ(one->node_id, "n2");
  auto ambiguous = node_->resolve_peer("twin@127.0.0.3");
  EXPECT_FALSE(ambiguous.ok());
}

TEST_F(NodeTest, OneOnlinePeerWinsOverAnOfflineNamesake) {
  add(peer("atlas", "http://127.0.0.3:7777", false, "old"));
  add(peer("atlas", "http://127.0.0.5:7777", true, "new"));
  auto r = node_->resolve_peer("atlas");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->node_id, "new");
}

TEST_F(NodeTest, TwoOfflineNamesakesAreAmbiguous) {
  add(peer("atlas", "http://127.0.0.3:7777", false, "a"));
  add(peer("atlas", "http://127.0.0.5:7777", false, "b"));
  auto r = node_->resolve_peer("atlas");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kAmbiguousPeer);
}

TEST(PeerHandles, UniqueNamesStayPlain) {
  store::PeerRecord a = peer("atlas", "http://10.0.0.1:1", true);
  store::PeerRecord b = peer("boreas", "http://10.0.0.1:2", true);
  EXPECT_EQ(peer_handles({a, b}), (std::vector<std::string>{"atlas", "boreas"}));
  EXPECT_TRUE(peer_handles({}).empty());
}

TEST(PeerHandles, Ipv6HostsAreUnbracketed) {
  store::PeerRecord a = peer("twin", "http://[fd7a::1]:7777", true);
  store::PeerRecord b = peer("twin", "http://[fd7a::2]:7777", true);
  EXPECT_EQ(peer_handles({a, b}), (std::vector<std::string>{"twin@fd7a::1", "twin@fd7a::2"}));
}

TEST_F(NodeTest, PeersAreListedByName) {
  add(peer("boreas", "http://127.0.0.4:7777", true));
  add(peer("atlas", "http://127.0.0.3:7777", false));
  auto all = node_->peers();
  ASSERT_TRUE(all) << all.error().message;
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].name, "atlas");
  EXPECT_EQ((*all)[1].name, "boreas");
}

TEST_F(NodeTest, SendToAnUnknownPeerStoresNothing) {
  add(peer("atlas", "http://127.0.0.3:7777", true));
  auto sent = node_->send("atlsa", "hello");
  ASSERT_FALSE(sent);
  EXPECT_EQ(sent.error().kind, ErrorKind::kUnknownPeer);
  EXPECT_EQ(sent.error().message, "unknown peer 'atlsa'; did you mean 'atlas'? known peers: atlas");
  auto active = store::OutboundTasks(*db_).list_active();
  ASSERT_TRUE(active);
  EXPECT_TRUE(active->empty());
}

/// A loopback port nothing listens on (bound, then closed again).
int closed_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  EXPECT_GE(fd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  EXPECT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  socklen_t len = sizeof addr;
  EXPECT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  ::close(fd);
  return ntohs(addr.sin_port);
}

TEST_F(NodeTest, SendToAnUnreachablePeerLeavesNoTaskBehind) {
  const std::string base = "http://127.0.0.1:" + std::to_string(closed_port());
  add(peer("atlas", base, true));
  auto sent = node_->send("atlas", "hello");
  ASSERT_FALSE(sent);
  EXPECT_EQ(sent.error().kind, ErrorKind::kPeerUnreachable);
  const std::string& m = sent.error().message;
  EXPECT_TRUE(m.starts_with("peer 'atlas' is unreachable (connect to ")) << m;
  EXPECT_TRUE(m.ends_with("); check 'constellation peers' and retry later")) << m;
  auto active = store::OutboundTasks(*db_).list_active();
  ASSERT_TRUE(active);
  EXPECT_TRUE(active->empty()) << "the peer never took the task: nothing to wait for";
}

TEST_F(NodeTest, OutboundUnknownIdSaysWhichVerbToUse) {
  auto r = node_->outbound("t-nope");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::kUnknownTask);
  EXPECT_EQ(r.error().message,
            "no outbound task t-nope; use the id 'constellation send' printed (inbound tasks "
            "are answered with 'constellation respond')");
  auto refreshed = node_->refresh("t-nope");
  ASSERT_FALSE(refreshed);
  EXPECT_EQ(refreshed.error().kind, ErrorKind::kUnknownTask);
}

TEST_F(NodeTest, RefreshOfAFinishedTaskDoesNotAskThePeer) {
  store::OutboundTask out;
  out.task.id = "t-done";
  out.task.state = a2a::TaskState::kCompleted;
  out.task.updated_at = at_ms(10);
  out.task.history = {a2a::text_message(a2a::Role::kUser, "q"),
                      a2a::text_message(a2a::Role::kAgent, "a")};
  out.peer_name = "atlas";
  out.peer_url = "http://127.0.0.1:1/";  // would fail if contacted
  out.dialect = "legacy";
  out.created_at = at_ms(0);
  ASSERT_TRUE(store::OutboundTasks(*db_).insert(out));

  auto r = node_->refresh("t-done");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->task.state, a2a::TaskState::kCompleted);
  EXPECT_EQ(r->task.history, out.task.history);
  EXPECT_EQ(r->last_error, "");
}

TEST_F(NodeTest, InboxAndRespond) {
  store::InboundTask in;
  in.task.id = "t-in";
  in.task.state = a2a::TaskState::kSubmitted;
  in.task.updated_at = at_ms(0);
  in.task.history = {a2a::text_message(a2a::Role::kUser, "question")};
  in.dialect = "legacy";
  in.received_at = at_ms(0);
  auto inserted = store::InboundTasks(*db_).insert_if_absent(in);
  ASSERT_TRUE(inserted && *inserted);

  auto inbox = node_->inbox();
  ASSERT_TRUE(inbox);
  ASSERT_EQ(inbox->size(), 1u);
  EXPECT_EQ((*inbox)[0].task.id, "t-in");

  auto answered = node_->respond("t-in", "answer", false);
  ASSERT_TRUE(answered) << answered.error().message;
  EXPECT_EQ(answered->task.state, a2a::TaskState::kCompleted);
  EXPECT_EQ(answered->task.history.back().role, a2a::Role::kAgent);
  EXPECT_EQ(a2a::message_text(answered->task.history.back()), "answer");
  EXPECT_EQ(a2a::answer_text(answered->task), "answer");
  inbox = node_->inbox();
  ASSERT_TRUE(inbox);
  EXPECT_TRUE(inbox->empty());

  auto again = node_->respond("t-in", "second answer", false);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().kind, ErrorKind::kTaskNotOpen);
  EXPECT_EQ(again.error().message, "task t-in is already completed; nothing changed");

  auto missing = node_->respond("t-missing", "x", true);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().kind, ErrorKind::kUnknownTask);
  EXPECT_EQ(missing.error().message,
            "no inbound task t-missing; run 'constellation inbox' to see open tasks");
}

}  // namespace
}  // namespace constellation::node

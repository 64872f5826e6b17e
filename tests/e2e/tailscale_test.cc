// Discovery over Tailscale with no configured peers: real daemons on loopback addresses,
// each with the fake `tailscale` CLI printing a tailnet whose peers are those addresses.

#include <gtest/gtest.h>

#include <iostream>
#include <memory>
#include <regex>

#include <nlohmann/json.hpp>

#include "e2e/fake_tailnet.h"
#include "e2e/discovery_checks.h"
#include "e2e/peer.h"
#include "e2e/tailnet_fixture.h"

namespace e2e {
namespace {

using std::chrono::seconds;
using Node = FakeTailnet::Node;

// Addresses of this file's tailnet; 127.0.10.0/24 is used by no other test.
const std::string kAlice = "127.0.10.2", kBob = "127.0.10.3", kCarol = "127.0.10.4",
                  kNobody = "127.0.10.5", kBobMoved = "127.0.10.6";

class TailscaleDiscovery : public TailnetTest {
 protected:
  void SetUp() override { use_addresses({kAlice, kBob, kCarol, kNobody, kBobMoved}); }
};

TEST_F(TailscaleDiscovery, TwoPeersFindEachOtherAndExchangeATask) {
  TestPeer& alice = add("alice", kAlice);
  TestPeer& bob = add("bob", kBob);
  TestPeer& carol = add("carol", kCarol);
  // alice's tailnet: bob online; carol runs Constellation but Tailscale says offline;
  // "runner" is online without Constellation (nothing listens at kNobody).
  tailnet_of(alice).write_status(kAlice, {{"buildbox", kBob, true},
                                          {"Bobs-MacBook-Pro", kCarol, false},
                                          {"runner", kNobody, true}});
  tailnet_of(bob).write_status(kBob, {{"devbox", kAlice, true}});
  tailnet_of(carol).write_status(kCarol, {});
  alice.start();
  bob.start();
  carol.start();

  ASSERT_TRUE(alice.sees(bob)) << alice.log();
  ASSERT_TRUE(bob.sees(alice)) << bob.log();
  const std::string listing = peers_of(alice);
  const std::regex line("bob\thttp://" + kBob + ":" + std::to_string(port) +
                        "/\tgeneral\ttailscale\t\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z\tonline\t1\\.0\n");
  EXPECT_TRUE(std::regex_match(listing, line)) << listing;
  EXPECT_EQ(peers_of(alice, {"--all"}), listing) << "carol is never probed, runner never listed";

  auto json_out = alice.cli({"peers", "--json"});
  ASSERT_EQ(json_out.exit_code, 0) << json_out.describe();
  const auto list = nlohmann::json::parse(json_out.out);
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0]["handle"], "bob");
  EXPECT_EQ(list[0]["sources"], nlohmann::json::array({"tailscale"}));
  EXPECT_EQ(list[0]["card"]["name"], "bob");
  EXPECT_TRUE(list[0]["latency_ms"].is_number_integer()) << list[0].dump();
  EXPECT_EQ(list[0]["node_id"].get<std::string>().size(), 36u);

  expect_round_trip(alice, bob, "bob", "what is 6 x 7?", "42");
}

TEST_F(TailscaleDiscovery, TroubleIsOneWarningPerConditionAndServingGoesOn) {
  TestPeer& alice = add("alice", kAlice);
  TestPeer& bob = add("bob", kBob);
  tailnet_of(bob).write_status(kBob, {});
  tailnet_of(alice).write_fixture("status-stopped.json");
  alice.start();
  bob.start();
  std::this_thread::sleep_for(seconds(2));  // ~6 rounds at 300 ms
  EXPECT_EQ(occurrences(alice.log(), "BackendState Stopped"), 1u) << alice.log();
  EXPECT_EQ(alice.cli({"card"}).exit_code, 0);

  // It comes back: bob is found.
  tailnet_of(alice).write_status(kAlice, {{"buildbox", kBob, true}});
  ASSERT_TRUE(alice.sees(bob)) << alice.log();

  // Garbage from the CLI: one warning, and bob is no longer vouched for.
  tailnet_of(alice).write_raw("{\"BackendState\": \"Runn", "", 0);
  ASSERT_TRUE(eventually([&] { return peers_of(alice).empty(); }, seconds(10))) << alice.log();
  std::this_thread::sleep_for(seconds(1));
  // Logged out.
  tailnet_of(alice).write_fixture("status-needslogin.json");
  std::this_thread::sleep_for(seconds(1));
  // tailscaled down: the CLI fails with the real message.
  tailnet_of(alice).write_raw("", read_file(std::filesystem::path(CONSTELLATION_TEST_DATA) /
                                            "tailscale" / "daemon-not-running.stderr.txt"),
                              1);
  std::this_thread::sleep_for(seconds(1));
  // Uninstalled.
  tailnet_of(alice).remove_cli();
  std::this_thread::sleep_for(seconds(1));
  EXPECT_TRUE(alice.running());

  // And back again.
  tailnet_of(alice).restore_cli();
  tailnet_of(alice).write_status(kAlice, {{"buildbox", kBob, true}});
  ASSERT_TRUE(alice.sees(bob)) << alice.log();

  const std::string log = alice.log();
  for (const char* condition : {"doesn't appear to be running", "NeedsLogin", "not found on PATH"}) {
    EXPECT_EQ(occurrences(log, condition), 1u) << condition << "\n" << log;
  }
  // Warnings stay rare: one per change of condition, not one per 300 ms round.
  EXPECT_LE(occurrences(log, " warning "), 6u) << log;
}

TEST_F(TailscaleDiscovery, APeerThatStopsAnsweringIsOfflineAtOnceThenForgotten) {
  TestPeer& alice = add("alice", kAlice);
  TestPeer& bob = add("bob", kBob);
  alice.set_config("prune_after", "\"3s\"");
  tailnet_of(alice).write_status(kAlice, {{"buildbox", kBob, true}});
  tailnet_of(bob).write_status(kBob, {});
  alice.start();
  bob.start();
  ASSERT_TRUE(alice.sees(bob)) << alice.log();

  bob.stop();
  ASSERT_TRUE(eventually([&] { return peers_of(alice).empty(); }, seconds(5)))
      << "offline within a round or two";
  const std::string all = peers_of(alice, {"--all"});
  EXPECT_NE(all.find("bob\t"), std::string::npos) << all;
  EXPECT_NE(all.find("\toffline\t"), std::string::npos) << all;
  ASSERT_TRUE(eventually([&] { return peers_of(alice, {"--all"}).empty(); }, seconds(10)))
      << "pruned after prune_after: " << peers_of(alice, {"--all"});
  EXPECT_NE(alice.log().find("forgot peer 'bob'"), std::string::npos) << alice.log();
}

TEST_F(TailscaleDiscovery, APeerThatMovesKeepsItsIdentity) {
  TestPeer& alice = add("alice", kAlice);
  TestPeer& bob = add("bob", kBob);
  tailnet_of(alice).write_status(kAlice, {{"buildbox", kBob, true}});
  tailnet_of(bob).write_status(kBob, {});
  alice.start();
  bob.start();
  ASSERT_TRUE(alice.sees(bob)) << alice.log();
  const auto before = nlohmann::json::parse(alice.cli({"peers", "--json"}).out);
  ASSERT_EQ(before.size(), 1u);

  // bob comes back on another address (same store, so the same node id).
  bob.stop();
  bob.move_to(kBobMoved);
  bob.start();
  tailnet_of(alice).write_status(kAlice, {{"buildbox", kBobMoved, true}});
  ASSERT_TRUE(eventually(
      [&] {
        return peers_of(alice).find("http://" + kBobMoved + ":") != std::string::npos;
      },
      seconds(10)))
      << peers_of(alice, {"--all"});
  const auto after = nlohmann::json::parse(alice.cli({"peers", "--all", "--json"}).out);
  ASSERT_EQ(after.size(), 1u) << "one peer, not an old and a new one: " << after.dump(2);
  EXPECT_EQ(after[0]["node_id"], before[0]["node_id"]);
  EXPECT_EQ(after[0]["first_seen"], before[0]["first_seen"]);
  EXPECT_TRUE(after[0]["online"].get<bool>());
}

TEST_F(TailscaleDiscovery, NamesakesAreBothListedAndAPlainSendIsRefused) {
  TestPeer& alice = add("alice", kAlice);
  TestPeer& twin1 = add("twin", kBob);
  TestPeer& twin2 = add("twin", kCarol);
  tailnet_of(alice).write_status(kAlice, {{"buildbox", kBob, true}, {"runner", kCarol, true}});
  tailnet_of(twin1).write_status(kBob, {});
  tailnet_of(twin2).write_status(kCarol, {});
  alice.start();
  twin1.start();
  twin2.start();
  const std::string h1 = "twin@" + kBob, h2 = "twin@" + kCarol;
  ASSERT_TRUE(eventually(
      [&] {
        const auto out = peers_of(alice);
        return out.find(h1 + "\t") != std::string::npos && out.find(h2 + "\t") != std::string::npos;
      },
      seconds(15)))
      << peers_of(alice, {"--all"}) << alice.log();

  auto refused = alice.cli({"send", "twin", "hello"});
  EXPECT_EQ(refused.exit_code, 13) << refused.describe();
  EXPECT_EQ(refused.out, "");
  // Candidates come in store order (by node id), so either order is right.
  const std::string tail = "; send to one of these names exactly as written\n";
  const std::string head = "constellation: several peers are called 'twin': ";
  EXPECT_TRUE(refused.err == head + h1 + ", " + h2 + tail || refused.err == head + h2 + ", " + h1 + tail)
      << refused.err;

  auto sent = alice.cli({"send", h2, "hello twin two"});
  ASSERT_EQ(sent.exit_code, 0) << sent.describe();
  const std::string id = sent.out.substr(0, sent.out.size() - 1);
  ASSERT_TRUE(eventually([&] { return twin2.cli({"inbox"}).out.find(id) == 0; }));
  EXPECT_EQ(twin1.cli({"inbox"}).out, "") << "the other twin got nothing";
}

TEST_F(TailscaleDiscovery, ACardWhoseUrlPointsElsewhereIsIgnored) {
  TestPeer& alice = add("alice", kAlice);
  // bob listens on kBob but claims to live at kBobMoved.
  TestPeer& bob = add("bob", kBob, {"--advertise", kBobMoved});
  tailnet_of(alice).write_status(kAlice, {{"buildbox", kBob, true}});
  tailnet_of(bob).write_status(kBob, {});
  alice.start();
  bob.start();
  ASSERT_TRUE(eventually([&] { return alice.log().find("points to another host") != std::string::npos; },
                         seconds(10)))
      << alice.log();
  std::this_thread::sleep_for(seconds(1));
  EXPECT_EQ(peers_of(alice, {"--all"}), "");
  EXPECT_EQ(occurrences(alice.log(), "points to another host"), 1u) << "warned once, not per round";
}

TEST_F(TailscaleDiscovery, AutoAdvertisedHostIsTheTailscaleAddress) {
  peers.push_back(std::make_unique<TestPeer>("solo", kAlice, port));
  TestPeer& solo = *peers.back();
  tailnets.push_back(std::make_unique<FakeTailnet>(solo));
  FakeTailnet& tailnet = *tailnets.back();
  auto r = solo.cli({"init", "--name", "solo", "--bind", "0.0.0.0", "--port",
                     std::to_string(port), "--discovery", "tailscale"});
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  tailnet.write_ip4("100.101.102.103");
  auto card = solo.cli({"card"});
  ASSERT_EQ(card.exit_code, 0) << card.describe();
  EXPECT_EQ(nlohmann::json::parse(card.out)["url"],
            "http://100.101.102.103:" + std::to_string(port) + "/");

  // Without Tailscale the LAN address is used instead, never loopback.
  tailnet.remove_cli();
  auto lan = solo.cli({"card"});
  if (lan.exit_code == 0) {
    const std::string url = nlohmann::json::parse(lan.out)["url"];
    EXPECT_EQ(url.find("http://100.101.102.103:"), std::string::npos) << url;
    EXPECT_EQ(url.find("http://127."), std::string::npos) << url;
  } else {
    EXPECT_EQ(lan.exit_code, 3) << lan.describe();  // no interface but loopback: clear error
    EXPECT_NE(lan.err.find("advertised_host"), std::string::npos) << lan.err;
  }
}

}  // namespace
}  // namespace e2e

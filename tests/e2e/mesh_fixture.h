#pragma once
/// Two real daemons, alice on 127.0.0.2 and bob on 127.0.0.3, each listing the other as a
/// static peer, started and mutually discovered before every test.

#include <gtest/gtest.h>

#include <functional>
#include <memory>

#include "e2e/peer.h"

namespace e2e {

class TwoPeers : public ::testing::Test {
 protected:
  void SetUp() override { start_pair("127.0.0.2", "127.0.0.3"); }

  /// alice and bob on these addresses; `configure_bob` runs before the daemons start.
  void start_pair(const std::string& alice_address, const std::string& bob_address,
                  const std::function<void(TestPeer&)>& configure_bob = {}) {
    alice = std::make_unique<TestPeer>("alice", alice_address);
    bob = std::make_unique<TestPeer>("bob", bob_address);
    auto ra = alice->init({bob->base_url()}, "rust,review");
    ASSERT_EQ(ra.exit_code, 0) << ra.describe();
    auto rb = bob->init({alice->base_url()}, "python");
    ASSERT_EQ(rb.exit_code, 0) << rb.describe();
    if (configure_bob) configure_bob(*bob);
    alice->start();
    bob->start();
    ASSERT_TRUE(alice->sees(*bob)) << alice->log();
    ASSERT_TRUE(bob->sees(*alice)) << bob->log();
  }

  void TearDown() override {
    // On failure the daemons' logs are the first thing anyone wants to read.
    if (HasFailure()) {
      for (auto* p : {alice.get(), bob.get()})
        if (p) std::cerr << "---- log of " << p->name() << " ----\n" << p->log() << "\n";
    }
  }

  /// alice sends `text` to bob; returns the task id (asserting the exact stdout shape).
  std::string send_to_bob(const std::string& text) {
    auto r = alice->cli({"send", "bob", text});
    EXPECT_EQ(r.exit_code, 0) << r.describe();
    EXPECT_EQ(r.err, "");
    EXPECT_EQ(r.out.size(), 39u) << r.out;  // "t-" + 36-char UUID + "\n"
    return r.out.empty() ? std::string() : r.out.substr(0, r.out.size() - 1);
  }

  std::unique_ptr<TestPeer> alice, bob;
};

}  // namespace e2e

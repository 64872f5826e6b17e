#pragma once
/// Peers that discover each other by Tailscale only, each with its own fake tailnet view
/// (fake_tailnet.h) and all on one port, as peers found through Tailscale are probed on
/// our own port. Logs of every peer are printed when a test fails.

#include <gtest/gtest.h>

#include <iostream>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "e2e/fake_tailnet.h"
#include "e2e/peer.h"

namespace e2e {

class TailnetTest : public ::testing::Test {
 protected:
  /// The addresses this test's peers will use (picks a port free on all of them).
  void use_addresses(const std::vector<std::string>& addresses) {
    port = common_free_port(addresses);
  }

  void TearDown() override {
    if (HasFailure()) {
      for (auto& p : peers) std::cerr << "---- log of " << p->name() << " ----\n" << p->log() << "\n";
    }
  }

  /// A peer discovering by Tailscale only, `init`ed with `extra` arguments.
  TestPeer& add(const std::string& name, const std::string& address,
                std::vector<std::string> extra = {}) {
    peers.push_back(std::make_unique<TestPeer>(name, address, port));
    tailnets.push_back(std::make_unique<FakeTailnet>(*peers.back()));
    extra.insert(extra.end(), {"--discovery", "tailscale"});
    auto r = peers.back()->init({}, "", extra);
    EXPECT_EQ(r.exit_code, 0) << r.describe();
    return *peers.back();
  }

  FakeTailnet& tailnet_of(const TestPeer& p) {
    for (std::size_t i = 0; i < peers.size(); ++i)
      if (peers[i].get() == &p) return *tailnets[i];
    throw std::logic_error("not a peer of this test");
  }

  int port = 0;
  std::vector<std::unique_ptr<TestPeer>> peers;
  std::vector<std::unique_ptr<FakeTailnet>> tailnets;
};

}  // namespace e2e

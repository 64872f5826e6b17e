#include "constellation/daemon/config_reload.h"

#include <gtest/gtest.h>

namespace constellation::daemon {
namespace {

config::Config base() {
  config::Config c;
  c.agent.name = "alice";
  c.agent.description = "builds things";
  c.network.bind_host = "127.0.15.2";
  c.network.bind_port = 7777;
  return c;
}

TEST(ConfigReload, NothingChangedAppliesNothing) {
  const auto plan = plan_reload(base(), base());
  EXPECT_TRUE(plan.applied.empty());
  EXPECT_TRUE(plan.needs_restart.empty());
}

TEST(ConfigReload, CardAllowlistAndStaticPeersApplyLive) {
  auto fresh = base();
  fresh.agent.description = "reviews things";
  fresh.agent.skills = {"review"};
  fresh.security.allow = {"tag:ci"};
  fresh.network.peers = {"http://127.0.15.3:7777"};
  const auto plan = plan_reload(base(), fresh);
  EXPECT_EQ(plan.applied, (std::vector<std::string>{"agent.description", "agent.skills",
                                                    "security.allow", "network.peers"}));
  EXPECT_TRUE(plan.needs_restart.empty());
  EXPECT_EQ(plan.effective.agent.description, "reviews things");
  EXPECT_EQ(plan.effective.security.allow, fresh.security.allow);
  EXPECT_EQ(plan.effective.network.peers, fresh.network.peers);
}

TEST(ConfigReload, BindStoreTokenAndLimitsWaitForARestart) {
  auto fresh = base();
  fresh.network.bind_port = 7778;
  fresh.store.path = "/elsewhere/store.db";
  fresh.security.token_file = "token";
  fresh.limits.max_connections = 3;
  fresh.agent.description = "new";
  const auto plan = plan_reload(base(), fresh);
  EXPECT_EQ(plan.applied, std::vector<std::string>{"agent.description"});
  ASSERT_EQ(plan.needs_restart.size(), 4u);
  EXPECT_EQ(plan.needs_restart[0], "network.bind: needs a restart (the listening socket stays open)");
  EXPECT_EQ(plan.needs_restart[1].rfind("store.path: needs a restart", 0), 0u);
  EXPECT_EQ(plan.needs_restart[2].rfind("security.token_file: needs a restart", 0), 0u);
  EXPECT_EQ(plan.needs_restart[3].rfind("limits.max_connections: needs a restart", 0), 0u);
  // The effective config keeps the running values of what was not applied.
  EXPECT_EQ(plan.effective.network.bind_port, 7777);
  EXPECT_EQ(plan.effective.store.path, "auto");
  EXPECT_EQ(plan.effective.limits.max_connections, 512u);
}

TEST(ConfigReload, ANewNameChangesTheCardButNotTheMdnsAnnouncement) {
  auto fresh = base();
  fresh.agent.name = "alice2";
  const auto plan = plan_reload(base(), fresh);
  EXPECT_EQ(plan.applied, std::vector<std::string>{"agent.name"});
  ASSERT_EQ(plan.needs_restart.size(), 1u);
  EXPECT_NE(plan.needs_restart[0].find("mDNS"), std::string::npos);
}

}  // namespace
}  // namespace constellation::daemon

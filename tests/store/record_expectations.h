#pragma once
/// Field-by-field comparison of store records, so a failure names the field that differs.
/// Shared by the store tests and the control-protocol codec tests.

#include <gtest/gtest.h>

#include "constellation/store/inbound_tasks.h"
#include "constellation/store/outbound_tasks.h"
#include "constellation/store/peers.h"

namespace constellation::store::test_support {

inline void expect_same(const PeerRecord& a, const PeerRecord& b) {
  EXPECT_EQ(a.key, b.key);
  EXPECT_EQ(a.node_id, b.node_id);
  EXPECT_EQ(a.probe_url, b.probe_url);
  EXPECT_EQ(a.name, b.name);
  EXPECT_EQ(a.url, b.url);
  EXPECT_EQ(a.description, b.description);
  EXPECT_EQ(a.skills, b.skills);
  EXPECT_EQ(a.card_json, b.card_json);
  EXPECT_EQ(a.sources, b.sources);
  EXPECT_EQ(a.first_seen, b.first_seen);
  EXPECT_EQ(a.last_seen, b.last_seen);
  EXPECT_EQ(a.last_probe, b.last_probe);
  EXPECT_EQ(a.online, b.online);
  EXPECT_EQ(a.latency_ms, b.latency_ms);
  EXPECT_EQ(a.last_error, b.last_error);
}

/// Every task field the store keeps.
inline void expect_same_task(const a2a::Task& a, const a2a::Task& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.context_id, b.context_id);
  EXPECT_EQ(a.state, b.state);
  EXPECT_EQ(a.updated_at, b.updated_at);
  EXPECT_EQ(a.history, b.history);
  EXPECT_EQ(a.artifacts, b.artifacts);
  EXPECT_EQ(a.status_message, b.status_message);
}

inline void expect_same(const InboundTask& a, const InboundTask& b) {
  expect_same_task(a.task, b.task);
  EXPECT_EQ(a.dialect, b.dialect);
  EXPECT_EQ(a.from_name, b.from_name);
  EXPECT_EQ(a.from_url, b.from_url);
  EXPECT_EQ(a.received_at, b.received_at);
}

inline void expect_same(const OutboundTask& a, const OutboundTask& b) {
  expect_same_task(a.task, b.task);
  EXPECT_EQ(a.peer_name, b.peer_name);
  EXPECT_EQ(a.peer_url, b.peer_url);
  EXPECT_EQ(a.dialect, b.dialect);
  EXPECT_EQ(a.created_at, b.created_at);
  EXPECT_EQ(a.last_error, b.last_error);
  EXPECT_EQ(a.remote_id, b.remote_id);
  EXPECT_EQ(a.tenant, b.tenant);
}

}  // namespace constellation::store::test_support

#pragma once
/// The example peer the node tests describe: "atlas", a build helper.

#include "constellation/config/config.h"

namespace constellation::node::test_support {

inline config::Config atlas_config() {
  config::Config c;
  c.agent.name = "atlas";
  c.agent.description = "Build helper";
  c.agent.skills = {"build", "research"};
  return c;
}

}  // namespace constellation::node::test_support

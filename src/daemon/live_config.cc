#include "constellation/daemon/live_config.h"

#include <spdlog/spdlog.h>

#include "constellation/a2a/agent_card.h"
#include "constellation/daemon/config_reload.h"
#include "constellation/node/identity.h"
#include "constellation/security/allowlist.h"
#include "constellation/util/concat.h"

namespace constellation::daemon {

namespace {
std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}
}  // namespace

LiveConfig::LiveConfig(config::Config running, std::filesystem::path path, Targets targets)
    : running_(std::move(running)), path_(std::move(path)), targets_(std::move(targets)) {}

std::string LiveConfig::agent_name() const {
  std::lock_guard lock(mutex_);
  return running_.agent.name;
}

std::string LiveConfig::reload() {
  std::lock_guard lock(mutex_);
  spdlog::info("SIGHUP: re-reading {}", path_.string());
  std::string err;
  auto fresh = config::load_config(path_, &err);
  if (!fresh) {
    spdlog::error("config reload failed, still running the previous config: {}; fix the file "
                  "and send SIGHUP again (systemctl --user reload constellation)",
                  err);
    return concat({"config reload failed (", err, "); still running the previous config"});
  }
  // Checked before anything changes, so a bad entry never leaves half a reload.
  auto allow = security::Allowlist::parse(fresh->security.allow);
  if (!allow) {
    spdlog::error("config reload failed, still running the previous config: [security] {}; "
                  "fix the file and send SIGHUP again",
                  allow.error().message);
    return concat({"config reload failed ([security] ", allow.error().message,
                   "); still running the previous config"});
  }

  ReloadPlan plan = plan_reload(running_, *fresh);
  for (const auto& line : plan.needs_restart) {
    spdlog::warn("config reload: {}; the running daemon keeps the old value until "
                 "'systemctl --user restart constellation' (or a new 'constellation serve')",
                 line);
  }
  if (plan.applied.empty()) {
    spdlog::info("config reload: nothing to apply live");
    return plan.needs_restart.empty() ? "config reloaded: no changes"
                                      : "config reloaded: some changes need a restart";
  }
  running_ = plan.effective;
  if (targets_.a2a) {
    const a2a::AgentCard card = node::make_card(running_, targets_.url, targets_.node_id);
    targets_.a2a->set(a2a::card_to_json(card).dump(), std::move(*allow));
  }
  if (targets_.sources) targets_.sources->set_static_peers(running_.network.peers);
  spdlog::info("config reload: applied {}", joined(plan.applied));
  return concat({"config reloaded: applied ", joined(plan.applied)});
}

}  // namespace constellation::daemon

#include "constellation/util/error.h"

#include <array>
#include <utility>

namespace constellation {
namespace {
constexpr std::array<std::pair<ErrorKind, const char*>, 12> kNames{{
    {ErrorKind::kInternal, "internal"},
    {ErrorKind::kUsage, "usage"},
    {ErrorKind::kConfig, "config"},
    {ErrorKind::kUnknownPeer, "unknown_peer"},
    {ErrorKind::kUnknownTask, "unknown_task"},
    {ErrorKind::kPeerUnreachable, "peer_unreachable"},
    {ErrorKind::kPeerError, "peer_error"},
    {ErrorKind::kTimeout, "timeout"},
    {ErrorKind::kTaskNotOpen, "task_not_open"},
    {ErrorKind::kDaemonDown, "daemon_down"},
    {ErrorKind::kStore, "store"},
    {ErrorKind::kAmbiguousPeer, "ambiguous_peer"},
}};
}  // namespace

const char* error_kind_name(ErrorKind kind) {
  for (const auto& [k, name] : kNames)
    if (k == kind) return name;
  return "internal";
}

ErrorKind error_kind_from_name(const std::string& name) {
  for (const auto& [k, n] : kNames)
    if (name == n) return k;
  return ErrorKind::kInternal;
}

}  // namespace constellation

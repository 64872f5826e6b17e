#pragma once
/// Exit codes of every verb: documented in README.md ("Exit codes"); keep them stable,
/// agents branch on them.

#include "constellation/util/error.h"

namespace constellation::cli {

enum ExitCode : int {
  kExitOk = 0,
  kExitFailure = 1,          ///< internal error, disk or store trouble
  kExitUsage = 2,            ///< bad arguments
  kExitConfig = 3,           ///< config.toml missing or malformed
  kExitDaemonDown = 4,       ///< the daemon went away mid-request or is shutting down
  kExitUnknownPeer = 5,
  kExitUnknownTask = 6,
  kExitPeerUnreachable = 7,
  kExitPeerError = 8,        ///< the peer answered with an error or garbage
  kExitTimeout = 9,          ///< wait: the task did not end in time
  kExitTaskFailed = 10,      ///< wait: the peer answered "failed" (text on stdout)
  kExitTaskCanceled = 11,    ///< wait: the task was canceled
  kExitTaskNotOpen = 12,     ///< respond: the task is already answered
  kExitAmbiguousPeer = 13,   ///< send: several peers go by that name
  kExitNeedsInput = 14,      ///< wait: the peer asks a question (on stdout); answer with send --task
};

inline int exit_code_for(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kUsage: return kExitUsage;
    case ErrorKind::kConfig: return kExitConfig;
    case ErrorKind::kUnknownPeer: return kExitUnknownPeer;
    case ErrorKind::kUnknownTask: return kExitUnknownTask;
    case ErrorKind::kPeerUnreachable: return kExitPeerUnreachable;
    case ErrorKind::kPeerError: return kExitPeerError;
    case ErrorKind::kTimeout: return kExitTimeout;
    case ErrorKind::kTaskNotOpen: return kExitTaskNotOpen;
    case ErrorKind::kDaemonDown: return kExitDaemonDown;
    case ErrorKind::kAmbiguousPeer: return kExitAmbiguousPeer;
    case ErrorKind::kInternal:
    case ErrorKind::kStore: return kExitFailure;
  }
  return kExitFailure;
}

}  // namespace constellation::cli

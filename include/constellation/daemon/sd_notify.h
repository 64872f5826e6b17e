#pragma once
/// systemd's readiness protocol (sd_notify(3)) written by hand, so the binary needs no
/// libsystemd: datagrams like "READY=1" sent to the AF_UNIX socket named by
/// $NOTIFY_SOCKET. Without that variable (not under a Type=notify unit) every call is
/// a no-op.

#include <sys/socket.h>
#include <sys/un.h>

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "constellation/util/error.h"

namespace constellation::daemon {

/// Where $NOTIFY_SOCKET points: a path ("/run/user/1000/systemd/notify") or, with a
/// leading '@', a name in the abstract namespace. Pure, for tests.
struct NotifyAddress {
  sockaddr_un addr{};
  socklen_t length = 0;
};
Result<NotifyAddress> parse_notify_socket(std::string_view value);

/// CLOCK_MONOTONIC in microseconds, as systemd 253+ wants it in MONOTONIC_USEC= next to
/// RELOADING=1 (older managers ignore the field).
std::uint64_t monotonic_usec();

class SystemdNotifier {
 public:
  /// Reads $NOTIFY_SOCKET once; a malformed value is logged and notifications are off.
  SystemdNotifier();
  bool enabled() const { return address_.has_value(); }

  /// Sends `state` (newline-separated VAR=value assignments). Failures are logged once
  /// (systemd then times the start out and says so itself), never fatal.
  void notify(std::string_view state);

  void ready(std::string_view status);
  void reloading(std::string_view status);
  void stopping(std::string_view status);
  void status(std::string_view status);

 private:
  std::optional<NotifyAddress> address_;
  std::atomic<bool> warned_{false};
};

}  // namespace constellation::daemon

#include "constellation/daemon/sd_notify.h"

#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <ctime>

#include <spdlog/spdlog.h>

#include "constellation/util/concat.h"

namespace constellation::daemon {

Result<NotifyAddress> parse_notify_socket(std::string_view value) {
  NotifyAddress out;
  out.addr.sun_family = AF_UNIX;
  if (value.empty()) return make_error(ErrorKind::kConfig, "NOTIFY_SOCKET is empty");
  if (value.front() != '/' && value.front() != '@') {
    return make_error(ErrorKind::kConfig,
                      concat({"NOTIFY_SOCKET=", value,
                             " is neither an absolute path nor an abstract name ('@…'); "
                             "readiness is not reported (is this really systemd?)"}));
  }
  // sun_path needs no terminating NUL when the length says where it ends; a path one
  // byte shorter keeps it printable.
  if (value.size() >= sizeof(out.addr.sun_path)) {
    return make_error(ErrorKind::kConfig, concat({"NOTIFY_SOCKET=", value, " is longer than ",
                                                 std::to_string(sizeof(out.addr.sun_path) - 1),
                                                 " bytes; readiness is not reported"}));
  }
  std::memcpy(out.addr.sun_path, value.data(), value.size());
  // '@' stands for the abstract namespace's leading NUL byte, which is not part of a C
  // string and so cannot be in an environment variable.
  if (value.front() == '@') out.addr.sun_path[0] = '\0';
  out.length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + value.size() +
                                      (value.front() == '@' ? 0 : 1));
  return out;
}

std::uint64_t monotonic_usec() {
  timespec ts{};
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<std::uint64_t>(ts.tv_sec) * 1000000u +
         static_cast<std::uint64_t>(ts.tv_nsec) / 1000u;
}

SystemdNotifier::SystemdNotifier() {
  const char* value = std::getenv("NOTIFY_SOCKET");
  if (!value) return;
  auto address = parse_notify_socket(value);
  if (!address) {
    spdlog::warn("{}", address.error().message);
    return;
  }
  address_ = *address;
}

void SystemdNotifier::notify(std::string_view state) {
  if (!address_) return;
  const int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  int err = 0;
  if (fd < 0) {
    err = errno;
  } else {
    const auto* addr = reinterpret_cast<const sockaddr*>(&address_->addr);
    if (::sendto(fd, state.data(), state.size(), MSG_NOSIGNAL, addr, address_->length) < 0) {
      err = errno;
    }
    ::close(fd);
  }
  if (err == 0) {
    spdlog::debug("told systemd: {}", state);
    return;
  }
  if (warned_.exchange(true)) return;
  spdlog::warn("cannot tell systemd our state over NOTIFY_SOCKET ({}); a Type=notify unit "
               "will time out starting: check that the unit's NotifyAccess allows this "
               "process",
               std::strerror(err));
}

void SystemdNotifier::ready(std::string_view status) {
  notify(concat({"READY=1\nSTATUS=", status}));
}

void SystemdNotifier::reloading(std::string_view status) {
  notify(concat({"RELOADING=1\nMONOTONIC_USEC=", std::to_string(monotonic_usec()),
                "\nSTATUS=", status}));
}

void SystemdNotifier::stopping(std::string_view status) {
  notify(concat({"STOPPING=1\nSTATUS=", status}));
}

void SystemdNotifier::status(std::string_view status) { notify(concat({"STATUS=", status})); }

}  // namespace constellation::daemon

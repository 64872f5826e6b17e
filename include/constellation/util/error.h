#pragma once
/// Errors that cross layer boundaries: a kind the CLI maps to an exit code, plus a
/// message that already names the cause and the next step.

#include <string>
#include <utility>
#include <variant>

namespace constellation {

/// What went wrong, coarse enough to choose an exit code and an HTTP status on the
/// control socket. Add kinds at the end: their names travel over the control socket.
enum class ErrorKind {
  kInternal,        ///< a bug or an environment failure (disk, SQLite)
  kUsage,           ///< the caller passed arguments that cannot work
  kConfig,          ///< config.toml missing or malformed
  kUnknownPeer,     ///< no discovered peer has that name
  kUnknownTask,     ///< no task with that id in the store
  kPeerUnreachable, ///< connect/read to a peer failed or timed out
  kPeerError,       ///< the peer answered, but with an error or garbage
  kTimeout,         ///< `wait` ran out of time before the task ended
  kTaskNotOpen,     ///< `respond` to a task that is already answered or canceled
  kDaemonDown,      ///< no daemon answers on the control socket
  kStore,           ///< the store cannot be opened or is from a newer version
  kAmbiguousPeer,   ///< several peers go by that name: the caller must pick one
};

/// Stable lowercase name, used on the control socket ("unknown_peer").
const char* error_kind_name(ErrorKind kind);
/// Inverse of error_kind_name; unknown names map to kInternal.
ErrorKind error_kind_from_name(const std::string& name);

struct Error {
  ErrorKind kind = ErrorKind::kInternal;
  std::string message;
};

inline Error make_error(ErrorKind kind, std::string message) {
  return Error{kind, std::move(message)};
}

/// A value or an Error. Small on purpose: std::expected is C++23.
template <class T>
class Result {
 public:
  /// An error saying nothing was produced; exists because Asio's co_spawn and futures
  /// need default-constructible results.
  Result() : v_(Error{ErrorKind::kInternal, "no result"}) {}
  Result(T value) : v_(std::move(value)) {}          // NOLINT: implicit by design
  Result(Error error) : v_(std::move(error)) {}      // NOLINT
  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() { return std::get<0>(v_); }
  const T& value() const { return std::get<0>(v_); }
  T& operator*() { return value(); }
  const T& operator*() const { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

/// Result of an operation that yields nothing but can fail.
struct Ok {};
using Status = Result<Ok>;

}  // namespace constellation

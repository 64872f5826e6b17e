#pragma once
/// What the fuzz targets share: how an invariant violation becomes a crash libFuzzer
/// records (abort, with the reason on stderr), and the codec round-trip check.

#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace constellation::fuzz {

/// Aborts with `what` (and `detail`, e.g. the two JSON texts that differ): libFuzzer
/// saves the input that got here as crash-<sha1>.
[[noreturn]] inline void fail(std::string_view what, std::string_view detail = {}) {
  std::fprintf(stderr, "fuzz invariant violated: %.*s\n%.*s\n", static_cast<int>(what.size()),
               what.data(), static_cast<int>(detail.size()), detail.data());
  std::abort();
}

inline std::string dump(const nlohmann::json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

/// The contract every codec pair here keeps: whatever the decoder accepted, the encoder
/// writes in a form the decoder accepts again, and writing that second value gives the
/// same JSON. (Not value == decode(encode(value)): encoders normalise on purpose, e.g.
/// v0.3 always writes `blocking` and timestamps are written to the millisecond.)
template <class T, class Encode, class Decode>
void check_round_trip(const T& value, Encode encode, Decode decode, std::string_view what) {
  const nlohmann::json first = encode(value);
  std::string err;
  const std::optional<T> again = decode(first, &err);
  if (!again) fail(std::string(what) + ": our own encoding is refused: " + err, dump(first));
  const nlohmann::json second = encode(*again);
  if (second != first) {
    fail(std::string(what) + ": encoding is not stable", dump(first) + "\n" + dump(second));
  }
}

}  // namespace constellation::fuzz

#pragma once
/// Joining strings without operator+ chains, which trip a false -Warray-bounds in GCC 12
/// when a literal-built std::string is extended.

#include <initializer_list>
#include <string>
#include <string_view>

namespace constellation {

/// The pieces joined, in one allocation.
inline std::string concat(std::initializer_list<std::string_view> parts) {
  std::size_t size = 0;
  for (auto p : parts) size += p.size();
  std::string out;
  out.reserve(size);
  for (auto p : parts) out.append(p);
  return out;
}

}  // namespace constellation

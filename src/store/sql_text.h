#pragma once
/// Building SQL text from pieces. Internal to the store.

#include <initializer_list>
#include <string>
#include <string_view>

namespace constellation::store {

/// The pieces joined. (operator+ chains on these trip a false -Warray-bounds in GCC 12.)
inline std::string concat(std::initializer_list<std::string_view> parts) {
  std::size_t size = 0;
  for (auto p : parts) size += p.size();
  std::string out;
  out.reserve(size);
  for (auto p : parts) out.append(p);
  return out;
}

}  // namespace constellation::store

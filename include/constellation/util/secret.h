#pragma once
/// Unguessable secrets (push callback tokens) from the kernel's CSPRNG.

#include <cstddef>
#include <string>

namespace constellation {

/// `bytes` random bytes from getrandom(2), as lowercase hex. Throws std::system_error
/// when the kernel gives none (a system without entropy must not hand out guessable
/// tokens).
std::string random_hex(std::size_t bytes);

}  // namespace constellation

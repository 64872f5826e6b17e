// Base64 of file parts (v0.3 `bytes`, v1.0 `raw`): the input is read both as base64
// text from a peer and as file content we encode.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "constellation/a2a/base64.h"
#include "fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace constellation::a2a;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  std::string err;

  const std::string encoded = base64_encode(input);
  if (encoded.size() != base64_size(input.size())) constellation::fuzz::fail("base64_size is wrong");
  const auto decoded = base64_decode(encoded, &err);
  if (!decoded || *decoded != input) constellation::fuzz::fail("decode(encode(bytes)) != bytes", err);

  // Any text a peer sends that decodes must decode to what we would write for it.
  if (const auto bytes = base64_decode(input, &err)) {
    const auto again = base64_decode(base64_encode(*bytes), &err);
    if (!again || *again != *bytes) constellation::fuzz::fail("re-encoded peer base64 differs", err);
  }
  return 0;
}

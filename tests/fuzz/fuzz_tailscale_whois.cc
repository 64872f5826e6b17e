// What `tailscale whois --json <ip>` prints (discovery/tailscale_whois.h): the answer
// that decides who an inbound request is attributed to.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "constellation/discovery/tailscale_whois.h"
#include "fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace constellation::discovery;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto whois = parse_tailscale_whois(text);
  if (!whois.ok()) return 0;
  // The header's promises: an answer always names a node, and addresses carry no prefix.
  if (whois->node_name.empty()) constellation::fuzz::fail("whois accepted without a node name");
  for (const auto& address : whois->addresses) {
    if (address.find('/') != std::string::npos) constellation::fuzz::fail("address keeps its prefix", address);
  }
  return 0;
}

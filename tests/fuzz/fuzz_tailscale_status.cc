// What `tailscale status --json` and `tailscale ip -4` print, as the poller parses it
// (discovery/tailscale_status.h). The same input goes to both parsers.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "constellation/discovery/tailscale_status.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace constellation::discovery;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto status = parse_tailscale_status(text); status.ok()) {
    (void)describe_backend_state(status->backend_state);
  }
  (void)parse_tailscale_ip4(text);
  return 0;
}

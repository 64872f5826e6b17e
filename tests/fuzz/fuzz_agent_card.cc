// Agent cards come from every host discovery probes (a2a/agent_card.h): the input is
// the body of /.well-known/agent-card.json.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "constellation/a2a/agent_card.h"
#include "fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace constellation::a2a;
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  std::string err;
  // How `send` and `peers` read a stored card.
  (void)card_endpoint(body, &err);

  const auto card = parse_card(body, &err);
  if (!card) return 0;
  // Our own card is written by card_to_json from the same model; a card we accepted
  // must survive being written and read again (peers stores a card and reads it back).
  const nlohmann::json written = card_to_json(*card);
  const auto back = card_from_json(written, &err);
  if (!back) constellation::fuzz::fail("card_to_json output is refused: " + err, constellation::fuzz::dump(written));
  if (!(*back == *card)) {
    constellation::fuzz::fail("card changed by card_to_json/card_from_json", constellation::fuzz::dump(written));
  }
  return 0;
}

// The SSE parser reads peers' event streams byte by byte as they arrive. The input is
// the stream; the first bytes choose the event size limit and where TCP splits it.

#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "constellation/a2a/sse.h"
#include "fuzz_check.h"

namespace {

using constellation::a2a::SseEvent;
using constellation::a2a::SseParser;

std::string describe(const std::vector<SseEvent>& events) {
  std::string out;
  for (const auto& e : events) out += "[" + e.event + "] " + e.data + "\n";
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider in(data, size);
  // Small limits too, so that the refusal path is reached without megabyte inputs.
  const std::size_t limit = in.ConsumeBool() ? in.ConsumeIntegralInRange<std::size_t>(1, 512)
                                             : std::size_t{4} * 1024 * 1024;
  std::vector<std::size_t> splits;
  for (int i = in.ConsumeIntegralInRange(0, 8); i > 0; --i) {
    splits.push_back(in.ConsumeIntegralInRange<std::size_t>(0, 64));
  }
  const std::string stream = in.ConsumeRemainingBytesAsString();

  // The header's promise: any split of the bytes gives the same events.
  SseParser whole(limit);
  std::vector<SseEvent> whole_events;
  std::string err;
  const bool whole_ok = whole.feed(stream, &whole_events, &err);

  SseParser pieces(limit);
  std::vector<SseEvent> piece_events;
  bool pieces_ok = true;
  std::string_view rest = stream;
  for (std::size_t i = 0; !rest.empty() && pieces_ok; ++i) {
    const std::size_t n = i < splits.size() ? std::min(splits[i], rest.size()) : rest.size();
    pieces_ok = pieces.feed(rest.substr(0, n), &piece_events, &err);
    rest.remove_prefix(n);
  }
  if (whole_ok != pieces_ok || whole_events != piece_events) {
    constellation::fuzz::fail("SSE parse depends on how the stream is split",
                              describe(whole_events) + "---\n" + describe(piece_events));
  }

  // What we write, we read back: every single-line event survives sse_event().
  for (const auto& event : whole_events) {
    if (event.data.find_first_of("\r\n") != std::string::npos) continue;
    SseParser reader(limit + 64);
    std::vector<SseEvent> back;
    if (!reader.feed(constellation::a2a::sse_event(event.data, event.event), &back, &err) ||
        back.size() != 1 || back[0] != event) {
      constellation::fuzz::fail("sse_event output does not parse back to the event",
                                describe({event}) + "---\n" + describe(back));
    }
  }
  return 0;
}

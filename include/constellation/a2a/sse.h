#pragma once
/// Server-Sent Events (text/event-stream) as A2A streams use them (a2a-wire.md §2.5):
/// an incremental parser for what peers send, and the writers for what we send. Pure:
/// bytes in, events out; no I/O.
///
/// The parser follows the HTML standard's event-stream interpretation: lines end in
/// "\r\n", "\n" or "\r" (also when a "\r\n" is split between two feeds); lines starting
/// with ':' are comments (keep-alives); `data:` lines of one event are joined with "\n";
/// `event:` names the event ("message" when absent); a blank line dispatches the event,
/// and an event without data is dropped. One leading space after the colon is removed.
/// A leading UTF-8 byte order mark is skipped. `id` and `retry` are read and ignored.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace constellation::a2a {

struct SseEvent {
  std::string event = "message";  ///< the `event:` field; "message" when absent
  std::string data;               ///< the `data:` lines joined with "\n"
  friend bool operator==(const SseEvent&, const SseEvent&) = default;
};

class SseParser {
 public:
  /// Peers are untrusted: a single line or event larger than `max_event_bytes` stops
  /// the parser (feed returns false) instead of growing without bound.
  explicit SseParser(std::size_t max_event_bytes = 4 * 1024 * 1024)
      : max_event_bytes_(max_event_bytes) {}

  /// Consumes `bytes` (any split: a line or even a "\r\n" may straddle two calls) and
  /// appends every event completed by them to *out. False, with *err set, once the
  /// size limit is exceeded; the parser then refuses everything after.
  bool feed(std::string_view bytes, std::vector<SseEvent>* out, std::string* err);

 private:
  void line(std::string_view text, std::vector<SseEvent>* out);

  std::size_t max_event_bytes_;
  std::string line_;     ///< the current line, not yet terminated
  SseEvent pending_;     ///< fields of the event being read
  bool has_data_ = false;
  bool after_cr_ = false;  ///< the last byte was '\r': a following '\n' belongs to it
  bool started_ = false;   ///< past the optional byte order mark
  bool failed_ = false;
};

/// One event carrying `data` (which must not contain line breaks: JSON-RPC replies are
/// written compact), optionally named: "event: error\ndata: {...}\n\n".
std::string sse_event(std::string_view data, std::string_view event = {});
/// A comment line, e.g. ": keep-alive\n\n"; clients ignore it, proxies see traffic.
std::string sse_comment(std::string_view text);

}  // namespace constellation::a2a

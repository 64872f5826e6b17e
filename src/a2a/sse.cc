#include "constellation/a2a/sse.h"

namespace constellation::a2a {

namespace {
constexpr std::string_view kBom = "\xEF\xBB\xBF";
}

bool SseParser::feed(std::string_view bytes, std::vector<SseEvent>* out, std::string* err) {
  if (failed_) {
    *err = "event stream already refused";
    return false;
  }
  for (const char c : bytes) {
    if (after_cr_) {
      after_cr_ = false;
      if (c == '\n') continue;  // the second half of a "\r\n"
    }
    if (c == '\r' || c == '\n') {
      after_cr_ = c == '\r';
      if (!started_) {
        started_ = true;
        if (std::string_view(line_).starts_with(kBom)) line_.erase(0, kBom.size());
      }
      line(line_, out);
      line_.clear();
      continue;
    }
    line_ += c;
    if (!started_ && line_.size() >= kBom.size()) {
      started_ = true;
      if (std::string_view(line_).starts_with(kBom)) line_.erase(0, kBom.size());
    }
    if (line_.size() + pending_.data.size() > max_event_bytes_) {
      failed_ = true;
      *err = "event larger than " + std::to_string(max_event_bytes_) + " bytes";
      return false;
    }
  }
  return true;
}

void SseParser::line(std::string_view text, std::vector<SseEvent>* out) {
  if (text.empty()) {
    if (has_data_) out->push_back(std::move(pending_));
    pending_ = SseEvent{};
    has_data_ = false;
    return;
  }
  if (text.front() == ':') return;  // a comment
  const auto colon = text.find(':');
  const std::string_view field = text.substr(0, colon);
  std::string_view value = colon == std::string_view::npos ? std::string_view{} : text.substr(colon + 1);
  if (value.starts_with(' ')) value.remove_prefix(1);
  if (field == "data") {
    if (has_data_) pending_.data += '\n';
    pending_.data += value;
    has_data_ = true;
  } else if (field == "event") {
    pending_.event = value.empty() ? "message" : std::string(value);
  }
  // id, retry and unknown fields: nothing we use.
}

std::string sse_event(std::string_view data, std::string_view event) {
  std::string out;
  out.reserve(data.size() + event.size() + 16);
  if (!event.empty()) {
    out += "event: ";
    out += event;
    out += '\n';
  }
  out += "data: ";
  out += data;
  out += "\n\n";
  return out;
}

std::string sse_comment(std::string_view text) {
  std::string out = ": ";
  out += text;
  out += "\n\n";
  return out;
}

}  // namespace constellation::a2a

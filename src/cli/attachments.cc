#include "attachments.h"

#include <cstdio>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "constellation/node/attachments.h"
#include "constellation/node/preview.h"
#include "context.h"

namespace constellation::cli {

namespace {

/// A link from the wire on one line: control characters (and the space, so the line
/// splits cleanly) percent-encoded.
std::string one_line(const std::string& text) {
  std::string out;
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (c <= 0x20 || c == 0x7f) {
      char hex[4];
      std::snprintf(hex, sizeof hex, "%%%02X", c);
      out += hex;
    } else {
      out += ch;
    }
  }
  return out;
}

}  // namespace

Result<std::vector<a2a::Part>> read_attachments(Context& ctx, const std::vector<std::string>& files,
                                                const std::vector<std::string>& data) {
  std::vector<a2a::Part> parts;
  if (files.empty() && data.empty()) return parts;
  std::uint64_t max_bytes = 0;
  if (!files.empty()) {
    auto config = ctx.load_config();
    if (!config) return config.error();
    max_bytes = config->files.max_bytes;
  }
  // Each file alone (load_file_part says which one is too big), then all together, from
  // their sizes: nothing is read when the whole cannot go.
  std::uint64_t total = 0;
  for (const std::string& path : files) {
    std::error_code ec;
    const auto size = std::filesystem::file_size(path, ec);
    if (!ec) total += size;
  }
  if (files.size() > 1 && total > max_bytes) {
    return make_error(ErrorKind::kUsage,
                      "the " + std::to_string(files.size()) + " files weigh " +
                          node::describe_size(total) + " together, over the limit of " +
                          node::describe_size(max_bytes) +
                          " per message ([files] max_bytes in config.toml); send them in several "
                          "messages or raise the limit (both peers must allow it)");
  }
  for (const std::string& path : files) {
    auto part = node::load_file_part(path, max_bytes);
    if (!part) return part.error();
    parts.push_back(std::move(*part));
  }
  if (auto st = node::check_attachment_size(parts, max_bytes); !st) return st.error();
  for (const std::string& text : data) {
    auto value = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (value.is_discarded()) {
      return make_error(ErrorKind::kUsage,
                        "--data is not valid JSON: " + node::preview(text, 60) +
                            "; give one JSON value, e.g. --data '{\"ticket\":\"REQ1\"}'");
    }
    parts.push_back(a2a::data_part(value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)));
  }
  return parts;
}

void print_attachment_lines(const std::vector<a2a::Part>& parts) {
  for (const a2a::Part& p : parts) {
    if (p.is_data()) {
      std::printf("data: %s\n", p.data.c_str());
    } else if (p.is_file() && !p.uri.empty()) {
      std::printf("attachment-url: %s\n", one_line(p.uri).c_str());
    } else if (p.is_file()) {
      std::printf("attachment: %s\n", one_line(p.saved_path).c_str());
    }
  }
}

std::string attachment_markers(const std::vector<a2a::Part>& parts) {
  std::string out;
  for (const a2a::Part& p : parts) {
    if (p.is_data()) {
      out += " [data: " + node::preview(p.data, 200) + "]";
    } else if (p.is_file() && !p.uri.empty()) {
      out += " [file-url: " + one_line(p.uri) + "]";
    } else if (p.is_file()) {
      out += " [file: " + one_line(p.saved_path) + "]";
    }
  }
  return out;
}

}  // namespace constellation::cli

#include "constellation/node/attachments.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <random>

#include "constellation/node/node.h"

namespace constellation::node {
namespace {

struct MediaType {
  const char* extension;  ///< lowercase, without the dot
  const char* type;
};
// The common types an agent hands around; the first entry for a type is its extension.
constexpr std::array<MediaType, 36> kMediaTypes{{
    {"txt", "text/plain"},         {"log", "text/plain"},
    {"md", "text/markdown"},       {"markdown", "text/markdown"},
    {"csv", "text/csv"},           {"tsv", "text/tab-separated-values"},
    {"html", "text/html"},         {"htm", "text/html"},
    {"css", "text/css"},           {"js", "text/javascript"},
    {"json", "application/json"},  {"xml", "application/xml"},
    {"yaml", "application/yaml"},  {"yml", "application/yaml"},
    {"toml", "application/toml"},  {"pdf", "application/pdf"},
    {"zip", "application/zip"},    {"gz", "application/gzip"},
    {"tar", "application/x-tar"},  {"sh", "application/x-sh"},
    {"py", "text/x-python"},       {"c", "text/x-c"},
    {"h", "text/x-c"},             {"cc", "text/x-c++"},
    {"cpp", "text/x-c++"},         {"rs", "text/x-rust"},
    {"go", "text/x-go"},           {"png", "image/png"},
    {"jpg", "image/jpeg"},         {"jpeg", "image/jpeg"},
    {"gif", "image/gif"},          {"svg", "image/svg+xml"},
    {"webp", "image/webp"},        {"mp3", "audio/mpeg"},
    {"wav", "audio/wav"},          {"mp4", "video/mp4"},
}};

constexpr std::string_view kOctetStream = "application/octet-stream";
constexpr std::size_t kMaxExtensionBytes = 16;

bool safe_byte(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         c == '.' || c == '_' || c == '-' || c == '+' || c == '@' || c == '=' || c == ',';
}

std::string lowercase(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

/// The ".ext" of a safe name (dot included), or "" when it has none worth keeping.
std::string_view extension_of(std::string_view name) {
  const auto dot = name.rfind('.');
  if (dot == std::string_view::npos || dot == 0 || name.size() - dot > kMaxExtensionBytes + 1) {
    return {};
  }
  return name.substr(dot);
}

/// "report.pdf", n=2 → "report-2.pdf".
std::string numbered(const std::string& name, int n) {
  if (n == 1) return name;
  const std::string_view ext = extension_of(name);
  const std::string stem = name.substr(0, name.size() - ext.size());
  return stem + "-" + std::to_string(n) + std::string(ext);
}

Error disk_error(const std::string& what, const std::filesystem::path& path, int err) {
  return make_error(ErrorKind::kInternal,
                    "cannot " + what + " " + path.string() + ": " + std::strerror(err));
}

/// Makes `dir` (mode 0700) unless it exists; refuses anything there that is not a
/// directory, a symbolic link included.
Status make_private_dir(const std::filesystem::path& dir) {
  if (::mkdir(dir.c_str(), 0700) == 0) return Ok{};
  if (errno != EEXIST) return disk_error("create directory", dir, errno);
  struct stat st {};
  if (::lstat(dir.c_str(), &st) != 0) return disk_error("inspect", dir, errno);
  if (!S_ISDIR(st.st_mode)) {
    return make_error(ErrorKind::kInternal,
                      dir.string() + " exists and is not a directory; move it away");
  }
  return Ok{};
}

enum class Existing { kAbsent, kSame, kOther };

/// What is at `path` compared with `content`, without following a symbolic link.
Result<Existing> compare_existing(const std::filesystem::path& path, const std::string& content) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return Existing::kAbsent;
    return disk_error("inspect", path, errno);
  }
  if (!S_ISREG(st.st_mode) || static_cast<std::uint64_t>(st.st_size) != content.size()) {
    return Existing::kOther;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Existing::kOther;
  std::string have(content.size(), '\0');
  in.read(have.data(), static_cast<std::streamsize>(have.size()));
  return in && have == content ? Existing::kSame : Existing::kOther;
}

/// Writes `content` to a fresh temporary file in the same directory and links it to
/// `path`. *taken when `path` appeared meanwhile: nothing is replaced.
Status write_new_file(const std::filesystem::path& path, const std::string& content, bool* taken) {
  *taken = false;
  thread_local std::mt19937_64 random{std::random_device{}()};
  const auto tmp = path.parent_path() /
                   (".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(random()));
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) return disk_error("create", tmp, errno);
  std::size_t done = 0;
  while (done < content.size()) {
    const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int err = n < 0 ? errno : EIO;
      ::close(fd);
      ::unlink(tmp.c_str());
      return disk_error("write", tmp, err);
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    const int err = errno;
    ::unlink(tmp.c_str());
    return disk_error("write", tmp, err);
  }
  // link() never replaces: a name that appeared since we looked is left alone.
  const int linked = ::link(tmp.c_str(), path.c_str());
  const int link_err = errno;
  ::unlink(tmp.c_str());
  if (linked == 0) return Ok{};
  if (link_err == EEXIST) {
    *taken = true;
    return Ok{};
  }
  return disk_error("create", path, link_err);
}

}  // namespace

std::string safe_file_name(std::string_view wire_name, std::string_view media_type) {
  const auto slash = wire_name.find_last_of("/\\");
  if (slash != std::string_view::npos) wire_name.remove_prefix(slash + 1);
  std::string name;
  for (const char ch : wire_name) {
    const auto c = static_cast<unsigned char>(ch);
    if (safe_byte(c)) {
      name += ch;
    } else if (name.empty() || name.back() != '_') {
      name += '_';
    }
  }
  const auto start = name.find_first_not_of(".-");
  name = start == std::string::npos ? std::string() : name.substr(start);
  if (name.empty() || name.find_first_not_of('_') == std::string::npos) {
    name = "attachment";
    const std::string type = lowercase(media_type.substr(0, media_type.find(';')));
    for (const MediaType& m : kMediaTypes) {
      if (type == m.type) {
        name += std::string(".") + m.extension;
        break;
      }
    }
  }
  if (name.size() > kMaxSafeNameBytes) {
    const std::string ext(extension_of(name));
    name = name.substr(0, kMaxSafeNameBytes - ext.size()) + ext;
  }
  return name;
}

std::string safe_dir_name(std::string_view task_id) {
  if (printable_task_id(task_id)) return std::string(task_id);
  // FNV-1a over the whole id: two ids that sanitise alike still differ here.
  std::uint64_t hash = 0xcbf29ce484222325ull;
  for (const char c : task_id) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001b3ull;
  }
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(hash));
  std::string base = safe_file_name(task_id.substr(0, 64));
  if (base == "attachment") base = "task";
  return base + "-" + hex;
}

std::string guess_media_type(std::string_view filename) {
  const auto dot = filename.rfind('.');
  if (dot == std::string_view::npos) return std::string(kOctetStream);
  const std::string ext = lowercase(filename.substr(dot + 1));
  for (const MediaType& m : kMediaTypes)
    if (ext == m.extension) return m.type;
  return std::string(kOctetStream);
}

std::string describe_size(std::uint64_t bytes) {
  char text[64];
  if (bytes >= (1u << 20)) {
    std::snprintf(text, sizeof text, "%.1f MiB (%llu bytes)", static_cast<double>(bytes) / (1u << 20),
                  static_cast<unsigned long long>(bytes));
  } else if (bytes >= (1u << 10)) {
    std::snprintf(text, sizeof text, "%.1f KiB (%llu bytes)", static_cast<double>(bytes) / (1u << 10),
                  static_cast<unsigned long long>(bytes));
  } else {
    std::snprintf(text, sizeof text, "%llu bytes", static_cast<unsigned long long>(bytes));
  }
  return text;
}

Result<a2a::Part> load_file_part(const std::filesystem::path& path, std::uint64_t max_bytes) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    return make_error(ErrorKind::kUsage,
                      "cannot attach " + path.string() + ": " + std::strerror(errno));
  }
  if (!S_ISREG(st.st_mode)) {
    return make_error(ErrorKind::kUsage,
                      "cannot attach " + path.string() + ": not a regular file");
  }
  const auto size = static_cast<std::uint64_t>(st.st_size);
  if (size > max_bytes) {
    return make_error(ErrorKind::kUsage,
                      "cannot attach " + path.string() + ": it is " + describe_size(size) +
                          ", over the limit of " + describe_size(max_bytes) +
                          " ([files] max_bytes in config.toml); send a smaller file or raise the "
                          "limit (both peers must allow it)");
  }
  std::ifstream in(path, std::ios::binary);
  std::string bytes(size, '\0');
  if (in) in.read(bytes.data(), static_cast<std::streamsize>(size));
  if (!in || in.gcount() != static_cast<std::streamsize>(size)) {
    return make_error(ErrorKind::kUsage, "cannot read " + path.string() + ": " + std::strerror(errno));
  }
  const std::string name = path.filename().string();
  return a2a::file_part(name, guess_media_type(name), std::move(bytes));
}

Status check_attachment_size(const std::vector<a2a::Part>& parts, std::uint64_t max_bytes) {
  const std::uint64_t total = a2a::inline_file_bytes(parts);
  if (total <= max_bytes) return Ok{};
  return make_error(ErrorKind::kUsage,
                    "the attachments weigh " + describe_size(total) + " together, over the limit of " +
                        describe_size(max_bytes) +
                        " per message ([files] max_bytes in config.toml); send them in several "
                        "messages or raise the limit (both peers must allow it)");
}

std::filesystem::path files_dir(const std::filesystem::path& store_path) {
  std::error_code ec;
  auto absolute = std::filesystem::absolute(store_path, ec);
  return (ec ? store_path : absolute).parent_path() / "files";
}

Status save_attachments(const std::filesystem::path& dir, const std::string& task_id,
                        const std::vector<a2a::Part*>& parts) {
  bool any = false;
  for (const a2a::Part* part : parts) any = any || part->is_inline_file();
  if (!any) return Ok{};
  if (auto st = make_private_dir(dir); !st) return st;
  const auto task_dir = dir / safe_dir_name(task_id);
  if (auto st = make_private_dir(task_dir); !st) return st;

  // Names given out in this pass, with their content: a second part of the same name and
  // content (a peer repeating a file in its history and its artifact) shares the file.
  std::map<std::string, const std::string*> given;
  for (a2a::Part* part : parts) {
    if (!part->is_inline_file()) continue;
    const std::string base = safe_file_name(part->filename, part->media_type);
    for (int n = 1;; ++n) {
      const std::string name = numbered(base, n);
      const auto path = task_dir / name;
      if (auto it = given.find(name); it != given.end()) {
        if (*it->second != part->bytes) continue;
        part->saved_path = path.string();
        break;
      }
      auto existing = compare_existing(path, part->bytes);
      if (!existing) return existing.error();
      if (*existing == Existing::kOther) continue;
      if (*existing == Existing::kAbsent) {
        bool taken = false;
        if (auto st = write_new_file(path, part->bytes, &taken); !st) return st;
        if (taken) {
          --n;  // someone wrote that name meanwhile: look at it again
          continue;
        }
      }
      given.emplace(name, &part->bytes);
      part->saved_path = path.string();
      break;
    }
  }
  return Ok{};
}

}  // namespace constellation::node

#include "constellation/security/bearer_token.h"

#include <sys/stat.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>

#include "constellation/util/concat.h"

namespace constellation::security {
namespace {

constexpr std::size_t kMinTokenLength = 16;

std::string_view trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(" \t\r\n") - first + 1);
}

}  // namespace

Result<std::string> read_token_file(const std::filesystem::path& path) {
  const std::string where = concat({"[security] token_file ", path.string()});
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    return make_error(ErrorKind::kConfig,
                      concat({where, ": cannot read it (", std::strerror(errno),
                              "); create it with: head -c 32 /dev/urandom | base64 > ", path.string(),
                              " && chmod 600 ", path.string(), ", and copy it to every peer"}));
  }
  if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    return make_error(ErrorKind::kConfig,
                      concat({where, ": others can read it; run: chmod 600 ", path.string()}));
  }
  std::ifstream in(path);
  std::string line;
  if (!in || !std::getline(in, line)) line.clear();
  const std::string token(trim(line));
  if (token.size() < kMinTokenLength) {
    return make_error(ErrorKind::kConfig,
                      concat({where, ": the token on its first line is ",
                              token.empty() ? "missing" : "shorter than 16 characters",
                              "; write a long random one: head -c 32 /dev/urandom | base64"}));
  }
  return token;
}

bool bearer_matches(std::string_view authorization, std::string_view token) {
  constexpr std::string_view kScheme = "bearer ";
  if (authorization.size() < kScheme.size()) return false;
  for (std::size_t i = 0; i < kScheme.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(authorization[i])) != kScheme[i]) return false;
  }
  const std::string_view given = trim(authorization.substr(kScheme.size()));
  // Length is not secret (every peer's token is as long as ours); the bytes are.
  if (given.size() != token.size()) return false;
  unsigned char diff = 0;
  for (std::size_t i = 0; i < token.size(); ++i) diff |= static_cast<unsigned char>(given[i] ^ token[i]);
  return diff == 0;
}

}  // namespace constellation::security

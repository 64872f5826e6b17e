#pragma once
/// What every verb shares: where the config is, loading it, reaching the daemon, and
/// reporting. Errors are printed here once, as one line on stderr.

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "constellation/config/config.h"
#include "constellation/config/paths.h"
#include "constellation/node/verbs.h"
#include "constellation/util/error.h"

namespace constellation::cli {

class Context {
 public:
  std::optional<std::string> config_flag;  ///< --config
  config::EnvLookup env = config::process_env();

  std::filesystem::path config_path() const;
  /// Loads config.toml once; a failure is a kConfig error with file, line and key.
  Result<config::Config> load_config();
  std::filesystem::path store_path(const config::Config& c) const;
  std::filesystem::path control_socket(const config::Config& c) const;
  /// [security] token_file's token ("" when none is configured); kConfig when the file
  /// is missing, too short or readable by others.
  Result<std::string> mesh_token(const config::Config& c) const;

  /// The daemon when one answers, else direct store access plus one note on stderr.
  Result<std::unique_ptr<node::Verbs>> connect_verbs();

  /// Prints "constellation: <message>" on stderr and returns the kind's exit code.
  int fail(const Error& error) const;
  /// Prints "constellation: note: <message>" on stderr.
  void note(const std::string& message) const;

  int exit_code = 0;  ///< set by the verb's callback
};

/// The text argument: itself, or all of stdin (byte for byte) when it is "-".
Result<std::string> read_text_argument(const std::string& arg);

}  // namespace constellation::cli

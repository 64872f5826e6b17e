#pragma once
/// Where our files live, following the XDG base directory spec. Pure: the environment
/// is passed in, so tests need not touch the real one.

#include <filesystem>
#include <functional>
#include <optional>
#include <string>

namespace constellation::config {

/// Returns the value of an environment variable, or nullopt when unset or empty.
using EnvLookup = std::function<std::optional<std::string>(const std::string&)>;
/// The process environment.
EnvLookup process_env();

/// --config flag, else $CONSTELLATION_CONFIG, else $XDG_CONFIG_HOME/constellation/
/// config.toml, else $HOME/.config/constellation/config.toml.
std::filesystem::path config_path(const std::optional<std::string>& flag, const EnvLookup& env);

/// $XDG_DATA_HOME/constellation, else $HOME/.local/share/constellation.
std::filesystem::path data_dir(const EnvLookup& env);

/// The store file for a `[store] path` value: "auto" → data_dir()/store.db; a relative
/// path is taken relative to the config file's directory.
std::filesystem::path store_path(const std::string& configured,
                                 const std::filesystem::path& config_file, const EnvLookup& env);

/// A file named in the config ([security] token_file): "~/" is the home directory, and a
/// relative path is relative to the config file's directory.
std::filesystem::path config_relative_path(const std::string& configured,
                                           const std::filesystem::path& config_file,
                                           const EnvLookup& env);

/// $XDG_RUNTIME_DIR/constellation/control.sock; without XDG_RUNTIME_DIR, the socket
/// sits beside the store so that two peers on one machine never share one.
std::filesystem::path control_socket_path(const std::filesystem::path& store_file,
                                          const EnvLookup& env);

/// $XDG_CONFIG_HOME/systemd/user, else $HOME/.config/systemd/user.
std::filesystem::path systemd_user_dir(const EnvLookup& env);

}  // namespace constellation::config

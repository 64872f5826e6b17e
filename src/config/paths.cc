#include "constellation/config/paths.h"

#include <cstdlib>

namespace constellation::config {
namespace {

/// $HOME; a service started without one falls back to the working directory rather
/// than to "/", where we could not write anyway.
std::filesystem::path home_dir(const EnvLookup& env) {
  if (auto home = env("HOME")) return *home;
  return ".";
}

/// An XDG base directory variable, ignored unless absolute (as the spec requires).
std::optional<std::filesystem::path> xdg_dir(const EnvLookup& env, const std::string& name) {
  auto value = env(name);
  if (!value) return std::nullopt;
  std::filesystem::path dir(*value);
  if (!dir.is_absolute()) return std::nullopt;
  return dir;
}

std::filesystem::path config_home(const EnvLookup& env) {
  if (auto dir = xdg_dir(env, "XDG_CONFIG_HOME")) return *dir;
  return home_dir(env) / ".config";
}

}  // namespace

EnvLookup process_env() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    if (!value || !*value) return std::nullopt;
    return std::string(value);
  };
}

std::filesystem::path config_path(const std::optional<std::string>& flag, const EnvLookup& env) {
  if (flag && !flag->empty()) return *flag;
  if (auto explicit_path = env("CONSTELLATION_CONFIG")) return *explicit_path;
  return config_home(env) / "constellation" / "config.toml";
}

std::filesystem::path data_dir(const EnvLookup& env) {
  if (auto dir = xdg_dir(env, "XDG_DATA_HOME")) return *dir / "constellation";
  return home_dir(env) / ".local" / "share" / "constellation";
}

std::filesystem::path store_path(const std::string& configured,
                                 const std::filesystem::path& config_file, const EnvLookup& env) {
  if (configured == "auto") return data_dir(env) / "store.db";
  return config_relative_path(configured, config_file, env);
}

std::filesystem::path config_relative_path(const std::string& configured,
                                           const std::filesystem::path& config_file,
                                           const EnvLookup& env) {
  if (configured.rfind("~/", 0) == 0) return home_dir(env) / configured.substr(2);
  std::filesystem::path path(configured);
  if (path.is_absolute()) return path;
  // Relative to the config file, so a config and its files can be moved together.
  return config_file.parent_path() / path;
}

std::filesystem::path control_socket_path(const std::filesystem::path& store_file,
                                          const EnvLookup& env) {
  if (auto dir = xdg_dir(env, "XDG_RUNTIME_DIR")) return *dir / "constellation" / "control.sock";
  return store_file.parent_path() / "control.sock";
}

std::filesystem::path systemd_user_dir(const EnvLookup& env) {
  return config_home(env) / "systemd" / "user";
}

}  // namespace constellation::config

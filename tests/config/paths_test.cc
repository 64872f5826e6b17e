#include "constellation/config/paths.h"

#include <cstdlib>
#include <map>

#include <gtest/gtest.h>

namespace constellation::config {
namespace {

using std::filesystem::path;

/// An environment made of exactly the given variables.
EnvLookup fake_env(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end() || it->second.empty()) return std::nullopt;
    return it->second;
  };
}

TEST(ConfigPath, FlagWins) {
  auto env = fake_env({{"CONSTELLATION_CONFIG", "/env/c.toml"}, {"HOME", "/home/u"}});
  EXPECT_EQ(config_path(std::string("/flag/c.toml"), env), path("/flag/c.toml"));
}

TEST(ConfigPath, EnvironmentVariableNext) {
  auto env = fake_env({{"CONSTELLATION_CONFIG", "/env/c.toml"},
                       {"XDG_CONFIG_HOME", "/xdg"},
                       {"HOME", "/home/u"}});
  EXPECT_EQ(config_path(std::nullopt, env), path("/env/c.toml"));
}

TEST(ConfigPath, XdgConfigHomeThenHome) {
  EXPECT_EQ(config_path(std::nullopt, fake_env({{"XDG_CONFIG_HOME", "/xdg"}, {"HOME", "/h"}})),
            path("/xdg/constellation/config.toml"));
  EXPECT_EQ(config_path(std::nullopt, fake_env({{"HOME", "/h"}})),
            path("/h/.config/constellation/config.toml"));
  // Empty counts as unset; a relative XDG directory is invalid per the spec.
  EXPECT_EQ(config_path(std::nullopt, fake_env({{"XDG_CONFIG_HOME", ""}, {"HOME", "/h"}})),
            path("/h/.config/constellation/config.toml"));
  EXPECT_EQ(config_path(std::nullopt, fake_env({{"XDG_CONFIG_HOME", "rel"}, {"HOME", "/h"}})),
            path("/h/.config/constellation/config.toml"));
}

TEST(DataDir, XdgDataHomeThenHome) {
  EXPECT_EQ(data_dir(fake_env({{"XDG_DATA_HOME", "/d"}, {"HOME", "/h"}})),
            path("/d/constellation"));
  EXPECT_EQ(data_dir(fake_env({{"HOME", "/h"}})), path("/h/.local/share/constellation"));
}

TEST(StorePath, AutoIsInTheDataDir) {
  auto env = fake_env({{"XDG_DATA_HOME", "/d"}, {"HOME", "/h"}});
  EXPECT_EQ(store_path("auto", "/cfg/config.toml", env), path("/d/constellation/store.db"));
}

TEST(StorePath, TildeAbsoluteAndRelative) {
  auto env = fake_env({{"HOME", "/h"}});
  EXPECT_EQ(store_path("~/s/store.db", "/cfg/config.toml", env), path("/h/s/store.db"));
  EXPECT_EQ(store_path("/abs/store.db", "/cfg/config.toml", env), path("/abs/store.db"));
  EXPECT_EQ(store_path("data/store.db", "/cfg/config.toml", env), path("/cfg/data/store.db"));
  EXPECT_EQ(store_path("store.db", "config.toml", env), path("store.db"));
}

TEST(ControlSocketPath, RuntimeDirElseBesideTheStore) {
  EXPECT_EQ(control_socket_path("/d/constellation/store.db", fake_env({{"XDG_RUNTIME_DIR",
                                                                        "/run/user/1000"}})),
            path("/run/user/1000/constellation/control.sock"));
  EXPECT_EQ(control_socket_path("/d/constellation/store.db", fake_env({{"HOME", "/h"}})),
            path("/d/constellation/control.sock"));
}

TEST(SystemdUserDir, XdgConfigHomeThenHome) {
  EXPECT_EQ(systemd_user_dir(fake_env({{"XDG_CONFIG_HOME", "/xdg"}})), path("/xdg/systemd/user"));
  EXPECT_EQ(systemd_user_dir(fake_env({{"HOME", "/h"}})), path("/h/.config/systemd/user"));
}

TEST(ProcessEnv, ReadsTheRealEnvironmentAndTreatsEmptyAsUnset) {
  ::setenv("CONSTELLATION_PATHS_TEST_SET", "value", 1);
  ::setenv("CONSTELLATION_PATHS_TEST_EMPTY", "", 1);
  ::unsetenv("CONSTELLATION_PATHS_TEST_UNSET");
  EnvLookup env = process_env();
  EXPECT_EQ(env("CONSTELLATION_PATHS_TEST_SET"), std::optional<std::string>("value"));
  EXPECT_EQ(env("CONSTELLATION_PATHS_TEST_EMPTY"), std::nullopt);
  EXPECT_EQ(env("CONSTELLATION_PATHS_TEST_UNSET"), std::nullopt);
  ::unsetenv("CONSTELLATION_PATHS_TEST_SET");
  ::unsetenv("CONSTELLATION_PATHS_TEST_EMPTY");
}

}  // namespace
}  // namespace constellation::config

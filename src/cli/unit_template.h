#pragma once
/// The systemd user unit `install-service` writes: packaging/systemd/constellation.service.in,
/// embedded at build time, with its placeholders filled in. Pure, so the e2e test and
/// packaging see the same text.

#include <string>
#include <string_view>

namespace constellation::cli {

struct UnitValues {
  std::string executable;   ///< absolute path of this binary
  std::string config;       ///< absolute path of config.toml
  std::string data_dir;     ///< the store's directory (the unit may write only there)
  /// Whether this machine lets an unprivileged user create a user namespace; without,
  /// PrivateUsers=yes would stop the unit from starting, so it is commented out.
  bool user_namespaces = true;
};

/// The template (as embedded) with `values` put in.
std::string render_unit(std::string_view unit_template, const UnitValues& values);

/// A string as one systemd unit-file word: double-quoted, with \ and " escaped and the
/// specifier and variable characters % and $ doubled.
std::string unit_quote(const std::string& s);

/// Whether an unprivileged user namespace can be created here (forks a child to try).
bool user_namespaces_work();

}  // namespace constellation::cli

#include <fstream>

#include <CLI/CLI.hpp>

#include "context.h"
#include "unit_template.h"
#include "verbs.h"

namespace constellation::embedded {
extern const std::string_view kUnitTemplate;  // packaging/systemd/constellation.service.in
}

namespace constellation::cli {

namespace {

int run_install(Context& ctx) {
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) {
    return ctx.fail(make_error(ErrorKind::kInternal,
                               "cannot find this executable's path: " + ec.message()));
  }
  const auto config_path = std::filesystem::absolute(ctx.config_path(), ec);
  if (!std::filesystem::exists(config_path)) {
    return ctx.fail(make_error(ErrorKind::kConfig, "no config at " + config_path.string() +
                                                       "; run 'constellation init' first"));
  }
  auto config = ctx.load_config();
  if (!config) return ctx.fail(config.error());
  // The unit may write only to the store's directory, so it must exist before the
  // first start (the mount namespace cannot make a missing path writable).
  const auto data_dir = std::filesystem::absolute(ctx.store_path(*config), ec).parent_path();
  std::filesystem::create_directories(data_dir, ec);
  if (ec) {
    return ctx.fail(make_error(ErrorKind::kInternal, "cannot create the data directory " +
                                                         data_dir.string() + ": " + ec.message()));
  }
  UnitValues values;
  values.executable = exe.string();
  values.config = config_path.string();
  values.data_dir = data_dir.string();
  values.user_namespaces = user_namespaces_work();

  const auto dir = config::systemd_user_dir(ctx.env);
  std::filesystem::create_directories(dir, ec);
  const auto unit = dir / "constellation.service";
  std::ofstream out(unit, std::ios::trunc);
  out << render_unit(embedded::kUnitTemplate, values);
  if (!out.flush()) {
    return ctx.fail(make_error(ErrorKind::kInternal,
                               "cannot write " + unit.string() + "; check that " +
                                   dir.string() + " is writable"));
  }
  std::printf("wrote %s\nenable it with: systemctl --user daemon-reload && systemctl --user "
              "enable --now constellation\n",
              unit.string().c_str());
  if (!values.user_namespaces) {
    std::printf("note: this machine allows no unprivileged user namespaces, so the unit's "
                "file-system hardening (ProtectSystem=, ProtectHome=, PrivateTmp=) has no "
                "effect under systemd 252; the rest of its hardening applies\n");
  }
  return 0;
}

}  // namespace

void add_install_service(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand(
      "install-service",
      "Write a hardened systemd user unit (Type=notify, reload on SIGHUP) that runs 'serve'");
  cmd->footer(
      "Example: constellation install-service && systemctl --user daemon-reload && "
      "systemctl --user enable --now constellation\n"
      "Then: systemctl --user reload constellation (re-read config.toml), "
      "journalctl --user -u constellation -f (logs)");
  cmd->callback([&ctx] { ctx.exit_code = run_install(ctx); });
}

}  // namespace constellation::cli

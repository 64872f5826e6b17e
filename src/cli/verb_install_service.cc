#include <fstream>

#include <CLI/CLI.hpp>

#include "context.h"
#include "verbs.h"

namespace constellation::cli {

namespace {

std::string quote_arg(const std::string& s) {
  // systemd's own quoting: double quotes, with \ and " escaped.
  std::string out = "\"";
  for (char c : s) {
    if (c == '\\' || c == '"') out += '\\';
    out += c;
  }
  return out + "\"";
}

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
  const auto dir = config::systemd_user_dir(ctx.env);
  std::filesystem::create_directories(dir, ec);
  const auto unit = dir / "constellation.service";
  std::ofstream out(unit, std::ios::trunc);
  out << "[Unit]\n"
         "Description=Constellation A2A mesh peer\n"
         "After=network-online.target\n"
         "Wants=network-online.target\n\n"
         "[Service]\n"
         "Type=simple\n"
      << "ExecStart=" << quote_arg(exe.string()) << " --config " << quote_arg(config_path.string())
      << " serve\n"
      << "Restart=on-failure\n"
         "RestartSec=2\n\n"
         "[Install]\n"
         "WantedBy=default.target\n";
  if (!out.flush()) {
    return ctx.fail(make_error(ErrorKind::kInternal, "cannot write " + unit.string()));
  }
  std::printf("wrote %s\nenable it with: systemctl --user daemon-reload && systemctl --user "
              "enable --now constellation\n",
              unit.string().c_str());
  return 0;
}

}  // namespace

void add_install_service(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("install-service",
                                 "Write a systemd user unit that runs 'constellation serve'");
  cmd->footer("Example: constellation install-service && systemctl --user enable --now constellation");
  cmd->callback([&ctx] { ctx.exit_code = run_install(ctx); });
}

}  // namespace constellation::cli

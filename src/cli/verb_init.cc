#include <unistd.h>

#include <fstream>

#include <CLI/CLI.hpp>

#include "constellation/config/advertised_host.h"
#include "constellation/node/identity.h"
#include "constellation/node/onboarding.h"
#include "context.h"
#include "verbs.h"

namespace constellation::cli {

namespace {

struct InitOptions {
  std::string name;
  std::vector<std::string> skills;
  std::string description;
  std::uint16_t port = config::kDefaultPort;
  std::string bind_host = "0.0.0.0";
  std::string advertised_host = "auto";
  std::vector<std::string> peers;
  std::vector<std::string> discovery{"tailscale", "mdns"};
  bool force = false;
};

std::string host_name() {
  char buf[256] = {};
  if (::gethostname(buf, sizeof buf - 1) != 0 || buf[0] == '\0') return "constellation-peer";
  return buf;
}

int run_init(Context& ctx, const InitOptions& o) {
  const auto path = ctx.config_path();
  std::error_code ec;
  if (std::filesystem::exists(path, ec) && !o.force) {
    return ctx.fail(make_error(ErrorKind::kConfig, "a config already exists at " + path.string() +
                                                       "; pass --force to overwrite it"));
  }
  config::Config c;
  c.agent.name = o.name.empty() ? host_name() : o.name;
  c.agent.description = o.description;
  c.agent.skills = o.skills;
  c.network.bind_host = o.bind_host;
  c.network.bind_port = o.port;
  c.network.advertised_host = o.advertised_host;
  c.network.peers = o.peers;
  c.network.discovery = o.discovery;
  // "none" turns discovery off (static peers only).
  std::erase(c.network.discovery, "none");

  // Validate by reading our own output back: init never writes a config serve rejects.
  const std::string text = config::render_config(c);
  std::string err;
  if (!config::parse_config(text, path.string(), &err)) {
    return ctx.fail(make_error(ErrorKind::kUsage, err));
  }
  std::filesystem::create_directories(path.parent_path(), ec);
  const auto tmp = path.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out.flush()) {
      return ctx.fail(make_error(ErrorKind::kConfig, "cannot write " + tmp));
    }
  }
  std::filesystem::rename(tmp, path, ec);
  if (ec) return ctx.fail(make_error(ErrorKind::kConfig, "cannot write " + path.string() + ": " + ec.message()));
  ctx.note("wrote " + path.string() + "; start the daemon with 'constellation serve'");

  auto identity = node::load_identity(c);
  const std::string url = identity ? identity->url
                                   : config::self_url("<this host>", c.network.bind_port);
  const std::string prompt = node::render_prompt(embedded::kSetupPromptTemplate, c, url);
  std::fwrite(prompt.data(), 1, prompt.size(), stdout);
  return 0;
}

}  // namespace

void add_init(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand(
      "init", "Write config.toml and print the prompt that onboards your LLM agent");
  auto o = std::make_shared<InitOptions>();
  cmd->add_option("--name", o->name, "this peer's name on the mesh (default: the host name)");
  cmd->add_option("--skills", o->skills, "what this peer's agent is good at, e.g. bash,research")
      ->delimiter(',');
  cmd->add_option("--description", o->description, "one line about this peer");
  cmd->add_option("--port", o->port, "TCP port to serve A2A on")->capture_default_str();
  cmd->add_option("--bind", o->bind_host, "address to listen on")->capture_default_str();
  cmd->add_option("--advertise", o->advertised_host,
                  "address peers should use for us; 'auto' picks one")
      ->capture_default_str();
  cmd->add_option("--peer", o->peers, "static peer base URL, e.g. http://10.0.0.5:7777 (repeatable)");
  cmd->add_option("--discovery", o->discovery,
                  "how peers are found: tailscale,mdns (default), tailscale, mdns or none")
      ->delimiter(',');
  cmd->add_flag("--force", o->force, "overwrite an existing config");
  cmd->footer("Example: constellation init --name my-box --skills bash,research > prompt.md");
  cmd->callback([&ctx, o] { ctx.exit_code = run_init(ctx, *o); });
}

}  // namespace constellation::cli

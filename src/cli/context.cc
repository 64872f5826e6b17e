#include "context.h"

#include "constellation/client/outbound.h"
#include "constellation/security/bearer_token.h"

#include <cstdio>
#include <iostream>
#include <iterator>

#include "constellation/control/daemon_verbs.h"
#include "constellation/node/identity.h"
#include "constellation/node/local_verbs.h"
#include "constellation/store/database.h"
#include "exit_codes.h"

namespace constellation::cli {

std::filesystem::path Context::config_path() const { return config::config_path(config_flag, env); }

Result<config::Config> Context::load_config() {
  std::string err;
  auto c = config::load_config(config_path(), &err);
  if (!c) return make_error(ErrorKind::kConfig, err);
  return std::move(*c);
}

std::filesystem::path Context::store_path(const config::Config& c) const {
  return config::store_path(c.store.path, config_path(), env);
}

std::filesystem::path Context::control_socket(const config::Config& c) const {
  return config::control_socket_path(store_path(c), env);
}

Result<std::string> Context::mesh_token(const config::Config& c) const {
  if (c.security.token_file.empty()) return std::string();
  return security::read_token_file(config::config_relative_path(c.security.token_file, config_path(), env));
}

Result<std::unique_ptr<node::Verbs>> Context::connect_verbs() {
  auto c = load_config();
  if (!c) return c.error();
  const auto socket = control_socket(*c);
  if (auto daemon = control::DaemonVerbs::connect(socket)) {
    return std::unique_ptr<node::Verbs>(std::move(daemon));
  }
  auto token = mesh_token(*c);
  if (!token) return token.error();
  auto db = store::Database::open(store_path(*c));
  if (!db) return db.error();
  // Sends still need our own URL for X-A2A-Source-Url; only they work it out (it may
  // ask `tailscale ip -4`), so `peers` or `inbox` never wait on Tailscale.
  node::Node::SelfUrl self = [config = *c] {
    auto identity = node::load_identity(config);
    return identity ? identity->url : std::string();
  };
  note("no daemon answers on " + socket.string() +
       "; working on the store directly (start it with 'constellation serve')");
  return std::unique_ptr<node::Verbs>(
      std::make_unique<node::LocalVerbs>(std::move(*db), std::move(self),
                                         client::outbound_for_bind(c->network.bind_host, *token)));
}

int Context::fail(const Error& error) const {
  std::string line = error.message;
  // One line, always: agents read stderr line by line.
  for (auto& ch : line)
    if (ch == '\n' || ch == '\r') ch = ' ';
  std::fprintf(stderr, "constellation: %s\n", line.c_str());
  return exit_code_for(error.kind);
}

void Context::note(const std::string& message) const {
  std::fprintf(stderr, "constellation: note: %s\n", message.c_str());
}

Result<std::string> read_text_argument(const std::string& arg) {
  if (arg != "-") return arg;
  std::string text{std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>()};
  if (std::cin.bad()) return make_error(ErrorKind::kUsage, "cannot read the text from stdin");
  return text;
}

}  // namespace constellation::cli

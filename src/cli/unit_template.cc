#include "unit_template.h"

#include <sched.h>
#include <sys/wait.h>
#include <unistd.h>

#include "constellation/util/concat.h"

namespace constellation::cli {

namespace {

/// Replaces every `from` in `text` with `to`.
void replace_all(std::string& text, std::string_view from, std::string_view to) {
  for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
}

/// The quoted word without its quotes: the template already quotes the placeholders.
std::string unquoted(const std::string& s) {
  const std::string q = unit_quote(s);
  return q.substr(1, q.size() - 2);
}

}  // namespace

std::string unit_quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '%' || c == '$') out += c;  // %% and $$ are literal
    out += c;
  }
  return out + "\"";
}

std::string render_unit(std::string_view unit_template, const UnitValues& values) {
  // The template's opening comment is about the template; the unit gets its own.
  const auto body = unit_template.find("[Unit]");
  std::string text = concat({"# Written by `constellation install-service`; run it again to update ",
                             "(edits here are lost).\n",
                             "# The template: packaging/systemd/constellation.service.in.\n",
                             unit_template.substr(body == std::string_view::npos ? 0 : body)});
  replace_all(text, "@CONSTELLATION_EXECUTABLE@", unquoted(values.executable));
  replace_all(text, "@CONSTELLATION_CONFIG@", unquoted(values.config));
  // The template names the default data directory; a configured [store] path elsewhere
  // must be writable instead.
  replace_all(text, "\nReadWritePaths=-%h/.local/share/constellation\n",
              concat({"\nReadWritePaths=-", unit_quote(values.data_dir), "\n"}));
  if (!values.user_namespaces) {
    replace_all(text, "\nPrivateUsers=yes\n",
                "\n# PrivateUsers=yes left out: this machine allows no unprivileged user "
                "namespaces\n# (sysctl kernel.unprivileged_userns_clone), so systemd 252 "
                "skips the file-system\n# settings below in a user unit.\n");
  }
  return text;
}

bool user_namespaces_work() {
  // In a child: unshare() would move this process into the namespace for good.
  const pid_t child = ::fork();
  if (child < 0) return false;
  if (child == 0) ::_exit(::unshare(CLONE_NEWUSER) == 0 ? 0 : 1);
  int status = 0;
  if (::waitpid(child, &status, 0) != child) return false;
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

}  // namespace constellation::cli

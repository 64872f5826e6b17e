// The `constellation` executable: parses the verb and its options, runs it, and turns
// its outcome into one exit code.

#include <sys/stat.h>

#include <cstdlib>
#include <cstring>

#include <CLI/CLI.hpp>
#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "build_info.h"
#include "constellation/util/concat.h"
#include "constellation/util/journal_stream.h"
#include "context.h"
#include "exit_codes.h"
#include "verbs.h"

using constellation::concat;

namespace {

/// %* in a pattern: the line's syslog priority ("<4>"), which journald turns into the
/// entry's PRIORITY= (so `journalctl -p warning` works) and strips from the text.
class SyslogPriorityFlag : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&,
              spdlog::memory_buf_t& dest) override {
    const char* prefix = constellation::syslog_prefix(static_cast<int>(msg.level));
    dest.append(prefix, prefix + std::strlen(prefix));
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<SyslogPriorityFlag>();
  }
};

/// Whether stderr is the stream journald reads (not just inherited JOURNAL_STREAM).
bool stderr_is_journal() {
  const char* value = std::getenv("JOURNAL_STREAM");
  struct stat st {};
  if (!value || ::fstat(2, &st) != 0) return false;
  return constellation::journal_stream_matches(value, st.st_dev, st.st_ino);
}

/// `--version`: the version on the first line (scripts read that), then what it was
/// built from and with.
std::string version_text() {
  const std::string cxx = std::to_string(__cplusplus / 100 % 100);
  const std::string spdlog_version = concat({std::to_string(SPDLOG_VER_MAJOR), ".",
                                             std::to_string(SPDLOG_VER_MINOR), ".",
                                             std::to_string(SPDLOG_VER_PATCH)});
  return concat({"constellation ", CONSTELLATION_VERSION,
                 "\ncommit: ", CONSTELLATION_BUILD_COMMIT,
                 "\nbuild: ", CONSTELLATION_BUILD_TYPE, ", ", CONSTELLATION_BUILD_COMPILER,
                 ", C++", cxx,
                 "\nlibraries: Boost ", CONSTELLATION_BUILD_BOOST, ", SQLite ",
                 CONSTELLATION_BUILD_SQLITE, ", spdlog ", spdlog_version, ", CLI11 ",
                 CLI11_VERSION});
}

void setup_logging() {
  // stdout belongs to the verbs' output; every log line goes to stderr.
  auto logger = spdlog::stderr_color_mt("constellation");
  spdlog::set_default_logger(logger);
  if (stderr_is_journal()) {
    // journald stamps time and unit itself; the prefix carries the level.
    auto formatter = std::make_unique<spdlog::pattern_formatter>();
    formatter->add_flag<SyslogPriorityFlag>('*').set_pattern("%*%l: %v");
    spdlog::set_formatter(std::move(formatter));
  } else {
    spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");
  }
  spdlog::set_level(spdlog::level::warn);
}

}  // namespace

int main(int argc, char** argv) {
  using namespace constellation::cli;
  setup_logging();
  Context ctx;

  CLI::App app{"constellation: put an LLM coding agent on a peer-to-peer A2A mesh",
               "constellation"};
  app.set_version_flag("--version", version_text(), "print the version and build information");
  app.require_subcommand(1);
  app.fallthrough();
  app.add_option("--config", ctx.config_flag,
                 "config file (default: $CONSTELLATION_CONFIG, else "
                 "$XDG_CONFIG_HOME/constellation/config.toml)");
  app.footer("Exit codes: 0 ok, 1 failure, 2 usage, 3 config, 4 daemon gone, 5 unknown peer,\n"
             "6 unknown task, 7 peer unreachable, 8 peer error, 9 timeout, 10 task failed,\n"
             "11 task canceled, 12 task already answered or ended, 13 ambiguous peer name,\n"
             "14 the peer needs more input.");

  add_init(app, ctx);
  add_serve(app, ctx);
  add_peers(app, ctx);
  add_send(app, ctx);
  add_wait(app, ctx);
  add_inbox(app, ctx);
  add_respond(app, ctx);
  add_cancel(app, ctx);
  add_card(app, ctx);
  add_install_service(app, ctx);
  add_status(app, ctx);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version are "errors" to CLI11 that exit 0: let it print them.
    if (e.get_exit_code() == 0) return app.exit(e);
    // A real one gets our one-line form, like every other error (agents read stderr line
    // by line), naming the help of the verb it was about.
    std::string help = "constellation --help";
    for (const CLI::App* verb : app.get_subcommands())
      help = concat({"constellation ", verb->get_name(), " --help"});
    ctx.fail(constellation::make_error(constellation::ErrorKind::kUsage,
                                       concat({e.what(), "; see '", help, "'"})));
    return kExitUsage;
  }
  return ctx.exit_code;
}

#include "status_text.h"

#include "constellation/util/concat.h"

namespace constellation::cli {

using nlohmann::json;

namespace {

std::string count_of(std::size_t n, const char* one, const char* many) {
  return concat({std::to_string(n), " ", n == 1 ? one : many});
}

std::size_t number(const json& j, const char* a, const char* b) {
  const auto outer = j.find(a);
  if (outer == j.end() || !outer->is_object()) return 0;
  return outer->value(b, std::size_t{0});
}

std::string daemon_line(const json& daemon) {
  if (!daemon.value("running", false)) {
    return concat({"daemon: not running — start it with 'constellation serve', or with "
                   "'systemctl --user start constellation' once 'constellation "
                   "install-service' has set it up\n"});
  }
  return concat({"daemon: running, pid ", std::to_string(daemon.value("pid", 0L)), ", up ",
                 duration_words(daemon.value("uptime_s", 0LL)), ", '",
                 daemon.value("name", std::string("?")), "' at ",
                 daemon.value("url", std::string("?")), " (version ",
                 daemon.value("version", std::string("?")), ")\n"});
}

std::string source_line(const json& source, const json& report) {
  const std::string name = source.value("source", std::string("?"));
  const std::string state = source.value("state", std::string("?"));
  const std::string detail = source.value("detail", std::string());
  std::string line = concat({"  ", name, ": ", state});
  if (state == "working") {
    const json by_source =
        report.value("peers", json::object()).value("by_source", json::object());
    const std::size_t online =
        by_source.contains(name) ? by_source[name].value("online", std::size_t{0}) : 0;
    line += concat({", ", count_of(online, "peer", "peers"), " online"});
  }
  if (!detail.empty()) line += concat({" — ", detail});
  return line + "\n";
}

}  // namespace

std::string duration_words(long long seconds) {
  if (seconds < 60) return std::to_string(seconds) + "s";
  const long long minutes = seconds / 60, hours = minutes / 60, days = hours / 24;
  if (minutes < 60) return concat({std::to_string(minutes), "m ", std::to_string(seconds % 60), "s"});
  if (hours < 24) return concat({std::to_string(hours), "h ", std::to_string(minutes % 60), "m"});
  return concat({std::to_string(days), "d ", std::to_string(hours % 24), "h"});
}

std::string render_status(const json& report) {
  const json daemon = report.value("daemon", json::object());
  const bool running = daemon.value("running", false);
  std::string out = daemon_line(daemon);
  out += running ? "discovery:\n" : "discovery (runs inside the daemon; as configured):\n";
  for (const auto& source : report.value("discovery", json::array())) {
    out += source_line(source, report);
  }
  const std::string as_of = running ? "" : " (as the store last saw them)";
  out += concat({"peers: ", std::to_string(number(report, "peers", "online")), " online of ",
                 count_of(number(report, "peers", "total"), "known peer", "known peers"), as_of,
                 "\n"});
  out += concat({"inbox: ", count_of(number(report, "inbox", "open"), "open task", "open tasks"),
                 " awaiting an answer ('constellation inbox')\n"});
  out += concat({"outbound: ",
                 count_of(number(report, "outbound", "in_flight"), "task", "tasks"),
                 " sent and not yet ended\n"});
  if (!daemon.value("store_exists", true)) {
    out += concat({"store: none yet at ", daemon.value("store", std::string("?")),
                   " ('constellation serve' creates it)\n"});
  }
  return out;
}

}  // namespace constellation::cli

#pragma once
/// The test's side of mdns_probe (see mdns_probe_main.cc): starts one probe process on a
/// namespace host, with that host's D-Bus, and answers questions about what it reported.

#include <algorithm>
#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "constellation/discovery/mdns.h"
#include "netns/avahi_host.h"

namespace constellation::discovery::testing {

/// Polls `pred` every 50 ms until it holds or `timeout` passes; returns its last value.
template <class Pred>
bool eventually(Pred pred, std::chrono::milliseconds timeout = std::chrono::seconds(15)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (pred()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

class MdnsProbe {
 public:
  /// Runs `mdns_probe --name name --node node --port port extra…` inside `host`.
  MdnsProbe(const netns::AvahiHost& host, const std::string& name, const std::string& node,
            std::uint16_t port, const std::vector<std::string>& extra = {})
      : process_(host.wrap(args(name, node, port, extra)), host.env()) {}

  std::optional<MdnsPeer> last_found(const std::string& node_id) {
    std::optional<MdnsPeer> last;
    for (const auto& p : found())
      if (p.node_id == node_id) last = p;
    return last;
  }
  int found_count(const std::string& node_id) {
    auto all = found();
    return static_cast<int>(std::count_if(all.begin(), all.end(),
                                          [&](const MdnsPeer& p) { return p.node_id == node_id; }));
  }
  /// The peers a listener would believe in now: every found and lost replayed in order,
  /// by instance name.
  std::map<std::string, MdnsPeer> view() {
    std::map<std::string, MdnsPeer> out;
    for (const auto& line : process_.lines()) {
      if (line.starts_with("found ")) {
        MdnsPeer p = parse_found(line);
        out[p.instance_name] = p;
      } else if (line.starts_with("lost ")) {
        out.erase(line.substr(5));
      }
    }
    return out;
  }
  int lost_count(const std::string& name) { return count_lines("lost " + name, true); }
  /// Log lines at `level` ("warning", "info") containing `text`.
  int logs(const std::string& level, const std::string& text) {
    auto lines = process_.lines();
    return static_cast<int>(std::count_if(lines.begin(), lines.end(), [&](const std::string& l) {
      return l.starts_with("log " + level + " ") && l.find(text) != std::string::npos;
    }));
  }
  /// Has the service logged anything yet (its first connection attempt is over)?
  bool attempted() { return count_lines("log ", false) > 0; }
  /// Sends "stop" and waits for "stopped"; returns false on timeout.
  bool stop() {
    process_.write_line("stop");
    stopped_at_ = process_.wait_for([](const std::string& l) { return l == "stopped"; },
                                    std::chrono::seconds(15));
    return stopped_at_.has_value();
  }
  /// found/lost lines printed after "stopped".
  int events_after_stop() {
    if (!stopped_at_) return 0;
    auto lines = process_.lines();
    return static_cast<int>(std::count_if(
        lines.begin() + static_cast<long>(*stopped_at_), lines.end(),
        [](const std::string& l) { return l.starts_with("found ") || l.starts_with("lost "); }));
  }
  /// Everything it printed, for failure messages.
  std::string output() {
    std::string s;
    for (const auto& l : process_.lines()) s += l + "\n";
    return s;
  }

 private:
  static std::vector<std::string> args(const std::string& name, const std::string& node,
                                       std::uint16_t port, const std::vector<std::string>& extra) {
    std::vector<std::string> a = {MDNS_PROBE_BIN,      "--name", name, "--node", node, "--port",
                                  std::to_string(port)};
    a.insert(a.end(), extra.begin(), extra.end());
    return a;
  }

  int count_lines(const std::string& text, bool whole) {
    auto lines = process_.lines();
    return static_cast<int>(std::count_if(lines.begin(), lines.end(), [&](const std::string& l) {
      return whole ? l == text : l.starts_with(text);
    }));
  }

  static MdnsPeer parse_found(const std::string& line) {
    auto j = nlohmann::json::parse(line.substr(6));
    MdnsPeer p;
    p.instance_name = j.at("instance_name");
    p.host_name = j.at("host_name");
    p.address = j.at("address");
    p.port = j.at("port");
    p.agent_name = j.at("agent_name");
    p.node_id = j.at("node_id");
    p.card_path = j.at("card_path");
    p.txt = j.at("txt").get<std::map<std::string, std::string>>();
    return p;
  }

  std::vector<MdnsPeer> found() {
    std::vector<MdnsPeer> out;
    for (const auto& line : process_.lines())
      if (line.starts_with("found ")) out.push_back(parse_found(line));
    return out;
  }

  netns::LineProcess process_;
  std::optional<std::size_t> stopped_at_;
};

}  // namespace constellation::discovery::testing

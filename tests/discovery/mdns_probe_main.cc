// mdns_probe: one simulated peer's mDNS for tests. Runs an MdnsService on the system bus
// named by DBUS_SYSTEM_BUS_ADDRESS and reports on stdout, one line each:
//   found {"instance_name":…,"address":…,"port":…,"txt":{…},…}
//   lost <instance name>
//   log <level> <message>          (everything MdnsService logs)
//   stopped                        (after the "stop" command)
// Commands on stdin: "stop" (calls stop() twice, to prove that is safe), "start".
// EOF: stop and exit 0.
//
// Why a process per peer: libavahi-client connects with dbus_bus_get_private, and libdbus
// reads DBUS_SYSTEM_BUS_ADDRESS once per process, so one process cannot be a client of
// two avahi-daemons.
//
// Usage: mdns_probe --name N --node ID --port P [--agent-name A] [--path P]
//                   [--protocols X]

#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <cstdio>
#include <iostream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "constellation/discovery/mdns.h"

namespace {

using constellation::discovery::MdnsAdvert;
using constellation::discovery::MdnsPeer;
using constellation::discovery::MdnsService;

/// Whole lines only: events come from Asio's thread, logs from Avahi's.
class Output {
 public:
  void line(const std::string& text) {
    std::lock_guard lock(mutex_);
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fputc('\n', stdout);
    std::fflush(stdout);
  }

 private:
  std::mutex mutex_;
};

class LineSink : public spdlog::sinks::base_sink<spdlog::details::null_mutex> {
 public:
  explicit LineSink(Output& out) : out_(out) {}

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    auto level = spdlog::level::to_string_view(msg.level);
    out_.line("log " + std::string(level.data(), level.size()) + " " +
              std::string(msg.payload.data(), msg.payload.size()));
  }
  void flush_() override {}

 private:
  Output& out_;
};

nlohmann::json to_json(const MdnsPeer& p) {
  return {{"instance_name", p.instance_name},
          {"host_name", p.host_name},
          {"address", p.address},
          {"port", p.port},
          {"agent_name", p.agent_name},
          {"node_id", p.node_id},
          {"card_path", p.card_path},
          {"txt", p.txt}};
}

}  // namespace

int main(int argc, char** argv) {
  std::map<std::string, std::string> args;
  for (int i = 1; i + 1 < argc; i += 2) args[argv[i]] = argv[i + 1];
  MdnsAdvert advert;
  advert.instance_name = args["--name"];
  advert.agent_name = args.contains("--agent-name") ? args["--agent-name"] : args["--name"];
  advert.node_id = args["--node"];
  advert.port =
      static_cast<std::uint16_t>(std::stoi(args.contains("--port") ? args["--port"] : "0"));
  if (args.contains("--path")) advert.card_path = args["--path"];
  if (args.contains("--protocols")) advert.protocols = args["--protocols"];

  Output out;
  spdlog::set_default_logger(
      std::make_shared<spdlog::logger>("mdns_probe", std::make_shared<LineSink>(out)));

  boost::asio::io_context io;
  auto work = boost::asio::make_work_guard(io);
  std::thread io_thread([&] { io.run(); });
  {
    MdnsService service(io.get_executor(), advert,
                        {[&](const MdnsPeer& p) { out.line("found " + to_json(p).dump()); },
                         [&](const std::string& name) { out.line("lost " + name); }});
    service.start();
    for (std::string command; std::getline(std::cin, command);) {
      if (command == "stop") {
        service.stop();
        service.stop();
        out.line("stopped");
      } else if (command == "start") {
        service.start();
      }
    }
  }
  work.reset();
  io_thread.join();
  return 0;
}

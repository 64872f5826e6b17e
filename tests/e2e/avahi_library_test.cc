// The binary does not link Avahi: it loads libavahi-client at run time, and a machine
// without it must lose mDNS only, with one warning, and keep everything else working.
//
// How the library goes missing: [discovery] avahi_library names a file that does not
// exist. That is the loader's own failure path, the very one a machine without
// libavahi-client3 takes (dlopen returns null: "cannot open shared object file"), with
// nothing faked around it; uninstalling the real library is not something a test may do
// to the machine it runs on, and LD_LIBRARY_PATH cannot hide a library from the loader.

#include <gtest/gtest.h>

#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "e2e/mesh_fixture.h"

namespace e2e {
namespace {

constexpr const char* kMissingLibrary = "/nonexistent/constellation-test/libavahi-client.so.3";

std::vector<std::string> lines_matching(const std::string& text, const std::regex& re) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (std::regex_search(line, re)) out.push_back(line);
  return out;
}

class AvahiLibraryMissing : public TwoPeers {
 protected:
  void SetUp() override {
    // bob asks for mDNS (besides his static peer) but cannot load Avahi.
    start_pair("127.0.14.1", "127.0.14.2", [](TestPeer& bob) {
      bob.set_config("discovery", "[\"mdns\"]");
      bob.set_config("avahi_library", std::string("\"") + kMissingLibrary + "\"");
    });
  }
};

TEST_F(AvahiLibraryMissing, OneWarningThenEverythingElseWorks) {
  // Static discovery found alice (start_pair waited for it); the card is served.
  auto card = bob->cli({"card"});
  ASSERT_EQ(card.exit_code, 0) << card.describe();

  // A whole exchange still goes through: alice sends, bob answers, alice gets it.
  const std::string id = send_to_bob("still there without Avahi?");
  auto inbox = bob->cli({"inbox"});
  ASSERT_EQ(inbox.exit_code, 0) << inbox.describe();
  EXPECT_EQ(inbox.out, id + "\talice\tstill there without Avahi?\n");
  auto respond = bob->cli({"respond", id, "yes"});
  ASSERT_EQ(respond.exit_code, 0) << respond.describe();
  auto wait = alice->cli({"wait", id, "--timeout", "20"});
  EXPECT_EQ(wait.exit_code, 0) << wait.describe();
  EXPECT_EQ(wait.out, "yes\n");

  // Over the daemon's whole life, start to SIGTERM: exactly one line about mDNS at
  // warning level or above, naming the library, the loader's reason and what to do; no
  // "avahi is unavailable" from a connection attempt that must never happen.
  auto stopped = bob->stop();
  EXPECT_EQ(stopped.exit_code, 0) << stopped.describe();
  const std::string log = bob->log();
  auto warnings = lines_matching(log, std::regex("(warning|error).*mDNS"));
  ASSERT_EQ(warnings.size(), 1u) << log;
  EXPECT_NE(warnings[0].find("mDNS: LAN discovery is off: cannot load the Avahi client library "),
            std::string::npos)
      << warnings[0];
  EXPECT_NE(warnings[0].find(kMissingLibrary), std::string::npos) << warnings[0];
  EXPECT_NE(warnings[0].find("No such file or directory"), std::string::npos) << warnings[0];
  EXPECT_NE(warnings[0].find("apt install libavahi-client3"), std::string::npos) << warnings[0];
  EXPECT_EQ(log.find("avahi is unavailable"), std::string::npos) << log;
  EXPECT_EQ(log.find("published as"), std::string::npos) << log;
}

}  // namespace
}  // namespace e2e

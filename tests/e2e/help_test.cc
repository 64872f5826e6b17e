// What the binary says about itself: every verb's --help shows an example, and
// --version names the version and what it was built from.

#include <algorithm>
#include <regex>

#include <gtest/gtest.h>

#include "e2e/process.h"

namespace e2e {
namespace {

const Env kEnv = {{"PATH", "/usr/bin:/bin"}, {"LANG", "C.UTF-8"}};

TEST(Help, EveryVerbHasAnExample) {
  auto top = run({CONSTELLATION_BIN, "--help"}, kEnv);
  ASSERT_EQ(top.exit_code, 0) << top.describe();
  // The verbs as --help lists them ("  name    description"), so a new verb is checked
  // without touching this test.
  std::vector<std::string> verbs;
  const std::regex line("\n  ([a-z][a-z-]+) +[A-Z]");
  for (auto it = std::sregex_iterator(top.out.begin(), top.out.end(), line);
       it != std::sregex_iterator(); ++it) {
    verbs.push_back((*it)[1]);
  }
  for (const char* expected : {"init", "serve", "status", "install-service", "send"}) {
    EXPECT_NE(std::find(verbs.begin(), verbs.end(), expected), verbs.end())
        << expected << " not found in:\n" << top.out;
  }
  for (const auto& verb : verbs) {
    auto r = run({CONSTELLATION_BIN, verb, "--help"}, kEnv);
    EXPECT_EQ(r.exit_code, 0) << verb << ": " << r.describe();
    // An example line that runs this verb ("Example: id=$(constellation send …)" too).
    const auto example = r.out.find("Example: ");
    EXPECT_NE(example, std::string::npos) << verb << " --help:\n" << r.out;
    if (example == std::string::npos) continue;
    EXPECT_NE(r.out.find("constellation " + verb, example), std::string::npos)
        << verb << " --help:\n" << r.out;
  }
}

TEST(Help, VersionNamesTheBuild) {
  auto r = run({CONSTELLATION_BIN, "--version"}, kEnv);
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  EXPECT_TRUE(std::regex_search(r.out, std::regex("^constellation 0\\.1\\.0\n"))) << r.out;
  EXPECT_TRUE(std::regex_search(r.out, std::regex("\ncommit: ([0-9a-f]{12}|unknown)\n"))) << r.out;
  EXPECT_TRUE(std::regex_search(r.out, std::regex("\nbuild: [A-Za-z]+, [A-Za-z]+ [0-9.]+, C\\+\\+20\n")))
      << r.out;
  EXPECT_TRUE(std::regex_search(r.out, std::regex("\nlibraries: Boost 1\\.[0-9.]+, SQLite 3\\.[0-9.]+")))
      << r.out;
}

// A mistyped command line gets the same one-line error as every other failure, naming
// the help to read, and exit 2; the full help stays on --help.
TEST(Help, ParserErrorsAreOneLineNamingTheVerbsHelp) {
  auto flag = run({CONSTELLATION_BIN, "peers", "--bogus"}, kEnv);
  EXPECT_EQ(flag.exit_code, 2) << flag.describe();
  EXPECT_EQ(flag.out, "");
  EXPECT_EQ(flag.err, "constellation: The following argument was not expected: --bogus; see "
                      "'constellation peers --help'\n");
  auto none = run({CONSTELLATION_BIN}, kEnv);
  EXPECT_EQ(none.exit_code, 2) << none.describe();
  EXPECT_EQ(none.err, "constellation: A subcommand is required; see 'constellation --help'\n");
}

}  // namespace
}  // namespace e2e

#pragma once
/// Checks shared by the discovery tests (Tailscale, mDNS): what `peers` shows, how often
/// a log says something, and one full task exchange between two discovered peers.

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "e2e/peer.h"

namespace e2e {

/// How many times `needle` occurs in `haystack`.
inline std::size_t occurrences(const std::string& haystack, const std::string& needle) {
  std::size_t n = 0;
  for (auto at = haystack.find(needle); at != std::string::npos; at = haystack.find(needle, at + 1))
    ++n;
  return n;
}

/// `constellation peers [flags…]` as `p` prints it.
inline std::string peers_of(const TestPeer& p, const std::vector<std::string>& flags = {}) {
  std::vector<std::string> args{"peers"};
  args.insert(args.end(), flags.begin(), flags.end());
  auto r = p.cli(args);
  EXPECT_EQ(r.exit_code, 0) << r.describe();
  return r.out;
}

/// Waits until `p` lists a peer whose first column is `handle`.
inline bool lists(const TestPeer& p, const std::string& handle, std::chrono::milliseconds timeout) {
  return eventually([&] { return peers_of(p).find(handle + "\t") != std::string::npos; },
                    timeout);
}

/// `from` sends `question` to `to` (by `handle`), `to` finds it in its inbox attributed to
/// `from` and answers; `from`'s wait must print the answer.
inline void expect_round_trip(const TestPeer& from, const TestPeer& to, const std::string& handle,
                              const std::string& question, const std::string& answer) {
  auto sent = from.cli({"send", handle, question});
  ASSERT_EQ(sent.exit_code, 0) << sent.describe();
  const std::string id = sent.out.substr(0, sent.out.size() - 1);
  ASSERT_TRUE(eventually(
      [&] { return to.cli({"inbox"}).out.find(id + "\t" + from.name() + "\t") == 0; }))
      << to.cli({"inbox"}).describe();
  ASSERT_EQ(to.cli({"respond", id, answer}).exit_code, 0);
  auto waited = from.cli({"wait", id, "--timeout", "20"});
  EXPECT_EQ(waited.exit_code, 0) << waited.describe();
  EXPECT_EQ(waited.out, answer + "\n");
}

}  // namespace e2e

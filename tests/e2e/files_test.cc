// Files and structured data between real daemons: send --file/--data → inbox (saved
// file, byte for byte) → respond --file/--data → wait (saved file, data line); the size
// limit at the sender and at the receiver; a legacy peer refused before anything leaves;
// and the same without the sender's daemon. Peers on 127.0.0.60–69.

#include <sys/stat.h>

#include <atomic>
#include <fstream>
#include <mutex>
#include <thread>
#include <regex>

#include <nlohmann/json.hpp>

#include "e2e/mesh_fixture.h"
#include "e2e/peer.h"
#include "e2e/raw_http.h"
#include "node/fake_peer.h"

namespace e2e {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void write_file(const fs::path& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

/// Every byte value, NUL and high bytes included, then some more.
std::string binary_blob(std::size_t size) {
  std::string out;
  for (std::size_t i = 0; i < size; ++i) out += static_cast<char>((i * 7 + i / 256) & 0xff);
  return out;
}

unsigned mode_of(const fs::path& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 ? (st.st_mode & 0777) : 0;
}

/// alice (127.0.0.60) and bob (127.0.0.61), each the other's static peer; `bob_config`
/// edits bob's config before he starts.
class FilePeers : public TwoPeers {
 protected:
  void SetUp() override {}  // each test starts the pair with the limit it needs

  void start(const std::string& bob_max_bytes = "") {
    start_pair("127.0.0.60", "127.0.0.61", [&](TestPeer& bob) {
      if (!bob_max_bytes.empty()) bob.set_config("max_bytes", bob_max_bytes);
    });
  }

  std::string send(const std::vector<std::string>& args) {
    auto r = alice->cli(args);
    EXPECT_EQ(r.exit_code, 0) << r.describe();
    EXPECT_EQ(r.err, "");
    return r.out.empty() ? std::string() : r.out.substr(0, r.out.size() - 1);
  }

  fs::path files_of(const TestPeer& peer, const std::string& id) const {
    return peer.root() / "data" / "constellation" / "files" / id;
  }
};

TEST_F(FilePeers, FilesRoundTripByteForByteBothWays) {
  start();
  const std::string request_bytes = binary_blob(300'000);
  const fs::path request = alice->root() / "input data.bin";
  write_file(request, request_bytes);

  const std::string id = send({"send", "bob", "Check this dump", "--file", request.string()});
  ASSERT_FALSE(id.empty());

  // bob's inbox shows the text, then the file where it was saved: one line per task.
  const fs::path saved = files_of(*bob, id) / "input_data.bin";
  auto inbox = bob->cli({"inbox"});
  ASSERT_EQ(inbox.exit_code, 0) << inbox.describe();
  EXPECT_EQ(inbox.out, id + "\talice\tCheck this dump [file: " + saved.string() + "]\n");
  EXPECT_EQ(read_file(saved), request_bytes);
  EXPECT_EQ(mode_of(saved), 0600u);
  EXPECT_EQ(mode_of(saved.parent_path()), 0700u);
  // --json names the saved file instead of carrying its bytes.
  const json full = json::parse(bob->cli({"inbox", "--json"}).out);
  const json part = full.at(0).at("history").at(0).at("parts").at(1);
  EXPECT_EQ(part, json({{"kind", "file"},
                        {"name", "input data.bin"},
                        {"mediaType", "application/octet-stream"},
                        {"path", saved.string()}}));

  // bob answers with a file of his own; alice's wait prints the text, then its path.
  const std::string answer_bytes = binary_blob(70'001).substr(1) + std::string(1, '\0');
  const fs::path answer = bob->root() / "fixed.bin";
  write_file(answer, answer_bytes);
  auto respond = bob->cli({"respond", id, "Fixed, see attached", "--file", answer.string()});
  ASSERT_EQ(respond.exit_code, 0) << respond.describe();

  const fs::path received = files_of(*alice, id) / "fixed.bin";
  auto wait = alice->cli({"wait", id, "--timeout", "20"});
  ASSERT_EQ(wait.exit_code, 0) << wait.describe();
  EXPECT_EQ(wait.out, "Fixed, see attached\nattachment: " + received.string() + "\n");
  EXPECT_EQ(read_file(received), answer_bytes);
  EXPECT_EQ(mode_of(received), 0600u);

  // Without alice's daemon, wait reads the store and names the same file (not a copy).
  alice->stop();
  auto again = alice->cli({"wait", id, "--timeout", "5"});
  ASSERT_EQ(again.exit_code, 0) << again.describe();
  EXPECT_EQ(again.out, wait.out);
  EXPECT_EQ(std::distance(fs::directory_iterator(received.parent_path()), fs::directory_iterator()),
            1);
}

TEST_F(FilePeers, DataAndFileOnlyMessages) {
  start();
  // No text at all: a data part and a file are the whole task.
  const fs::path notes = alice->root() / "notes.md";
  write_file(notes, "# Notes\n");
  const std::string id =
      send({"send", "bob", "--data", R"({"ticket": "REQ-1", "n": [1, 2]})", "--file", notes.string()});
  ASSERT_FALSE(id.empty());
  const fs::path saved = files_of(*bob, id) / "notes.md";
  auto inbox = bob->cli({"inbox"});
  EXPECT_EQ(inbox.out, id + "\talice\t[file: " + saved.string() + "] [data: {\"n\":[1,2],\"ticket\":\"REQ-1\"}]\n");
  EXPECT_EQ(read_file(saved), "# Notes\n");
  const json full = json::parse(bob->cli({"inbox", "--json"}).out);
  EXPECT_EQ(full.at(0).at("history").at(0).at("parts").at(0).at("mediaType"), "text/markdown");

  auto respond = bob->cli({"respond", id, "--data", "[true, null]", "--data", "42"});
  ASSERT_EQ(respond.exit_code, 0) << respond.describe();
  auto wait = alice->cli({"wait", id, "--timeout", "20"});
  ASSERT_EQ(wait.exit_code, 0) << wait.describe();
  EXPECT_EQ(wait.out, "data: [true,null]\ndata: 42\n");

  // Bad JSON and missing files are refused before anything is sent.
  auto bad = alice->cli({"send", "bob", "x", "--data", "{nope"});
  EXPECT_EQ(bad.exit_code, 2) << bad.describe();
  EXPECT_EQ(bad.err,
            "constellation: --data is not valid JSON: {nope; give one JSON value, e.g. --data "
            "'{\"ticket\":\"REQ1\"}'\n");
  auto missing = alice->cli({"send", "bob", "x", "--file", "/nonexistent/f"});
  EXPECT_EQ(missing.exit_code, 2) << missing.describe();
  EXPECT_EQ(missing.err, "constellation: cannot attach /nonexistent/f: No such file or directory\n");
  auto nothing = bob->cli({"respond", id});
  EXPECT_EQ(nothing.exit_code, 2) << nothing.describe();
}

TEST_F(FilePeers, SizeLimitAtTheSenderAndAtTheReceiver) {
  start("2000");  // bob takes at most 2000 bytes of files per message
  const fs::path big = alice->root() / "big.bin";
  write_file(big, binary_blob(3000));

  // alice's own limit (default 10 MiB) lets it go; bob refuses it with a JSON-RPC error.
  auto refused = alice->cli({"send", "bob", "here", "--file", big.string()});
  EXPECT_EQ(refused.exit_code, 8) << refused.describe();
  EXPECT_NE(refused.err.find("files weigh 3000 bytes together, over this agent's limit of 2000 "
                             "bytes per message"),
            std::string::npos)
      << refused.err;
  EXPECT_EQ(bob->cli({"inbox"}).out, "");

  // With alice's limit lowered, her own send refuses first, before reading the file.
  alice->set_config("max_bytes", "\"1KiB\"");
  auto local = alice->cli({"send", "bob", "here", "--file", big.string()});
  EXPECT_EQ(local.exit_code, 2) << local.describe();
  EXPECT_EQ(local.err, "constellation: cannot attach " + big.string() +
                           ": it is 2.9 KiB (3000 bytes), over the limit of 1.0 KiB (1024 bytes) "
                           "([files] max_bytes in config.toml); send a smaller file or raise the "
                           "limit (both peers must allow it)\n");
  const fs::path small = alice->root() / "small.bin";
  write_file(small, binary_blob(600));
  auto together = alice->cli({"send", "bob", "here", "--file", small.string(), "--file", small.string()});
  EXPECT_EQ(together.exit_code, 2) << together.describe();
  EXPECT_NE(together.err.find("the 2 files weigh 1.2 KiB (1200 bytes) together"), std::string::npos)
      << together.err;
}

// The original Rust dialect carries text only: `send --file` (or --data) to such a peer
// is refused before anything goes on the wire, saying why and what to do instead. The
// peer is a scripted stand-in serving the original's card (a2a-wire.md §1.2).
TEST(FilesToLegacyPeer, AreRefusedBeforeAnythingIsSent) {
  using constellation::test_support::FakePeer;
  std::atomic<int> posts = 0;
  std::mutex mu;
  std::string self_url;
  FakePeer legacy([&](const FakePeer::Request& req) {
    if (req.target == "/.well-known/agent.json") {
      std::lock_guard lock(mu);
      return FakePeer::Reply{
          200, json({{"name", "rusty"}, {"url", self_url}, {"version", "0.1.0"}}).dump()};
    }
    if (req.method == "POST") ++posts;
    return FakePeer::Reply{404, "not found", "text/plain"};
  });
  {
    std::lock_guard lock(mu);
    self_url = legacy.url();
  }
  TestPeer alice("alice", "127.0.0.62");
  ASSERT_EQ(alice.init({legacy.url()}).exit_code, 0);
  alice.start();
  bool seen = false;
  for (int i = 0; i < 150 && !seen; ++i) {
    seen = alice.cli({"peers"}).out.find("rusty\t") != std::string::npos;
    if (!seen) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_TRUE(seen) << alice.log();
  EXPECT_NE(alice.cli({"peers"}).out.find("\tlegacy\n"), std::string::npos);

  const fs::path file = alice.root() / "a.txt";
  write_file(file, "hello");
  const std::string why =
      "constellation: peer 'rusty' speaks the original Rust dialect, which carries text only: it "
      "cannot take files or data; nothing was sent. Send the text alone, or put the content in "
      "the text (e.g. constellation send rusty - < notes.txt)\n";
  auto with_file = alice.cli({"send", "rusty", "look", "--file", file.string()});
  EXPECT_EQ(with_file.exit_code, 8) << with_file.describe();
  EXPECT_EQ(with_file.err, why);
  auto with_data = alice.cli({"send", "rusty", "--data", "{}"});
  EXPECT_EQ(with_data.exit_code, 8) << with_data.describe();
  EXPECT_EQ(with_data.err, why);
  EXPECT_EQ(posts.load(), 0);
  if (HasFailure()) std::cerr << alice.log();
}

// A task that came in the original's dialect can only be answered in text: respond
// --file is refused (exit 2) and the task stays open for a text answer.
TEST(FilesToLegacyPeer, RespondWithAFileToALegacyTaskIsRefused) {
  TestPeer bob("bob", "127.0.0.65");
  ASSERT_EQ(bob.init({}).exit_code, 0);
  bob.start();
  const std::string send = R"({"jsonrpc":"2.0","id":"req-1","method":"tasks/send","params":{
      "id":"t-legacy-1","message":{"role":"user","parts":[{"type":"text","text":"hi"}]}}})";
  auto posted = post_json(bob.address(), bob.port(), send);
  ASSERT_EQ(posted.status, 200) << posted.body;
  const fs::path file = bob.root() / "a.txt";
  write_file(file, "hello");
  auto refused = bob.cli({"respond", "t-legacy-1", "see file", "--file", file.string()});
  EXPECT_EQ(refused.exit_code, 2) << refused.describe();
  EXPECT_EQ(refused.err,
            "constellation: task t-legacy-1 came from a peer of the original Rust dialect, which "
            "carries text only: it cannot take files or data; nothing changed. Answer in text with "
            "'constellation respond t-legacy-1 <text>'\n");
  EXPECT_EQ(bob.cli({"inbox"}).out, "t-legacy-1\tunverified:127.0.0.1\thi\n");
  EXPECT_EQ(bob.cli({"respond", "t-legacy-1", "in text"}).exit_code, 0);
  if (HasFailure()) std::cerr << bob.log();
}

}  // namespace
}  // namespace e2e

#include "constellation/node/attachments.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <string>

#include "support/temp_dir.h"

namespace constellation::node {
namespace {

namespace fs = std::filesystem;

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

unsigned mode_of(const fs::path& path) {
  struct stat st {};
  EXPECT_EQ(::lstat(path.c_str(), &st), 0) << path;
  return st.st_mode & 0777;
}

// Names from the wire are hostile until proven otherwise: nothing in them may leave the
// task's directory, hide a file, read as an option, or garble a terminal.
TEST(SafeFileName, HostileNames) {
  EXPECT_EQ(safe_file_name("report.pdf"), "report.pdf");
  EXPECT_EQ(safe_file_name("../../etc/passwd"), "passwd");
  EXPECT_EQ(safe_file_name("/etc/shadow"), "shadow");
  EXPECT_EQ(safe_file_name("..\\..\\windows\\system.ini"), "system.ini");
  EXPECT_EQ(safe_file_name("dir/"), "attachment");
  EXPECT_EQ(safe_file_name(".."), "attachment");
  EXPECT_EQ(safe_file_name("."), "attachment");
  EXPECT_EQ(safe_file_name(""), "attachment");
  EXPECT_EQ(safe_file_name("", "image/png"), "attachment.png");
  EXPECT_EQ(safe_file_name("", "text/plain; charset=utf-8"), "attachment.txt");
  EXPECT_EQ(safe_file_name(".bashrc"), "bashrc");
  EXPECT_EQ(safe_file_name("-rf"), "rf");
  EXPECT_EQ(safe_file_name(std::string("a\0b.txt", 7)), "a_b.txt");
  EXPECT_EQ(safe_file_name("evil\n\r\t\x1b[31mname.txt"), "evil_31mname.txt");
  EXPECT_EQ(safe_file_name("my report (final).pdf"), "my_report_final_.pdf");
  EXPECT_EQ(safe_file_name("r\xc3\xa9sum\xc3\xa9.pdf"), "r_sum_.pdf");
  EXPECT_EQ(safe_file_name("\xe2\x80\xaegpj.exe"), "_gpj.exe");  // RTL override
  EXPECT_EQ(safe_file_name("\x01\x02"), "attachment");
  std::string long_name(300, 'a');
  long_name += ".tar";
  const std::string cut = safe_file_name(long_name);
  EXPECT_EQ(cut.size(), kMaxSafeNameBytes);
  EXPECT_TRUE(cut.ends_with("a.tar")) << cut;
  EXPECT_EQ(safe_file_name(std::string(500, '/')), "attachment");
}

TEST(SafeDirName, KeepsPrintableIdsAndHashesTheRest) {
  EXPECT_EQ(safe_dir_name("t-3c1d2f7e-8a7b-4c1e-9f0a-5d6e7f8a9b0c"),
            "t-3c1d2f7e-8a7b-4c1e-9f0a-5d6e7f8a9b0c");
  const std::string a = safe_dir_name("../x");
  const std::string b = safe_dir_name("/.x");
  EXPECT_TRUE(a.starts_with("x-")) << a;
  EXPECT_NE(a, b);
  EXPECT_EQ(a.find('/'), std::string::npos);
  EXPECT_TRUE(safe_dir_name("..").starts_with("task-"));
  EXPECT_EQ(safe_dir_name(".."), safe_dir_name(".."));
}

TEST(GuessMediaType, ByExtension) {
  EXPECT_EQ(guess_media_type("a.PDF"), "application/pdf");
  EXPECT_EQ(guess_media_type("notes.md"), "text/markdown");
  EXPECT_EQ(guess_media_type("x.tar.gz"), "application/gzip");
  EXPECT_EQ(guess_media_type("Makefile"), "application/octet-stream");
  EXPECT_EQ(guess_media_type("a.weird"), "application/octet-stream");
}

TEST(LoadFilePart, ReadsBytesAndRefusesWhatCannotGo) {
  test_support::TempDir dir;
  const std::string bytes("\0\x01\xff text\n", 9);
  const auto path = dir.path() / "blob.bin";
  std::ofstream(path, std::ios::binary) << bytes;
  auto part = load_file_part(path, 9);
  ASSERT_TRUE(part) << part.error().message;
  EXPECT_EQ(*part, a2a::file_part("blob.bin", "application/octet-stream", bytes));

  auto big = load_file_part(path, 8);
  ASSERT_FALSE(big);
  EXPECT_EQ(big.error().kind, ErrorKind::kUsage);
  EXPECT_EQ(big.error().message,
            "cannot attach " + path.string() +
                ": it is 9 bytes, over the limit of 8 bytes ([files] max_bytes in config.toml); "
                "send a smaller file or raise the limit (both peers must allow it)");
  EXPECT_EQ(load_file_part(dir.path(), 100).error().message,
            "cannot attach " + dir.path().string() + ": not a regular file");
  EXPECT_EQ(load_file_part(dir.path() / "nope", 100).error().message,
            "cannot attach " + (dir.path() / "nope").string() + ": No such file or directory");
  EXPECT_EQ(describe_size(12u << 20), "12.0 MiB (12582912 bytes)");
}

TEST(SaveAttachments, WritesPrivatelyNumbersCollisionsAndIsIdempotent) {
  test_support::TempDir tmp;
  const fs::path files = tmp.path() / "files";
  const std::string binary("\0\x80\xff\n\r", 5);
  a2a::Part a = a2a::file_part("../../etc/passwd", "", binary);
  a2a::Part b = a2a::file_part("passwd", "", "other content");
  a2a::Part c = a2a::file_part("passwd", "", binary);  // a repeat of a: same file
  a2a::Part link = a2a::uri_part("https://h/x", "x", "");
  a2a::Part text{"not a file"};
  ASSERT_TRUE(save_attachments(files, "t-1", {&a, &b, &c, &link, &text}));
  EXPECT_EQ(a.saved_path, (files / "t-1" / "passwd").string());
  EXPECT_EQ(b.saved_path, (files / "t-1" / "passwd-2").string());
  EXPECT_EQ(c.saved_path, a.saved_path);
  EXPECT_TRUE(link.saved_path.empty());
  EXPECT_EQ(read_file(a.saved_path), binary);
  EXPECT_EQ(read_file(b.saved_path), "other content");
  EXPECT_EQ(mode_of(files), 0700u);
  EXPECT_EQ(mode_of(files / "t-1"), 0700u);
  EXPECT_EQ(mode_of(a.saved_path), 0600u);
  // Only the two files: no temporary left behind.
  EXPECT_EQ(std::distance(fs::directory_iterator(files / "t-1"), fs::directory_iterator()), 2);

  // Saving again names the same files; a file changed meanwhile is left alone.
  std::ofstream(b.saved_path, std::ios::trunc) << "edited by the user";
  a.saved_path.clear();
  b.saved_path.clear();
  ASSERT_TRUE(save_attachments(files, "t-1", {&a, &b}));
  EXPECT_EQ(a.saved_path, (files / "t-1" / "passwd").string());
  EXPECT_EQ(b.saved_path, (files / "t-1" / "passwd-3").string());
  EXPECT_EQ(read_file(files / "t-1" / "passwd-2"), "edited by the user");
}

TEST(SaveAttachments, NeverFollowsALinkOrWritesWithoutFiles) {
  test_support::TempDir tmp;
  const fs::path files = tmp.path() / "files";
  a2a::Part text{"hi"};
  ASSERT_TRUE(save_attachments(files, "t-1", {&text}));
  EXPECT_FALSE(fs::exists(files));  // nothing to save, nothing created

  // A symbolic link where a file would go is not written through.
  fs::create_directories(files / "t-2");
  const fs::path outside = tmp.path() / "outside";
  std::ofstream(outside) << "keep";
  fs::create_symlink(outside, files / "t-2" / "a.txt");
  a2a::Part a = a2a::file_part("a.txt", "", "payload");
  ASSERT_TRUE(save_attachments(files, "t-2", {&a}));
  EXPECT_EQ(a.saved_path, (files / "t-2" / "a-2.txt").string());
  EXPECT_EQ(read_file(outside), "keep");

  // A task directory that is a link is refused.
  fs::create_symlink(tmp.path(), files / "t-3");
  a2a::Part b = a2a::file_part("b", "", "x");
  auto st = save_attachments(files, "t-3", {&b});
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().message, (files / "t-3").string() + " exists and is not a directory; move it away");
}

}  // namespace
}  // namespace constellation::node

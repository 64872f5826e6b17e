#include "constellation/security/bearer_token.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>

#include "support/temp_dir.h"

namespace constellation::security {
namespace {

std::filesystem::path write_token(const test_support::TempDir& dir, const std::string& text,
                                  mode_t mode) {
  const auto path = dir.path() / "token";
  std::ofstream(path) << text;
  ::chmod(path.c_str(), mode);
  return path;
}

TEST(BearerToken, TheFirstLineTrimmedIsTheToken) {
  test_support::TempDir dir;
  auto token = read_token_file(write_token(dir, "  0123456789abcdefXYZ \nignored\n", 0600));
  ASSERT_TRUE(token.ok()) << token.error().message;
  EXPECT_EQ(*token, "0123456789abcdefXYZ");
}

TEST(BearerToken, MissingShortOrReadableByOthersIsRefusedSayingWhatToDo) {
  test_support::TempDir dir;
  auto missing = read_token_file(dir.path() / "nope");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().kind, ErrorKind::kConfig);
  EXPECT_NE(missing.error().message.find("head -c 32 /dev/urandom | base64 >"), std::string::npos);

  auto shared = read_token_file(write_token(dir, "0123456789abcdefXYZ\n", 0640));
  ASSERT_FALSE(shared.ok());
  EXPECT_NE(shared.error().message.find("others can read it; run: chmod 600"), std::string::npos);

  auto short_one = read_token_file(write_token(dir, "short\n", 0600));
  ASSERT_FALSE(short_one.ok());
  EXPECT_NE(short_one.error().message.find("shorter than 16 characters"), std::string::npos);
  auto empty = read_token_file(write_token(dir, "\n", 0600));
  ASSERT_FALSE(empty.ok());
  EXPECT_NE(empty.error().message.find("missing"), std::string::npos);
}

TEST(BearerToken, OnlyTheExactTokenUnderTheBearerSchemeMatches) {
  const std::string token = "0123456789abcdefXYZ";
  EXPECT_TRUE(bearer_matches("Bearer 0123456789abcdefXYZ", token));
  EXPECT_TRUE(bearer_matches("bearer 0123456789abcdefXYZ ", token));
  EXPECT_FALSE(bearer_matches("Bearer 0123456789abcdefXYz", token));
  EXPECT_FALSE(bearer_matches("Bearer 0123456789abcdefXY", token));
  EXPECT_FALSE(bearer_matches("Basic 0123456789abcdefXYZ", token));
  EXPECT_FALSE(bearer_matches("0123456789abcdefXYZ", token));
  EXPECT_FALSE(bearer_matches("", token));
}

}  // namespace
}  // namespace constellation::security

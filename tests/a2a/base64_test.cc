#include "constellation/a2a/base64.h"

#include <gtest/gtest.h>

#include <string>

namespace constellation::a2a {
namespace {

std::string decode_ok(std::string_view text) {
  std::string err;
  auto out = base64_decode(text, &err);
  EXPECT_TRUE(out) << err;
  return out.value_or("<failed>");
}

std::string decode_error(std::string_view text) {
  std::string err;
  EXPECT_FALSE(base64_decode(text, &err));
  return err;
}

// RFC 4648 §10 test vectors.
TEST(Base64, Rfc4648Vectors) {
  const std::pair<const char*, const char*> kVectors[] = {
      {"", ""},         {"f", "Zg=="},         {"fo", "Zm8="},        {"foo", "Zm9v"},
      {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="}, {"foobar", "Zm9vYmFy"},
  };
  for (const auto& [plain, encoded] : kVectors) {
    EXPECT_EQ(base64_encode(plain), encoded);
    EXPECT_EQ(decode_ok(encoded), plain);
    EXPECT_EQ(base64_size(std::string_view(plain).size()), std::string_view(encoded).size());
  }
}

TEST(Base64, EveryByteValueRoundTrips) {
  std::string all;
  for (int i = 0; i < 256; ++i) all += static_cast<char>(i);
  EXPECT_EQ(decode_ok(base64_encode(all)), all);
}

// ProtoJSON readers accept URL-safe and unpadded forms; MIME line breaks are skipped.
TEST(Base64, LenientForms) {
  EXPECT_EQ(decode_ok("-_8="), "\xfb\xff");
  EXPECT_EQ(decode_ok("+/8"), "\xfb\xff");
  EXPECT_EQ(decode_ok("Zm9v\r\nYmFy"), "foobar");
}

TEST(Base64, RefusesWhatNoEncoderMakes) {
  EXPECT_EQ(decode_error("Zm9v!"), "not valid base64: unexpected character at offset 4");
  EXPECT_EQ(decode_error("Zg==Zg=="), "not valid base64: '=' before the end (offset 4)");
  EXPECT_EQ(decode_error("Z"), "not valid base64: truncated (1 digits)");
  EXPECT_EQ(decode_error("Zg="), "not valid base64: wrong padding");
  EXPECT_EQ(decode_error("Zm9v="), "not valid base64: wrong padding");
}

}  // namespace
}  // namespace constellation::a2a

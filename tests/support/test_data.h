#pragma once
/// Files under tests/data (CONSTELLATION_TEST_DATA), read whole.

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

namespace test_support {

/// tests/data/<relative>; a missing file fails the test and reads as "".
inline std::string test_data(const std::string& relative) {
  std::ifstream in(std::string(CONSTELLATION_TEST_DATA) + "/" + relative, std::ios::binary);
  EXPECT_TRUE(in) << relative;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace test_support

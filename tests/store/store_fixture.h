#pragma once
/// A fresh directory per test for real SQLite files, removed afterwards.

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "constellation/a2a/timestamp.h"
#include "constellation/store/database.h"

namespace constellation::store::test_support {

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = std::filesystem::temp_directory_path() /
           ("constellation-store-test-" + std::to_string(::getpid()) + "-" +
            info->test_suite_name() + "." + info->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }

  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  std::filesystem::path store_file() const { return dir_ / "store.db"; }

  /// Opens (creating) a store, failing the test when that does not work.
  std::unique_ptr<Database> open_store(const std::filesystem::path& path) {
    auto db = Database::open(path);
    EXPECT_TRUE(db.ok()) << db.error().message;
    if (!db.ok()) return nullptr;
    return std::move(*db);
  }
  std::unique_ptr<Database> open_store() { return open_store(store_file()); }

  std::filesystem::path dir_;
};

/// A timestamp with the millisecond precision the store keeps.
inline int count_rows(Database& db, const char* table) {
  int count = -1;
  Status status = db.read("count", [&](SQLite::Database& sql) {
    count = sql.execAndGet(std::string("SELECT count(*) FROM ") + table).getInt();
  });
  EXPECT_TRUE(status.ok()) << status.error().message;
  return count;
}

inline a2a::Timestamp at_ms(std::int64_t ms_after_base) {
  return a2a::Timestamp{} + std::chrono::milliseconds(1'777'000'000'000 + ms_after_base);
}

inline std::string file_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace constellation::store::test_support

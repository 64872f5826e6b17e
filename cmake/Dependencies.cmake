# Every dependency comes from a Debian package (scripts/setup-deps.sh installs them).
set(THREADS_PREFER_PTHREAD_FLAG ON)
find_package(Threads REQUIRED)
# Boost 1.81, not Debian's default 1.74 (see docs/build-notes.md).
find_package(Boost 1.81 REQUIRED CONFIG COMPONENTS url)
find_package(nlohmann_json 3.11 REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(SQLiteCpp REQUIRED)
find_package(CLI11 REQUIRED)
find_package(fmt REQUIRED)
find_package(spdlog REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(AVAHI_CLIENT REQUIRED IMPORTED_TARGET avahi-client)

# toml++ as one implementation file (TOML_HEADER_ONLY=0): 0.4 s per includer, not 2 s.
find_path(TOMLPP_INCLUDE_DIR toml++/toml.h REQUIRED)
add_library(tomlplusplus_impl STATIC ${CMAKE_CURRENT_LIST_DIR}/toml_impl.cc)
target_include_directories(tomlplusplus_impl PUBLIC ${TOMLPP_INCLUDE_DIR})
target_compile_definitions(tomlplusplus_impl PUBLIC TOML_HEADER_ONLY=0 TOML_EXCEPTIONS=1)

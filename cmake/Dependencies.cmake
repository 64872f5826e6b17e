# Every dependency comes from a Debian package (scripts/setup-deps.sh installs them).
#
# The `constellation` binary is self-contained by default (docs/build-notes.md, "A single
# self-contained binary"): every library is linked statically (SQLite, Boost.URL, spdlog
# and fmt compiled here, libstdc++ and libgcc) and Avahi is loaded at run time
# (src/discovery/avahi_api.h), so it needs nothing but glibc. The tests run this very
# binary, so CI tests what ships.
option(CONSTELLATION_FULLY_STATIC
       "Link everything statically, Avahi and libdbus included (for containers; see packaging/README.md)"
       OFF)
if(CONSTELLATION_FULLY_STATIC AND CONSTELLATION_SANITIZE)
  message(FATAL_ERROR "CONSTELLATION_FULLY_STATIC and CONSTELLATION_SANITIZE do not mix: "
                      "the sanitizer runtimes are shared libraries; configure them in separate build directories")
endif()

set(THREADS_PREFER_PTHREAD_FLAG ON)
find_package(Threads REQUIRED)
# Boost 1.81, not Debian's default 1.74 (see docs/build-notes.md); libboost_url.a.
set(Boost_USE_STATIC_LIBS ON)
find_package(Boost 1.81 REQUIRED CONFIG COMPONENTS url)
find_package(nlohmann_json 3.11 REQUIRED)
# libsqlite3.a rather than the .so: FindSQLite3 takes the library it is given. The archive
# needs libm (and libdl, pthread: the store layer links those).
find_library(SQLite3_LIBRARY NAMES libsqlite3.a sqlite3)
find_package(SQLite3 REQUIRED)
find_package(SQLiteCpp REQUIRED)
find_package(CLI11 REQUIRED)
find_package(PkgConfig REQUIRED)

# fmt and spdlog: Debian ships them only as shared libraries, and header-only spdlog + fmt
# costs ~30 s more compile time per file that logs. So each is compiled once here, in one
# implementation file, like toml++ below; every other file includes the headers in
# "compiled library" mode.
find_path(FMT_INCLUDE_DIR fmt/format-inl.h REQUIRED)
add_library(fmt_impl STATIC ${CMAKE_CURRENT_LIST_DIR}/fmt_impl.cc)
target_include_directories(fmt_impl SYSTEM PUBLIC ${FMT_INCLUDE_DIR})
find_path(SPDLOG_INCLUDE_DIR spdlog/spdlog-inl.h REQUIRED)
add_library(spdlog_impl STATIC ${CMAKE_CURRENT_LIST_DIR}/spdlog_impl.cc)
target_include_directories(spdlog_impl SYSTEM PUBLIC ${SPDLOG_INCLUDE_DIR})
target_compile_definitions(spdlog_impl PUBLIC SPDLOG_COMPILED_LIB SPDLOG_FMT_EXTERNAL)
target_link_libraries(spdlog_impl PUBLIC fmt_impl Threads::Threads)

# Avahi: its headers always; its libraries only in the fully static build. Otherwise
# libavahi-client.so.3 is dlopen'ed at run time (src/discovery/avahi_api_dlopen.cc).
pkg_check_modules(AVAHI_CLIENT REQUIRED avahi-client)
add_library(avahi_headers INTERFACE)
target_include_directories(avahi_headers SYSTEM INTERFACE ${AVAHI_CLIENT_INCLUDE_DIRS})
if(CONSTELLATION_FULLY_STATIC)
  # avahi-client.pc's static closure: avahi-common, dbus-1, pthread. libdbus-1.a wants
  # two libsystemd functions, and Debian has no libsystemd.a: stubbed (see the file).
  # (avahi-client.pc lists neither the order nor libdbus right for a static link.)
  # The stubs come after dbus-1 on the link line: an archive only satisfies what the
  # archives before it left undefined.
  add_library(fully_static_sd_stubs STATIC ${CMAKE_CURRENT_LIST_DIR}/fully_static_sd_stubs.cc)
  add_library(avahi_linked INTERFACE)
  target_link_libraries(avahi_linked INTERFACE avahi_headers avahi-client avahi-common dbus-1
                        fully_static_sd_stubs Threads::Threads)
endif()

# toml++ as one implementation file (TOML_HEADER_ONLY=0): 0.4 s per includer, not 2 s.
find_path(TOMLPP_INCLUDE_DIR toml++/toml.h REQUIRED)
add_library(tomlplusplus_impl STATIC ${CMAKE_CURRENT_LIST_DIR}/toml_impl.cc)
target_include_directories(tomlplusplus_impl PUBLIC ${TOMLPP_INCLUDE_DIR})
target_compile_definitions(tomlplusplus_impl PUBLIC TOML_HEADER_ONLY=0 TOML_EXCEPTIONS=1)

# Sanitizer and fuzzer builds, each in a build directory of its own (scripts/sanitize.sh,
# scripts/fuzz.sh); a normal build sets neither option.
#
# CONSTELLATION_SANITIZE: ASan + UBSan on every target, the `constellation` binary too,
# because the end-to-end tests spawn it. UBSan findings abort (no recovery) so that a
# test fails instead of printing a warning nobody reads.
#
# CONSTELLATION_FUZZ (clang only): the libFuzzer targets of tests/fuzz. Coverage
# instrumentation (fuzzer-no-link) goes on every target, not just the parsers, so that
# one clang build directory serves both the sanitized test suite and the fuzzers; the
# fuzzers need ASan + UBSan anyway, so this option implies CONSTELLATION_SANITIZE.
option(CONSTELLATION_SANITIZE "Build everything with AddressSanitizer and UBSan" OFF)
option(CONSTELLATION_FUZZ "Build the libFuzzer targets (clang only; implies CONSTELLATION_SANITIZE)" OFF)

if(CONSTELLATION_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "CONSTELLATION_FUZZ needs clang (libFuzzer): configure with "
                        "-DCMAKE_CXX_COMPILER=clang++, as scripts/fuzz.sh does")
  endif()
  set(CONSTELLATION_SANITIZE ON CACHE BOOL "" FORCE)
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()

if(CONSTELLATION_SANITIZE)
  set(sanitizer_flags -fsanitize=address,undefined -fno-sanitize-recover=undefined
                      -fno-omit-frame-pointer)
  # clang before 15 cannot emit UBSan's -fsanitize=function check for split coroutines
  # ("error: Cannot represent a difference across sections", llvm/llvm-project#49689),
  # and every Asio handler here is a coroutine. That check only catches calls through a
  # function pointer of the wrong type, so drop it rather than the coroutines.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 15)
    list(APPEND sanitizer_flags -fno-sanitize=function)
  endif()
  add_compile_options(${sanitizer_flags})
  add_link_options(${sanitizer_flags})
endif()

# generated/build_info.h for `constellation --version`: what was built and with what.
# Written at configure time and only from inputs that are the same on every machine
# building the same commit with the same toolchain (no date, no host name), so builds
# stay reproducible. The commit is the one checked out when CMake last ran.
set(CONSTELLATION_GIT_COMMIT "unknown")
find_package(Git QUIET)
if(GIT_FOUND AND EXISTS ${CMAKE_SOURCE_DIR}/.git)
  execute_process(COMMAND ${GIT_EXECUTABLE} -C ${CMAKE_SOURCE_DIR} rev-parse --short=12 HEAD
                  OUTPUT_VARIABLE git_commit OUTPUT_STRIP_TRAILING_WHITESPACE
                  RESULT_VARIABLE git_result ERROR_QUIET)
  if(git_result EQUAL 0 AND git_commit)
    set(CONSTELLATION_GIT_COMMIT "${git_commit}")
  endif()
endif()
set(CONSTELLATION_BUILD_TYPE "${CMAKE_BUILD_TYPE}")
if(NOT CONSTELLATION_BUILD_TYPE)
  set(CONSTELLATION_BUILD_TYPE "none")
endif()
set(CONSTELLATION_COMPILER "${CMAKE_CXX_COMPILER_ID} ${CMAKE_CXX_COMPILER_VERSION}")
set(CONSTELLATION_BOOST_VERSION "${Boost_VERSION}")
set(CONSTELLATION_SQLITE_VERSION "${SQLite3_VERSION}")
configure_file(${CMAKE_SOURCE_DIR}/cmake/build_info.h.in
               ${CMAKE_BINARY_DIR}/generated/build_info.h @ONLY)

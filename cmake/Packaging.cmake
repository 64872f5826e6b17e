# What `cmake --install` puts where, and the Debian package CPack builds from it:
#   cpack --config build/CPackConfig.cmake        -> constellation_<version>_<arch>.deb
# Layout (GNUInstallDirs, prefix /usr in the .deb):
#   bin/constellation                                  the self-contained binary
#   lib/systemd/user/constellation.service             the user unit, for /usr/bin
#   share/man/man1/constellation.1.gz                  packaging/man/constellation.1
#   share/bash-completion/completions/constellation    packaging/completions/
#   share/zsh/vendor-completions/_constellation
#   share/fish/vendor_completions.d/constellation.fish
#   share/doc/constellation/                           README, docs/, LICENSE, CHANGELOG
include(GNUInstallDirs)

# The glibc the binary needs: the highest GLIBC_x.y symbol version it imports
# (objdump -T build/constellation | grep GLIBC_). Static libstdc++/libgcc from g++ 12 on
# Debian 12 bring in 2.36 symbols (docs/build-notes.md). The install test
# (tests/install/) fails if the binary ever needs more than this says.
set(CONSTELLATION_GLIBC_FLOOR 2.36)
# The stripped binary must stay under this (issue 8: 6 MB; the install test checks the
# packaged one). -Os and per-function sections (CMakeLists.txt) make it 5.1 MB.
set(CONSTELLATION_RELEASE_MAX_BYTES 6000000)

install(TARGETS constellation RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

# The systemd user unit, from the same template `install-service` fills in
# (packaging/systemd/constellation.service.in), for the installed binary. The config path
# is left to systemd: %E is $XDG_CONFIG_HOME of the user's manager (default ~/.config).
set(unit_template ${CMAKE_CURRENT_SOURCE_DIR}/packaging/systemd/constellation.service.in)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${unit_template})
file(READ ${unit_template} unit_text)
# The template's leading comments describe the placeholders; the installed unit says
# where it came from instead.
string(REGEX REPLACE "^(#[^\n]*\n)+" "" unit_text "${unit_text}")
# string(CONFIGURE) turns an unknown @NAME@ into nothing: refuse one instead, so a new
# placeholder in the template cannot yield a silently broken unit.
string(REGEX MATCHALL "@[A-Za-z_]+@" placeholders "${unit_text}")
list(REMOVE_DUPLICATES placeholders)
list(REMOVE_ITEM placeholders @CONSTELLATION_EXECUTABLE@ @CONSTELLATION_CONFIG@)
if(placeholders)
  message(FATAL_ERROR "${unit_template} uses ${placeholders}, which cmake/Packaging.cmake "
                      "does not fill in for the packaged unit; add them there")
endif()
# The executable's path is known only at install time: CPack installs with prefix /usr,
# `cmake --install --prefix P` with P. So the placeholder stays until then.
set(CONSTELLATION_EXECUTABLE "@CONSTELLATION_EXECUTABLE@")
set(CONSTELLATION_CONFIG "%E/constellation/config.toml")
string(CONFIGURE "${unit_text}" unit_text @ONLY)
file(WRITE ${CMAKE_CURRENT_BINARY_DIR}/packaging/constellation.service.in
  "# systemd user unit installed with constellation. Enable it per user with\n"
  "#   systemctl --user enable --now constellation\n"
  "# after `constellation init` has written ~/.config/constellation/config.toml.\n"
  "${unit_text}")
# lib/, not ${CMAKE_INSTALL_LIBDIR} (lib/x86_64-linux-gnu): systemd looks in
# /usr/lib/systemd/user only.
install(CODE "
  file(READ \"${CMAKE_CURRENT_BINARY_DIR}/packaging/constellation.service.in\" unit)
  string(REPLACE \"@CONSTELLATION_EXECUTABLE@\"
         \"\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_BINDIR}/constellation\" unit \"\${unit}\")
  file(WRITE \"${CMAKE_CURRENT_BINARY_DIR}/packaging/constellation.service\" \"\${unit}\")
  file(INSTALL DESTINATION \"\${CMAKE_INSTALL_PREFIX}/lib/systemd/user\" TYPE FILE
       FILES \"${CMAKE_CURRENT_BINARY_DIR}/packaging/constellation.service\")
")

# The man page, compressed as Debian policy wants (gzip -n: no timestamp, reproducible).
set(man_source ${CMAKE_CURRENT_SOURCE_DIR}/packaging/man/constellation.1)
set(man_gz ${CMAKE_CURRENT_BINARY_DIR}/packaging/constellation.1.gz)
find_program(GZIP_PROGRAM gzip REQUIRED)
add_custom_command(OUTPUT ${man_gz}
  COMMAND ${GZIP_PROGRAM} -9 -n -c ${man_source} > ${man_gz}
  DEPENDS ${man_source} VERBATIM)
add_custom_target(constellation_man ALL DEPENDS ${man_gz})
install(FILES ${man_gz} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)

set(completions ${CMAKE_CURRENT_SOURCE_DIR}/packaging/completions)
install(FILES ${completions}/constellation.bash
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME constellation)
install(FILES ${completions}/_constellation
        DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions)
install(FILES ${completions}/constellation.fish
        DESTINATION ${CMAKE_INSTALL_DATADIR}/fish/vendor_completions.d)

install(FILES README.md LICENSE DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(FILES CHANGELOG.md DESTINATION ${CMAKE_INSTALL_DOCDIR} OPTIONAL)
install(DIRECTORY docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR}/docs FILES_MATCHING PATTERN "*.md")

# ---- the .deb ------------------------------------------------------------------------
# cpack installs what is built and does not build first (its "preinstall" step would run
# the whole build otherwise): the install test packs from a build directory that ctest
# is using at the same time.
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY TRUE)
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME constellation)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "Constellation")
set(CPACK_PACKAGE_CONTACT "Constellation maintainers <constellation@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "peer-to-peer A2A mesh for LLM coding agents")
set(CPACK_PACKAGE_DESCRIPTION
  "Constellation puts LLM coding agents on a peer-to-peer mesh speaking the A2A protocol.\n"
  "Each machine runs `constellation serve` as a user service; peers are found over\n"
  "Tailscale, mDNS (Avahi) or a static list, and agents send, wait for and answer tasks\n"
  "with the `constellation` command.")
set(CPACK_RESOURCE_FILE_LICENSE ${CMAKE_CURRENT_SOURCE_DIR}/LICENSE)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # constellation_<version>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${CPACK_PACKAGE_CONTACT}")
# Only glibc: everything else is inside the binary (cmake/Dependencies.cmake).
if(CONSTELLATION_FULLY_STATIC)
  set(CPACK_DEBIAN_PACKAGE_DEPENDS "")
else()
  set(CPACK_DEBIAN_PACKAGE_DEPENDS "libc6 (>= ${CONSTELLATION_GLIBC_FLOOR})")
endif()
# mDNS discovery loads libavahi-client3 at run time and talks to avahi-daemon; without
# them it is off and says so once.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "avahi-daemon, libavahi-client3")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "tailscale")
set(CPACK_DEBIAN_COMPRESSION_TYPE xz)
include(CPack)

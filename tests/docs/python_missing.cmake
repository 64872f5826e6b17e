# Stands in for tests/docs/troubleshooting_check.py when CMake found no python3, so that
# the check fails visibly instead of silently not running.
message(FATAL_ERROR "docs.troubleshooting needs python3, which CMake did not find; install it "
                    "(Debian: apt-get install python3) and configure the build again")

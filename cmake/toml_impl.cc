// The single translation unit that compiles toml++ (see cmake/Dependencies.cmake).
#define TOML_IMPLEMENTATION
#include <toml++/toml.h>

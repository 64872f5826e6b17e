# Script mode helper for EmbedText.cmake: writes the bytes of INPUT as a char array.
file(READ ${INPUT} hex HEX)
string(LENGTH "${hex}" hex_len)
math(EXPR byte_count "${hex_len} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "'\\\\x\\1'," bytes "${hex}")
file(WRITE ${OUTPUT}
"// Generated from ${INPUT} by cmake/EmbedTextScript.cmake. Do not edit.
#include <string_view>
namespace constellation::embedded {
namespace { constexpr char kBytes[] = {${bytes} '\\0'}; }
extern const std::string_view ${SYMBOL};
const std::string_view ${SYMBOL}{kBytes, ${byte_count}};
}  // namespace constellation::embedded
")

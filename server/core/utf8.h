// UTF-8 decoding for the validators that count or classify characters
// (message text, message attribute names, SNS subjects): AWS's limits are in
// characters, not bytes.
// Thread-safety: pure functions.
#ifndef CORTADO_SERVER_CORE_UTF8_H_
#define CORTADO_SERVER_CORE_UTF8_H_

#include <cstddef>
#include <cstdint>
#include <optional>

#include "absl/strings/string_view.h"

namespace cortado {

// Decodes the code point starting at byte `i` of `utf8` and advances `i`
// past it. Returns nullopt for malformed UTF-8 (a stray continuation byte, a
// truncated or overlong sequence, a surrogate, a value past U+10FFFF); `i`
// is then unspecified.
std::optional<uint32_t> NextCodePoint(absl::string_view utf8, size_t& i);

// The number of code points in `utf8`, or nullopt if it is not valid UTF-8.
std::optional<size_t> CountCodePoints(absl::string_view utf8);

}  // namespace cortado

#endif  // CORTADO_SERVER_CORE_UTF8_H_

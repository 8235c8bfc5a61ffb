// UUIDs in the one form Cortado writes them: RFC 4122 version 4 (random),
// canonical 8-4-4-4-12 lower-case hex. Message ids, subscription ids, move
// task handles and HTTP request ids are all made by RandomUuid; the core
// keeps a message id as its 16 bytes (ParseUuid) when it has this form.
// Thread-safety: pure functions; RandomUuid uses a generator per thread.
#ifndef CORTADO_COMMON_UUID_H_
#define CORTADO_COMMON_UUID_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"

namespace cortado {

// A fresh random (version 4, variant 1) UUID in canonical lower-case form.
std::string RandomUuid();

// Reads the 16 bytes of a canonical lower-case UUID string into `out`;
// false (and `out` unspecified) for any other string, upper case included,
// so that FormatUuid(ParseUuid(s)) == s whenever ParseUuid succeeds.
bool ParseUuid(absl::string_view text, uint8_t out[16]);

// The canonical lower-case form of 16 bytes.
std::string FormatUuid(const uint8_t bytes[16]);

}  // namespace cortado

#endif  // CORTADO_COMMON_UUID_H_

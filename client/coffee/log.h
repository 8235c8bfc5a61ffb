// Log writes one line to stderr, prefixed with the UTC time, in a single
// write so that lines from concurrent handlers never interleave.
// Thread-safety: thread-safe.
#ifndef CORTADO_CLIENT_COFFEE_LOG_H_
#define CORTADO_CLIENT_COFFEE_LOG_H_

#include "absl/strings/string_view.h"

namespace cortado::coffee {

void Log(absl::string_view line);

}  // namespace cortado::coffee

#endif  // CORTADO_CLIENT_COFFEE_LOG_H_

// How every SQL store keeps a time: microseconds since the Unix epoch, and
// the epoch itself (a time never set) as 0.
// Thread-safety: pure functions.
#ifndef CORTADO_SERVER_STORE_STORE_MICROS_H_
#define CORTADO_SERVER_STORE_STORE_MICROS_H_

#include <cstdint>

#include "absl/time/time.h"

namespace cortado::store {

inline int64_t Micros(absl::Time t) {
  return t == absl::UnixEpoch() ? 0 : absl::ToUnixMicros(t);
}
inline absl::Time FromMicros(int64_t us) { return absl::FromUnixMicros(us); }

}  // namespace cortado::store

#endif  // CORTADO_SERVER_STORE_STORE_MICROS_H_

// PollUntil: waits for a condition another thread or process makes true,
// checking every `interval` (1 ms by default; longer for conditions that
// cost a query) until it holds or the deadline passes. For
// state tests cannot be notified of (a real server's); never a bare sleep.
#ifndef CORTADO_TESTS_TESTING_POLL_H_
#define CORTADO_TESTS_TESTING_POLL_H_

#include <functional>

#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace cortado::testing {

// True once `condition` holds; false if `timeout` passed first.
inline bool PollUntil(const std::function<bool()>& condition,
                      absl::Duration timeout = absl::Seconds(10),
                      absl::Duration interval = absl::Milliseconds(1)) {
  const absl::Time deadline = absl::Now() + timeout;
  while (!condition()) {
    if (absl::Now() >= deadline) return false;
    absl::SleepFor(interval);
  }
  return true;
}

}  // namespace cortado::testing

#endif  // CORTADO_TESTS_TESTING_POLL_H_

// RetryWhileUnavailable: how the server waits for a PostgreSQL that is not
// up yet (at start): Unavailable is retried with backoff (250 ms doubling to
// 5 s, one log line each) until `patience` ends; any other error at once.
// Thread-safety: a function.
#ifndef CORTADO_SERVER_RETRY_UNAVAILABLE_H_
#define CORTADO_SERVER_RETRY_UNAVAILABLE_H_

#include <algorithm>
#include <utility>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "cmd/cortado-server/log.h"

namespace cortado {

template <typename T>
absl::StatusOr<T> RetryWhileUnavailable(
    absl::FunctionRef<absl::StatusOr<T>()> attempt, absl::Duration patience) {
  const absl::Time deadline = absl::Now() + patience;
  absl::Duration backoff = absl::Milliseconds(250);
  while (true) {
    absl::StatusOr<T> result = attempt();
    if (result.ok() || !absl::IsUnavailable(result.status()) ||
        absl::Now() >= deadline) {
      return result;
    }
    LogWarning(absl::StrCat("PostgreSQL is not reachable (",
                            result.status().message(), "); retrying in ",
                            absl::FormatDuration(backoff)));
    absl::SleepFor(backoff);
    backoff = std::min(backoff * 2, absl::Seconds(5));
  }
}

}  // namespace cortado

#endif  // CORTADO_SERVER_RETRY_UNAVAILABLE_H_

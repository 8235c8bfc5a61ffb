// RetryWhileUnavailable: how the server waits for a PostgreSQL that is not
// up yet (at start), or for a cluster whose partitions have no owner yet
// (--config in cluster mode): Unavailable is retried with backoff (250 ms
// doubling to 5 s, one log line each) until `patience` ends; any other error at
// once.
// Thread-safety: a function.
#ifndef CORTADO_SERVER_RETRY_UNAVAILABLE_H_
#define CORTADO_SERVER_RETRY_UNAVAILABLE_H_

#include <algorithm>
#include <utility>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "cmd/cortado-server/log.h"

namespace cortado {

// `waiting_for` starts each log line.
template <typename T>
absl::StatusOr<T> RetryWhileUnavailable(
    absl::FunctionRef<absl::StatusOr<T>()> attempt, absl::Duration patience,
    absl::string_view waiting_for = "PostgreSQL is not reachable") {
  const absl::Time deadline = absl::Now() + patience;
  absl::Duration backoff = absl::Milliseconds(250);
  while (true) {
    absl::StatusOr<T> result = attempt();
    if (result.ok() || !absl::IsUnavailable(result.status()) ||
        absl::Now() >= deadline) {
      return result;
    }
    LogWarning(absl::StrCat(waiting_for, " (", result.status().message(),
                            "); retrying in ", absl::FormatDuration(backoff)));
    absl::SleepFor(backoff);
    backoff = std::min(backoff * 2, absl::Seconds(5));
  }
}

}  // namespace cortado

#endif  // CORTADO_SERVER_RETRY_UNAVAILABLE_H_

// HttpRequestMetrics counts the gateway's API requests by action and
// outcome ("ok" or the error's name), for /metrics. Labels are bounded: an
// action is one of the SQS and SNS action tables or "unknown" (unknown
// names, and requests that fail before their action is known, such as a bad
// signature), and an error name comes from the gateway's error tables.
//
// Cost: a success, the hot path, is one relaxed atomic increment in a slot
// indexed by the action's position in its table. Errors (rare, and already
// allocating a message) take a mutex and a map keyed by (action, name).
// Thread-safety: every method may be called from any thread.
#ifndef CORTADO_GATEWAY_METRICS_HTTP_REQUEST_METRICS_H_
#define CORTADO_GATEWAY_METRICS_HTTP_REQUEST_METRICS_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/container/btree_map.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "gateway/metrics/metrics_text.h"

namespace cortado::gateway {

struct ActionSpec;
enum class Api;

class HttpRequestMetrics {
 public:
  HttpRequestMetrics();

  // Dense action ids: SQS actions, then SNS actions, then "unknown".
  // `spec` is null (unknown) or points into `api`'s action table.
  static int ActionId(Api api, const ActionSpec* spec);
  static int UnknownAction();

  void CountOk(int action) {
    ok_[action].fetch_add(1, std::memory_order_relaxed);
  }
  void CountError(int action, absl::string_view error_name);

  // cortado_http_requests_total{api,action,outcome}: every pair seen so far.
  void Render(MetricsText& out) const;

 private:
  std::unique_ptr<std::atomic<uint64_t>[]> ok_;
  mutable absl::Mutex mu_;
  absl::btree_map<std::pair<int, std::string>, uint64_t> errors_
      ABSL_GUARDED_BY(mu_);
};

}  // namespace cortado::gateway

#endif  // CORTADO_GATEWAY_METRICS_HTTP_REQUEST_METRICS_H_

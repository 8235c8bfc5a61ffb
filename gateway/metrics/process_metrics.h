// ProcessMetrics reads what Prometheus's standard process_* metrics report
// about this process from Linux's /proc: resident memory, CPU time and the
// start time. Fields that cannot be read are absent (not zero), so a scrape
// never shows a made-up value.
// Thread-safety: a pure function over /proc; call from any thread.
#ifndef CORTADO_GATEWAY_METRICS_PROCESS_METRICS_H_
#define CORTADO_GATEWAY_METRICS_PROCESS_METRICS_H_

#include <cstdint>
#include <optional>

namespace cortado::gateway {

struct ProcessMetrics {
  std::optional<int64_t> resident_memory_bytes;
  std::optional<double> cpu_seconds;         // user + system
  std::optional<double> start_time_seconds;  // since the Unix epoch
};

ProcessMetrics ReadProcessMetrics();

}  // namespace cortado::gateway

#endif  // CORTADO_GATEWAY_METRICS_PROCESS_METRICS_H_

// The /metrics page: every family Cortado exposes, rendered in Prometheus
// text from snapshots taken by the caller (the broker's BrokerMetrics, the
// gateway's request counters, /proc), so no lock is held while rendering.
//
// Families (all with # HELP and # TYPE):
//   cortado_queues, cortado_topics                       gauges
//   cortado_queue_messages_{visible,not_visible,delayed}{queue}
//   cortado_queue_oldest_message_age_seconds{queue}      (0 when empty)
//   cortado_queue_messages_{sent,received,deleted,dead_lettered,
//                           expired}_total{queue}        counters
//   cortado_topic_messages_published_total{topic}
//   cortado_topic_copies_delivered_total{topic}
//   cortado_store_commits_total, cortado_store_committed_operations_total,
//   cortado_store_commit_duration_seconds (histogram), cortado_store_failed,
//   cortado_broker_parked_receives
//   cortado_http_requests_total{api,action,outcome}
//   process_resident_memory_bytes, process_cpu_seconds_total,
//   process_start_time_seconds, cortado_uptime_seconds,
//   cortado_build_info{version}
// plus whatever `extra` adds (the server adds cortado_grpc_calls_total).
// Thread-safety: pure functions over their inputs.
#ifndef CORTADO_GATEWAY_METRICS_METRICS_PAGE_H_
#define CORTADO_GATEWAY_METRICS_METRICS_PAGE_H_

#include <functional>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "gateway/metrics/http_request_metrics.h"
#include "gateway/metrics/metrics_text.h"
#include "gateway/metrics/process_metrics.h"
#include "server/core/metrics.h"

namespace cortado::gateway {

// The version in cortado_build_info (the CMake project version).
absl::string_view CortadoVersion();

// Appends the broker's families (queues, topics, store).
void RenderBrokerMetrics(const BrokerMetrics& broker, MetricsText& out);
// Appends the process families and cortado_build_info; uptime is measured
// from the process start to `now`.
void RenderProcessMetrics(const ProcessMetrics& process, absl::Time now,
                          MetricsText& out);

struct MetricsPageInput {
  const BrokerMetrics* broker = nullptr;
  const HttpRequestMetrics* http = nullptr;
  ProcessMetrics process;
  absl::Time now;
  // More families from outside the gateway (gRPC), or empty.
  std::function<void(MetricsText&)> extra;
};

std::string RenderMetricsPage(const MetricsPageInput& input);

}  // namespace cortado::gateway

#endif  // CORTADO_GATEWAY_METRICS_METRICS_PAGE_H_

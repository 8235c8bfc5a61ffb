#include "gateway/metrics/metrics_page.h"

#include <cstdint>

#ifndef CORTADO_VERSION
#define CORTADO_VERSION "unknown"
#endif

namespace cortado::gateway {
namespace {

// One per-queue family: a sample per queue, `value` picks the number.
template <typename Value>
void QueueFamily(const BrokerMetrics& broker, absl::string_view name,
                 absl::string_view type, absl::string_view help, Value value,
                 MetricsText& out) {
  out.Family(name, type, help);
  for (const QueueMetrics& queue : broker.queues) {
    out.Sample(name, {{"queue", queue.name}}, value(queue));
  }
}

template <typename Value>
void TopicFamily(const BrokerMetrics& broker, absl::string_view name,
                 absl::string_view help, Value value, MetricsText& out) {
  out.Family(name, "counter", help);
  for (const TopicMetrics& topic : broker.topics) {
    out.Sample(name, {{"topic", topic.name}}, value(topic));
  }
}

}  // namespace

absl::string_view CortadoVersion() { return CORTADO_VERSION; }

void RenderBrokerMetrics(const BrokerMetrics& broker, MetricsText& out) {
  out.Gauge("cortado_queues", "Queues that exist.",
            static_cast<double>(broker.queues.size()));
  out.Gauge("cortado_topics", "Topics that exist.",
            static_cast<double>(broker.topics.size()));

  QueueFamily(
      broker, "cortado_queue_messages_visible", "gauge",
      "Messages available for retrieval (ApproximateNumberOfMessages).",
      [](const QueueMetrics& q) { return q.visible; }, out);
  QueueFamily(
      broker, "cortado_queue_messages_not_visible", "gauge",
      "Messages received and not yet deleted or visible again "
      "(ApproximateNumberOfMessagesNotVisible).",
      [](const QueueMetrics& q) { return q.in_flight; }, out);
  QueueFamily(
      broker, "cortado_queue_messages_delayed", "gauge",
      "Messages waiting for their delay to end "
      "(ApproximateNumberOfMessagesDelayed).",
      [](const QueueMetrics& q) { return q.delayed; }, out);
  QueueFamily(
      broker, "cortado_queue_oldest_message_age_seconds", "gauge",
      "Age of the queue's oldest message, from its send time; 0 when empty.",
      [](const QueueMetrics& q) {
        return q.oldest_message_age.has_value()
                   ? absl::ToDoubleSeconds(*q.oldest_message_age)
                   : 0.0;
      },
      out);
  QueueFamily(
      broker, "cortado_queue_messages_sent_total", "counter",
      "Messages enqueued by sends and topic deliveries.",
      [](const QueueMetrics& q) { return q.counters.sent; }, out);
  QueueFamily(
      broker, "cortado_queue_messages_received_total", "counter",
      "Messages delivered to receives (each delivery counts).",
      [](const QueueMetrics& q) { return q.counters.received; }, out);
  QueueFamily(
      broker, "cortado_queue_messages_deleted_total", "counter",
      "Messages deleted by DeleteMessage and DeleteMessageBatch.",
      [](const QueueMetrics& q) { return q.counters.deleted; }, out);
  QueueFamily(
      broker, "cortado_queue_messages_dead_lettered_total", "counter",
      "Messages moved to the queue's dead-letter queue after maxReceiveCount "
      "receives.",
      [](const QueueMetrics& q) { return q.counters.dead_lettered; }, out);
  QueueFamily(
      broker, "cortado_queue_messages_expired_total", "counter",
      "Messages removed at the end of the retention period.",
      [](const QueueMetrics& q) { return q.counters.expired; }, out);

  TopicFamily(
      broker, "cortado_topic_messages_published_total",
      "Messages published to the topic.",
      [](const TopicMetrics& t) { return t.counters.published; }, out);
  TopicFamily(
      broker, "cortado_topic_copies_delivered_total",
      "Copies of published messages enqueued in subscribed queues.",
      [](const TopicMetrics& t) { return t.counters.delivered; }, out);

  out.Counter("cortado_store_commits_total",
              "Store transactions committed (one per group-commit batch).",
              broker.commits);
  out.Counter("cortado_store_committed_operations_total",
              "Broker operations in committed batches.",
              broker.committed_operations);
  const CommitLatencyHistogram& latency = broker.commit_latency;
  out.Histogram("cortado_store_commit_duration_seconds",
                "Time a store commit took.", CommitLatencyHistogram::kBounds,
                latency.counts, latency.sum_seconds, latency.count);
  out.Gauge("cortado_store_failed",
            "1 once a store commit failed and the broker refuses writes.",
            broker.store_failed ? 1 : 0);
  out.Gauge("cortado_broker_parked_receives",
            "Long-poll receives parked waiting for a message.",
            static_cast<double>(broker.parked_receives));
}

void RenderProcessMetrics(const ProcessMetrics& process, absl::Time now,
                          MetricsText& out) {
  if (process.resident_memory_bytes.has_value()) {
    out.Gauge("process_resident_memory_bytes", "Resident memory size in bytes.",
              static_cast<double>(*process.resident_memory_bytes));
  }
  if (process.cpu_seconds.has_value()) {
    out.Family("process_cpu_seconds_total", "counter",
               "Total user and system CPU time spent in seconds.");
    out.Sample("process_cpu_seconds_total", {}, *process.cpu_seconds);
  }
  if (process.start_time_seconds.has_value()) {
    out.Gauge("process_start_time_seconds",
              "Start time of the process since unix epoch in seconds.",
              *process.start_time_seconds);
    const double uptime = absl::ToDoubleSeconds(now - absl::UnixEpoch()) -
                          *process.start_time_seconds;
    out.Gauge("cortado_uptime_seconds", "Seconds since the process started.",
              uptime > 0 ? uptime : 0);
  }
  out.Family("cortado_build_info", "gauge",
             "Always 1; the labels tell which build is running.");
  out.Sample("cortado_build_info", {{"version", CortadoVersion()}},
             uint64_t{1});
}

std::string RenderMetricsPage(const MetricsPageInput& input) {
  MetricsText out;
  if (input.broker != nullptr) RenderBrokerMetrics(*input.broker, out);
  if (input.http != nullptr) input.http->Render(out);
  if (input.extra) input.extra(out);
  RenderProcessMetrics(input.process, input.now, out);
  return out.Take();
}

}  // namespace cortado::gateway

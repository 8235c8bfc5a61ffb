// What the core counts for monitoring, and the snapshot of it that
// Broker::Metrics() hands out: per-queue message gauges and counters,
// per-topic counters, and a histogram of store commit latency. The core only
// counts and copies; rendering (Prometheus text) is the transports' job.
//
// Counters are plain integers incremented on the broker's writer thread
// under Broker::mu_ (which owns the queues anyway), so counting costs an
// add on the hot path. They live as long as their queue or topic in this
// process: a deleted queue's counters are gone, a restart starts from 0.
// Thread-safety: value types; the broker guards the live copies.
#ifndef CORTADO_SERVER_CORE_METRICS_H_
#define CORTADO_SERVER_CORE_METRICS_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"

namespace cortado {

// Events of one queue since it was created (or loaded) in this process.
struct QueueCounters {
  uint64_t sent = 0;           // messages enqueued (sends and topic copies)
  uint64_t received = 0;       // deliveries: messages handed to a receive
  uint64_t deleted = 0;        // messages removed by DeleteMessage(Batch)
  uint64_t dead_lettered = 0;  // moved to the dead-letter queue on receive
  uint64_t expired = 0;        // removed by the retention period
};

// Events of one topic since it was created (or loaded) in this process.
struct TopicCounters {
  uint64_t published = 0;  // messages accepted by Publish(Batch)
  uint64_t delivered = 0;  // copies enqueued in a subscribed queue
};

// A latency histogram with fixed upper bounds, in Prometheus's shape:
// `counts[i]` holds the observations <= kBounds[i] and above the previous
// bound; the last slot holds those above every bound (+Inf).
struct CommitLatencyHistogram {
  // Seconds. A commit on SSD takes tens of microseconds with sync=normal
  // and milliseconds with sync=full; the upper buckets catch stalls.
  static constexpr std::array<double, 9> kBounds = {
      0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.1, 1.0};
  std::array<uint64_t, kBounds.size() + 1> counts{};
  uint64_t count = 0;
  double sum_seconds = 0;

  void Observe(absl::Duration latency) {
    const double seconds = absl::ToDoubleSeconds(latency);
    size_t i = 0;
    while (i < kBounds.size() && seconds > kBounds[i]) ++i;
    ++counts[i];
    ++count;
    sum_seconds += seconds;
  }
};

struct QueueMetrics {
  std::string name;
  // The numbers of ApproximateNumberOfMessages, ...NotVisible, ...Delayed.
  int64_t visible = 0;
  int64_t in_flight = 0;
  int64_t delayed = 0;
  // Now minus the enqueue time of the oldest message, the time retention
  // counts from: its send, or for a message moved into a FIFO dead-letter
  // queue the move (as SQS's ApproximateAgeOfOldestMessage). Absent when the
  // queue is empty.
  std::optional<absl::Duration> oldest_message_age;
  QueueCounters counters;
};

struct TopicMetrics {
  std::string name;
  TopicCounters counters;
};

// A consistent snapshot of the broker, taken under one shared lock.
struct BrokerMetrics {
  uint64_t commits = 0;
  uint64_t committed_operations = 0;
  uint64_t parked_receives = 0;
  bool store_failed = false;
  CommitLatencyHistogram commit_latency;
  std::vector<QueueMetrics> queues;  // sorted by name
  std::vector<TopicMetrics> topics;  // sorted by name
};

}  // namespace cortado

#endif  // CORTADO_SERVER_CORE_METRICS_H_

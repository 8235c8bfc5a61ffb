// Broker::Metrics: the monitoring snapshot (metrics.h). Kept apart from the
// write path: it only reads, under mu_ shared, and copies.
#include <algorithm>
#include <utility>

#include "server/core/broker.h"

namespace cortado {

BrokerMetrics Broker::Metrics() const {
  BrokerMetrics metrics;
  {
    absl::ReaderMutexLock lock(&mu_);
    // One clock read: every age in the snapshot is from the same instant.
    const absl::Time now = clock_->Now();
    metrics.commits = stats_.commits;
    metrics.committed_operations = stats_.committed_operations;
    metrics.parked_receives = waiters_.size();
    metrics.store_failed = stats_.failed;
    metrics.commit_latency = stats_.commit_latency;
    metrics.queues.reserve(queues_.size());
    for (const auto& [name, queue] : queues_) {
      QueueMetrics& out = metrics.queues.emplace_back();
      out.name = name;
      out.visible = queue->visible_count();
      out.in_flight = queue->in_flight_count();
      out.delayed = queue->delayed_count();
      if (std::optional<absl::Time> sent = queue->OldestSentTime()) {
        // A clock that stepped back must not give a negative age.
        out.oldest_message_age = std::max(absl::ZeroDuration(), now - *sent);
      }
      out.counters = queue->counters();
    }
    metrics.topics = topics_.Metrics();
  }
  // Sorted outside the lock: the writer waits only for the copy.
  auto by_name = [](const auto& a, const auto& b) { return a.name < b.name; };
  std::sort(metrics.queues.begin(), metrics.queues.end(), by_name);
  std::sort(metrics.topics.begin(), metrics.topics.end(), by_name);
  return metrics;
}

}  // namespace cortado

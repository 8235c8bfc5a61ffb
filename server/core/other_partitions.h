// OtherPartitions is how the Broker of one partition of a cluster
// (docs/CLUSTER.md) sees the queues of the others: which partition a queue
// name belongs to, and what a queue there is as PostgreSQL has committed it.
// A message bound for a queue of another partition (an SNS delivery, a
// dead-letter move, a message move task) leaves through the outbox
// (TransferRecord in store.h) instead of being enqueued in place. A single
// server's Broker has none (BrokerOptions::other_partitions is null) and
// every queue is its own.
// Thread-safety: called on the broker's writer thread under its lock;
// implementations are thread-safe (several partitions share one).
#ifndef CORTADO_SERVER_CORE_OTHER_PARTITIONS_H_
#define CORTADO_SERVER_CORE_OTHER_PARTITIONS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace cortado {

// What a queue of another partition is, as far as a RedrivePolicy or a move
// task that names it needs to know.
struct PeerQueue {
  bool fifo = false;
  std::string redrive_allow_policy;
};

class OtherPartitions {
 public:
  virtual ~OtherPartitions() = default;

  // The partition that serves `queue_name` when it is not this broker's;
  // nullopt when it is (or when the name could be in no partition).
  virtual std::optional<int32_t> PartitionOf(
      const std::string& queue_name) const = 0;

  // The queue `queue_name` of another partition as committed: NotFound when
  // it does not exist, Unavailable when PostgreSQL cannot tell now. A
  // blocking read: only for rare calls (SetQueueAttributes, move tasks).
  virtual absl::StatusOr<PeerQueue> Describe(
      const std::string& queue_name) const = 0;

  // The queues of the other partitions whose RedrivePolicy targets
  // `queue_arn`, as committed. Blocking, as Describe.
  virtual absl::StatusOr<std::vector<std::string>> DeadLetterSources(
      const std::string& queue_arn) const = 0;
};

}  // namespace cortado

#endif  // CORTADO_SERVER_CORE_OTHER_PARTITIONS_H_

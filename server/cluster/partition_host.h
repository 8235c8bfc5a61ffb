// PartitionHost keeps the partitions this node serves: for each, the
// PostgreSQL store scoped (and fenced) to that partition and the unchanged
// single-node Broker over it. The cluster node's control loop acquires and
// drops them; request routing asks for a partition's broker.
//
// A broker is handed out as a shared_ptr: a call that got it just before the
// partition was dropped still completes (against a shut-down broker it is
// refused as ShuttingDown, which the transports answer as retryable).
// Building a partition (connect, migrate, load) happens outside the lock, so
// routing never waits for a load.
// Thread-safety: thread-safe.
#ifndef CORTADO_SERVER_CLUSTER_PARTITION_HOST_H_
#define CORTADO_SERVER_CLUSTER_PARTITION_HOST_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "server/core/broker.h"
#include "server/core/store.h"

namespace cortado::cluster {

// One partition served here. The broker is declared after the store and
// the view of the other partitions it uses, so it is destroyed (shut down)
// first.
struct HostedPartition {
  int32_t partition = 0;
  int64_t epoch = 0;
  std::unique_ptr<Store> store;
  std::unique_ptr<OtherPartitions> peers;  // null: no outbox
  std::unique_ptr<Broker> broker;
  // How long opening the store (connection, migration check) and starting
  // the broker (the load) took: the parts of a takeover's or handoff's pause.
  absl::Duration open_time;
  absl::Duration start_time;
};

// Opens partition `partition`'s store fenced at `epoch`, builds its broker
// (whose store failures must reach `on_failure`) and starts it (the load).
// Called from several threads at once for different partitions.
using PartitionFactory =
    std::function<absl::StatusOr<std::unique_ptr<HostedPartition>>(
        int32_t partition, int64_t epoch,
        std::function<void(const absl::Status&)> on_failure)>;

struct PartitionFailure {
  int32_t partition = 0;
  int64_t epoch = 0;
  absl::Status status;
};

class PartitionHost {
 public:
  explicit PartitionHost(PartitionFactory factory)
      : factory_(std::move(factory)) {}
  ~PartitionHost();  // DropAll()

  // Builds and installs `partition` at `epoch` (replacing what was hosted);
  // what it cost (HostedPartition::open_time, start_time), for the log.
  // Concurrent calls for different partitions are fine.
  absl::StatusOr<std::pair<absl::Duration, absl::Duration>> Acquire(
      int32_t partition, int64_t epoch) ABSL_LOCKS_EXCLUDED(mu_);
  // Stops serving `partition`: its broker shuts down (parked receives answer
  // empty, later calls are refused) and its store closes.
  void Drop(int32_t partition) ABSL_LOCKS_EXCLUDED(mu_);
  void DropAll() ABSL_LOCKS_EXCLUDED(mu_);

  // The broker of `partition` if it is served here and has not failed.
  std::shared_ptr<Broker> BrokerOf(int32_t partition) const
      ABSL_LOCKS_EXCLUDED(mu_);
  // partition -> epoch of everything hosted.
  std::map<int32_t, int64_t> Hosted() const ABSL_LOCKS_EXCLUDED(mu_);
  // The store failures reported since the last call (fenced or lost).
  std::vector<PartitionFailure> TakeFailures() ABSL_LOCKS_EXCLUDED(mu_);

 private:
  void NoteFailure(int32_t partition, int64_t epoch, const absl::Status& status)
      ABSL_LOCKS_EXCLUDED(mu_);

  const PartitionFactory factory_;
  mutable absl::Mutex mu_;
  absl::flat_hash_map<int32_t, std::shared_ptr<HostedPartition>> hosted_
      ABSL_GUARDED_BY(mu_);
  std::vector<PartitionFailure> failures_ ABSL_GUARDED_BY(mu_);
};

}  // namespace cortado::cluster

#endif  // CORTADO_SERVER_CLUSTER_PARTITION_HOST_H_

// PartitionPeers is what the broker of partition p sees of the cluster's
// other partitions (server/core/other_partitions.h): a queue name's
// partition by the cluster's hash, and a queue of another partition as the
// Directory reads it from PostgreSQL.
// Thread-safety: thread-safe (the Directory is).
#ifndef CORTADO_SERVER_CLUSTER_PARTITION_PEERS_H_
#define CORTADO_SERVER_CLUSTER_PARTITION_PEERS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "server/cluster/directory.h"
#include "server/core/other_partitions.h"

namespace cortado::cluster {

class PartitionPeers final : public OtherPartitions {
 public:
  // `directory` must outlive the peers.
  PartitionPeers(int32_t partition, int32_t partitions, Directory* directory)
      : partition_(partition), partitions_(partitions), directory_(directory) {}

  std::optional<int32_t> PartitionOf(
      const std::string& queue_name) const override;
  absl::StatusOr<PeerQueue> Describe(
      const std::string& queue_name) const override;
  absl::StatusOr<std::vector<std::string>> DeadLetterSources(
      const std::string& queue_arn) const override;

 private:
  const int32_t partition_;
  const int32_t partitions_;
  Directory* const directory_;
};

}  // namespace cortado::cluster

#endif  // CORTADO_SERVER_CLUSTER_PARTITION_PEERS_H_

#include "server/cluster/partition_peers.h"

#include <vector>

#include "server/cluster/partitioning.h"
#include "server/core/status_macros.h"

namespace cortado::cluster {

std::optional<int32_t> PartitionPeers::PartitionOf(
    const std::string& queue_name) const {
  const int32_t p = cluster::PartitionOf(queue_name, partitions_);
  if (p == partition_) return std::nullopt;
  return p;
}

absl::StatusOr<PeerQueue> PartitionPeers::Describe(
    const std::string& queue_name) const {
  return directory_->Queue(queue_name);
}

absl::StatusOr<std::vector<std::string>> PartitionPeers::DeadLetterSources(
    const std::string& queue_arn) const {
  CORTADO_ASSIGN_OR_RETURN(std::vector<std::string> sources,
                           directory_->DeadLetterSources(queue_arn));
  // Only the other partitions' sources: the broker knows its own in memory
  // (the committed rows may lag behind it).
  std::erase_if(sources, [&](const std::string& name) {
    return !PartitionOf(name).has_value();
  });
  return sources;
}

}  // namespace cortado::cluster

// --config in cluster mode: the file is applied through this node's own
// gRPC API (libcortado and the CLI's ClientTarget), which routes each queue
// and topic to the owner of its partition, as `cortado config apply`
// against any node would. Every node started with the same file applies
// it; the second finds nothing to change. Unlike a single server, the node
// is already serving while it applies (it must: the partitions' owners are
// the other nodes too), so a client may briefly see the cluster before the
// file's changes.
// Thread-safety: call from one thread at a time.
#ifndef CORTADO_CMD_CORTADO_SERVER_CLUSTER_CONFIG_H_
#define CORTADO_CMD_CORTADO_SERVER_CLUSTER_CONFIG_H_

#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace cortado {

// Applies `path` through the gRPC listener at `grpc_address`, retrying the
// whole apply (a plan made anew each time) while the cluster answers
// Unavailable (partitions without a live owner yet), for up to `patience`.
absl::Status ApplyClusterConfig(const std::string& path,
                                const std::string& grpc_address,
                                absl::Duration patience);

}  // namespace cortado

#endif  // CORTADO_CMD_CORTADO_SERVER_CLUSTER_CONFIG_H_

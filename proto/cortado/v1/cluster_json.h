// The JSON form of a cluster status (cluster.proto), the same for a node's
// GET /cluster and `cortado cluster status --json`: the proto's own field
// names, every field printed (a dead node's "alive": false too), one line.
#ifndef CORTADO_PROTO_CORTADO_V1_CLUSTER_JSON_H_
#define CORTADO_PROTO_CORTADO_V1_CLUSTER_JSON_H_

#include <string>

#include "cortado/v1/cluster.pb.h"

namespace cortado::v1 {

std::string ClusterStatusJson(const ClusterStatusResponse& status);

}  // namespace cortado::v1

#endif  // CORTADO_PROTO_CORTADO_V1_CLUSTER_JSON_H_

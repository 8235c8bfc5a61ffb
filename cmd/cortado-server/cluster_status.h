// `cortado cluster status` on the server side: the gRPC service
// cortado.v1.Cluster (proto/cortado/v1/cluster.proto) and the same status
// as JSON for GET /cluster on the HTTP listener. Both read the answering
// node's own view (ClusterNode::View): members, liveness as this node judges
// it on its monotonic clock, and the ownership table as last read.
// A single server registers the service without a node and answers
// FAILED_PRECONDITION "not a cluster node".
// Thread-safety: thread-safe; SetNode may be called while calls are served.
#ifndef CORTADO_CMD_CORTADO_SERVER_CLUSTER_STATUS_H_
#define CORTADO_CMD_CORTADO_SERVER_CLUSTER_STATUS_H_

#include <atomic>
#include <string>

#include "absl/status/statusor.h"
#include "cortado/v1/cluster.grpc.pb.h"
#include "gateway/status_routes.h"
#include "server/cluster/cluster_node.h"

namespace cortado {

v1::ClusterStatusResponse ClusterStatusOf(const cluster::ClusterNode& node);

class ClusterStatusService final : public v1::Cluster::CallbackService {
 public:
  // `cluster_mode`: whether a node will be set (a cluster node still
  // joining answers UNAVAILABLE; a single server FAILED_PRECONDITION).
  explicit ClusterStatusService(bool cluster_mode)
      : cluster_mode_(cluster_mode) {}

  // The node once it has joined; it must outlive the calls (the gRPC server
  // is shut down before the node is destroyed). Null: not any more.
  void SetNode(const cluster::ClusterNode* node) { node_.store(node); }

  // The status, or why there is none (for the gRPC and the HTTP answer).
  absl::StatusOr<v1::ClusterStatusResponse> Status() const;

  grpc::ServerUnaryReactor* Status(
      grpc::CallbackServerContext* context,
      const v1::ClusterStatusRequest* request,
      v1::ClusterStatusResponse* response) override;

 private:
  const bool cluster_mode_;
  std::atomic<const cluster::ClusterNode*> node_{nullptr};
};

// GET /cluster on the HTTP listener: the status as JSON (the same as
// `cortado cluster status --json`), for operators without the CLI;
// unauthenticated, as /metrics. `service` must outlive the route.
gateway::StaticDocument ClusterStatusDocument(
    const ClusterStatusService* service);

}  // namespace cortado

#endif  // CORTADO_CMD_CORTADO_SERVER_CLUSTER_STATUS_H_

#include "cmd/cortado-server/cluster_status.h"

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "cortado/v1/cluster_json.h"

namespace cortado {

v1::ClusterStatusResponse ClusterStatusOf(const cluster::ClusterNode& node) {
  const cluster::ClusterView view = node.View();
  v1::ClusterStatusResponse status;
  status.set_answered_by(node.node_id());
  status.set_partitions(view.partitions);
  status.set_lease_ttl_seconds(absl::ToDoubleSeconds(node.lease_ttl()));
  for (const cluster::ClusterView::Node& member : view.nodes) {
    v1::ClusterMember* out = status.add_nodes();
    out->set_node_id(member.row.node_id);
    out->set_grpc_addr(member.row.grpc_addr);
    out->set_http_addr(member.row.http_addr);
    out->set_alive(member.alive);
    out->set_leaving(member.row.leaving);
    out->set_silent_seconds(absl::ToDoubleSeconds(member.silent_for));
    out->set_heartbeat(member.row.heartbeat);
  }
  for (const cluster::Ownership& row : view.ownership) {
    v1::PartitionOwnership* out = status.add_ownership();
    out->set_partition(row.partition);
    out->set_owner(row.owner);
    out->set_epoch(row.epoch);
  }
  return status;
}

absl::StatusOr<v1::ClusterStatusResponse> ClusterStatusService::Status() const {
  const cluster::ClusterNode* node = node_.load();
  if (node != nullptr) return ClusterStatusOf(*node);
  if (!cluster_mode_) {
    return absl::FailedPreconditionError(
        "not a cluster node (this server was not started with --cluster)");
  }
  return absl::UnavailableError("this node has not joined the cluster yet");
}

grpc::ServerUnaryReactor* ClusterStatusService::Status(
    grpc::CallbackServerContext* context, const v1::ClusterStatusRequest*,
    v1::ClusterStatusResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  absl::StatusOr<v1::ClusterStatusResponse> status = Status();
  if (status.ok()) {
    *response = *std::move(status);
    reactor->Finish(grpc::Status::OK);
  } else {
    reactor->Finish(
        grpc::Status(static_cast<grpc::StatusCode>(status.status().code()),
                     std::string(status.status().message())));
  }
  return reactor;
}

gateway::StaticDocument ClusterStatusDocument(
    const ClusterStatusService* service) {
  return {.path = "/cluster",
          .content_type = "application/json",
          .body = "",
          .render = [service]() -> absl::StatusOr<std::string> {
            absl::StatusOr<v1::ClusterStatusResponse> status =
                service->Status();
            if (!status.ok()) return status.status();
            return absl::StrCat(v1::ClusterStatusJson(*status), "\n");
          }};
}

}  // namespace cortado

// ClusterRouting is the gateway's Routing (gateway/routing.h) over this
// node's ClusterNode: a queue or topic is served by the broker of its
// partition when this node serves that partition, else forwarded to the
// HTTP listener of the partition's owner as the ownership table names it;
// listings come from every partition's committed rows (Directory). It is
// also the gRPC services' BrokerResolver (server/rpc/broker_resolver.h), and
// tells the gRPC router (grpc_router.h) where a call goes.
// Thread-safety: thread-safe; SetNode once, before requests arrive (until
// then every call is Unavailable).
#ifndef CORTADO_SERVER_CLUSTER_ROUTING_H_
#define CORTADO_SERVER_CLUSTER_ROUTING_H_

#include <atomic>
#include <memory>
#include <string>

#include "gateway/routing.h"
#include "server/cluster/cluster_node.h"
#include "server/cluster/directory.h"
#include "server/core/broker.h"
#include "server/rpc/broker_resolver.h"

namespace cortado {

class ClusterRouting final : public gateway::Routing,
                             public rpc::BrokerResolver {
 public:
  explicit ClusterRouting(BrokerOptions broker_options)
      : broker_options_(std::move(broker_options)) {}

  // `node` and `directory` must outlive every call.
  void SetNode(cluster::ClusterNode* node, cluster::Directory* directory);

  absl::StatusOr<gateway::Route> RouteOf(absl::string_view name) const override;
  // rpc::BrokerResolver: a broker served here, else Unavailable (a call
  // that reached a node which does not serve its partition).
  absl::StatusOr<std::shared_ptr<Broker>> BrokerFor(
      absl::string_view name) const override;
  // Where a gRPC call about `name` goes: "" when this node serves it, else
  // the owner's gRPC address. Unavailable while its partition has no live
  // owner.
  absl::StatusOr<std::string> GrpcOwnerOf(absl::string_view name) const;
  absl::StatusOr<std::shared_ptr<Broker>> AnyBroker() const override;
  absl::StatusOr<ListQueuesResult> ListQueues(
      const ListQueuesRequest& request) const override;
  absl::StatusOr<ListTopicsResult> ListTopics(
      const std::string& next_token) const override;
  absl::StatusOr<ListSubscriptionsResult> ListSubscriptions(
      const std::string& next_token) const override;
  std::string NodeId() const override;
  BrokerStats Stats() const override;
  BrokerMetrics Metrics() const override;
  std::string AccountId() const override { return broker_options_.account_id; }

 private:
  absl::StatusOr<cluster::ClusterNode*> Node() const;
  // RouteOf, forwarding to the owner's `listener`.
  absl::StatusOr<gateway::Route> Locate(
      absl::string_view name, cluster::ClusterNode::Listener listener) const;
  std::string TopicArn(const std::string& name) const;

  const BrokerOptions broker_options_;
  std::atomic<cluster::ClusterNode*> node_{nullptr};
  std::atomic<cluster::Directory*> directory_{nullptr};
};

}  // namespace cortado

#endif  // CORTADO_SERVER_CLUSTER_ROUTING_H_

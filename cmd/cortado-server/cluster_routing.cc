#include "cmd/cortado-server/cluster_routing.h"

#include <algorithm>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "server/cluster/partitioning.h"
#include "server/core/errors.h"
#include "server/core/listing.h"
#include "server/core/status_macros.h"

namespace cortado {

void ClusterRouting::SetNode(cluster::ClusterNode* node,
                             cluster::Directory* directory) {
  directory_ = directory;
  node_ = node;
}

absl::StatusOr<cluster::ClusterNode*> ClusterRouting::Node() const {
  cluster::ClusterNode* node = node_;
  if (node == nullptr) {
    return MakeError(ErrorKind::kShuttingDown,
                     "This node is still joining the cluster; retry.");
  }
  return node;
}

std::string ClusterRouting::TopicArn(const std::string& name) const {
  return absl::StrCat("arn:aws:sns:", broker_options_.region, ":",
                      broker_options_.account_id, ":", name);
}

absl::StatusOr<gateway::Route> ClusterRouting::RouteOf(
    absl::string_view name) const {
  return Locate(name, cluster::ClusterNode::Listener::kHttp);
}

absl::StatusOr<std::shared_ptr<Broker>> ClusterRouting::BrokerFor(
    absl::string_view name) const {
  if (name.empty()) return AnyBroker();
  CORTADO_ASSIGN_OR_RETURN(cluster::ClusterNode * node, Node());
  const int32_t partition = cluster::PartitionOf(name, node->partitions());
  if (std::shared_ptr<Broker> broker = node->host().BrokerOf(partition)) {
    return broker;
  }
  // The router sent it here because this node served it a moment ago.
  return MakeError(ErrorKind::kShuttingDown,
                   absl::StrCat("The partition of \"", name,
                                "\" is moving to another node; retry."));
}

absl::StatusOr<std::string> ClusterRouting::GrpcOwnerOf(
    absl::string_view name) const {
  CORTADO_ASSIGN_OR_RETURN(gateway::Route route,
                           Locate(name, cluster::ClusterNode::Listener::kGrpc));
  return std::move(route.forward_to);
}

absl::StatusOr<gateway::Route> ClusterRouting::Locate(
    absl::string_view name, cluster::ClusterNode::Listener listener) const {
  CORTADO_ASSIGN_OR_RETURN(cluster::ClusterNode * node, Node());
  const int32_t partition = cluster::PartitionOf(name, node->partitions());
  if (std::shared_ptr<Broker> broker = node->host().BrokerOf(partition)) {
    return gateway::Route{std::move(broker), ""};
  }
  if (std::optional<std::string> owner =
          node->ForwardAddressOf(partition, listener)) {
    return gateway::Route{nullptr, *std::move(owner)};
  }
  // Unowned, its owner dead (a takeover within the lease TTL), or ours and
  // loading: retryable.
  return MakeError(
      ErrorKind::kShuttingDown,
      absl::StrCat("The partition of \"", name,
                   "\" is moving to another node (takeover or load under "
                   "way); retry."));
}

absl::StatusOr<std::shared_ptr<Broker>> ClusterRouting::AnyBroker() const {
  CORTADO_ASSIGN_OR_RETURN(cluster::ClusterNode * node, Node());
  for (const auto& [partition, epoch] : node->host().Hosted()) {
    if (std::shared_ptr<Broker> broker = node->host().BrokerOf(partition)) {
      return broker;
    }
  }
  return MakeError(ErrorKind::kShuttingDown,
                   "This node serves no partition yet; retry.");
}

absl::StatusOr<ListQueuesResult> ClusterRouting::ListQueues(
    const ListQueuesRequest& request) const {
  CORTADO_ASSIGN_OR_RETURN(
      const QueueNamePage page,
      ParseQueueNamePage(request.max_results, request.next_token));
  CORTADO_RETURN_IF_ERROR(Node().status());
  absl::StatusOr<std::vector<std::string>> names =
      directory_.load()->QueueNames();
  if (!names.ok()) {
    return MakeError(ErrorKind::kStoreFailed, names.status().message());
  }
  std::vector<std::string> matching;
  for (std::string& name : *names) {
    if (absl::StartsWith(name, request.prefix)) {
      matching.push_back(std::move(name));
    }
  }
  return PageQueueNames(std::move(matching), page);
}

absl::StatusOr<ListTopicsResult> ClusterRouting::ListTopics(
    const std::string& next_token) const {
  CORTADO_RETURN_IF_ERROR(Node().status());
  absl::StatusOr<std::vector<std::string>> names =
      directory_.load()->TopicNames();
  if (!names.ok()) {
    return MakeError(ErrorKind::kStoreFailed, names.status().message());
  }
  ListTopicsResult result;
  result.next_token = next_token;
  for (const std::string& name :
       PageTopicNames(*std::move(names), result.next_token)) {
    result.topic_arns.push_back(TopicArn(name));
  }
  return result;
}

absl::StatusOr<ListSubscriptionsResult> ClusterRouting::ListSubscriptions(
    const std::string& next_token) const {
  CORTADO_RETURN_IF_ERROR(Node().status());
  absl::StatusOr<std::vector<cluster::SubscriptionRow>> rows =
      directory_.load()->Subscriptions();
  if (!rows.ok()) {
    return MakeError(ErrorKind::kStoreFailed, rows.status().message());
  }
  std::vector<SubscriptionInfo> all;
  for (const cluster::SubscriptionRow& row : *rows) {
    const std::string topic_arn = TopicArn(row.topic);
    all.push_back({absl::StrCat(topic_arn, ":", row.id),
                   broker_options_.account_id, row.protocol, row.endpoint,
                   topic_arn});
  }
  return PageSubscriptions(std::move(all), next_token);
}

std::string ClusterRouting::NodeId() const {
  cluster::ClusterNode* node = node_;
  return node == nullptr ? "" : node->node_id();
}

BrokerStats ClusterRouting::Stats() const {
  BrokerStats total;
  cluster::ClusterNode* node = node_;
  if (node == nullptr) {
    total.failed = true;
    total.failure = "joining the cluster";
    return total;
  }
  if (absl::Status health = node->Health(); !health.ok()) {
    total.failed = true;
    total.failure = std::string(health.message());
  }
  for (const auto& [partition, epoch] : node->host().Hosted()) {
    std::shared_ptr<Broker> broker = node->host().BrokerOf(partition);
    if (broker == nullptr) continue;
    const BrokerStats stats = broker->Stats();
    total.commits += stats.commits;
    total.committed_operations += stats.committed_operations;
    total.parked_receives += stats.parked_receives;
  }
  return total;
}

BrokerMetrics ClusterRouting::Metrics() const {
  BrokerMetrics total;
  cluster::ClusterNode* node = node_;
  if (node == nullptr) return total;
  for (const auto& [partition, epoch] : node->host().Hosted()) {
    std::shared_ptr<Broker> broker = node->host().BrokerOf(partition);
    if (broker == nullptr) continue;
    BrokerMetrics metrics = broker->Metrics();
    total.commits += metrics.commits;
    total.committed_operations += metrics.committed_operations;
    total.parked_receives += metrics.parked_receives;
    total.store_failed = total.store_failed || metrics.store_failed;
    for (QueueMetrics& queue : metrics.queues) {
      total.queues.push_back(std::move(queue));
    }
    for (TopicMetrics& topic : metrics.topics) {
      total.topics.push_back(std::move(topic));
    }
  }
  std::sort(total.queues.begin(), total.queues.end(),
            [](const auto& a, const auto& b) { return a.name < b.name; });
  std::sort(total.topics.begin(), total.topics.end(),
            [](const auto& a, const auto& b) { return a.name < b.name; });
  return total;
}

}  // namespace cortado

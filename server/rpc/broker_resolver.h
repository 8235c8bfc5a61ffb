// BrokerResolver is how the gRPC services find the Broker of a call: by the
// queue or topic the request names. A single server has one broker for
// every name (SingleBrokerResolver); in cluster mode each partition this
// node serves has its own, and the composition root resolves a name to its
// partition's broker (cmd/cortado-server/cluster_routing.h). The shared_ptr
// a call gets keeps that broker alive until the call is done, even if the
// partition is dropped meanwhile. The listings (server/core/listings.h)
// span every queue and topic, wherever served.
// Thread-safety: implementations are thread-safe.
#ifndef CORTADO_SERVER_RPC_BROKER_RESOLVER_H_
#define CORTADO_SERVER_RPC_BROKER_RESOLVER_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "server/core/broker.h"
#include "server/core/listings.h"

namespace cortado::rpc {

class BrokerResolver : public Listings {
 public:
  // The broker serving the queue or topic `name` here. An empty `name` (a
  // request that names none) gets any broker served here, so that the
  // request's own validation answers it as on a single server. Unavailable
  // (ErrorKind::kShuttingDown) when this node does not serve it.
  virtual absl::StatusOr<std::shared_ptr<Broker>> BrokerFor(
      absl::string_view name) const = 0;
};

// One broker for every name: a single server.
class SingleBrokerResolver final : public BrokerResolver {
 public:
  // `broker` must outlive the resolver.
  explicit SingleBrokerResolver(Broker* broker)
      : broker_(broker, [](Broker*) {}) {}

  absl::StatusOr<std::shared_ptr<Broker>> BrokerFor(
      absl::string_view) const override {
    return broker_;
  }
  absl::StatusOr<ListQueuesResult> ListQueues(
      const ListQueuesRequest& request) const override {
    return broker_->ListQueues(request);
  }
  absl::StatusOr<ListTopicsResult> ListTopics(
      const std::string& next_token) const override {
    return broker_->ListTopics(next_token);
  }
  absl::StatusOr<ListSubscriptionsResult> ListSubscriptions(
      const std::string& next_token) const override {
    return broker_->ListSubscriptions("", next_token);
  }
  std::string AccountId() const override {
    return broker_->options().account_id;
  }

 private:
  // Not owned: the no-op deleter lets calls hold it like a cluster's.
  const std::shared_ptr<Broker> broker_;
};

}  // namespace cortado::rpc

#endif  // CORTADO_SERVER_RPC_BROKER_RESOLVER_H_

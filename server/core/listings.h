// Listings are the calls that span every queue and topic wherever they are
// served: on a single server its one broker's; in cluster mode every
// partition's, from what PostgreSQL has committed (docs/CLUSTER.md). Both
// transports ask them through this interface: the HTTP gateway's
// gateway::Routing and the gRPC services' rpc::BrokerResolver.
// Thread-safety: implementations are thread-safe.
#ifndef CORTADO_SERVER_CORE_LISTINGS_H_
#define CORTADO_SERVER_CORE_LISTINGS_H_

#include <string>

#include "absl/status/statusor.h"
#include "server/core/api.h"
#include "server/core/topic_api.h"

namespace cortado {

class Listings {
 public:
  virtual ~Listings() = default;

  virtual absl::StatusOr<ListQueuesResult> ListQueues(
      const ListQueuesRequest& request) const = 0;
  virtual absl::StatusOr<ListTopicsResult> ListTopics(
      const std::string& next_token) const = 0;
  virtual absl::StatusOr<ListSubscriptionsResult> ListSubscriptions(
      const std::string& next_token) const = 0;

  // The account in ARNs and queue URLs.
  virtual std::string AccountId() const = 0;
};

}  // namespace cortado

#endif  // CORTADO_SERVER_CORE_LISTINGS_H_

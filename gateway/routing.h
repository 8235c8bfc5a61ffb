// Routing is what the gateway asks in cluster mode (docs/CLUSTER.md): which
// broker on this node serves a queue or topic, or which node's HTTP listener
// to forward the request to, and the listings that span every partition.
// Without it (a single server) the gateway's one Broker serves everything.
// Implemented by the composition root over server/cluster (the gateway
// never depends on it).
// Thread-safety: implementations are thread-safe.
#ifndef CORTADO_GATEWAY_ROUTING_H_
#define CORTADO_GATEWAY_ROUTING_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "server/core/api.h"
#include "server/core/broker.h"
#include "server/core/listings.h"

namespace cortado::gateway {

struct Route {
  std::shared_ptr<Broker> broker;  // served here
  std::string forward_to;          // else: the owner's HTTP host:port
};

// The listings (server/core/listings.h) span every partition, from what
// PostgreSQL has committed.
class Routing : public Listings {
 public:
  // Where the queue or topic `name` is served. Unavailable while its
  // partition has no live owner (a takeover under way).
  virtual absl::StatusOr<Route> RouteOf(absl::string_view name) const = 0;
  // Some broker served here, for requests that fail validation before they
  // name a queue or topic (so that they get the same error as on a single
  // server). Unavailable when this node serves nothing yet.
  virtual absl::StatusOr<std::shared_ptr<Broker>> AnyBroker() const = 0;

  // This node's id, sent with forwarded requests (x-cortado-forwarded-by).
  virtual std::string NodeId() const = 0;

  // For /healthz and /metrics: the brokers served here, together. Failed
  // when this node cannot reach the cluster's PostgreSQL.
  virtual BrokerStats Stats() const = 0;
  virtual BrokerMetrics Metrics() const = 0;
};

}  // namespace cortado::gateway

#endif  // CORTADO_GATEWAY_ROUTING_H_

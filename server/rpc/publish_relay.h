// PublishRelay hands a request of a Publish stream (Queues/Publish) to the
// node that serves its queue, in cluster mode (docs/CLUSTER.md). Each
// request of a stream may name any queue, so a stream cannot be routed to
// one node as a whole: the node the client called reads it, and each
// request whose queue another node serves travels there as the unary
// SendMessage or SendMessageBatch. A single server has no relay.
// Thread-safety: implementations are thread-safe.
#ifndef CORTADO_SERVER_RPC_PUBLISH_RELAY_H_
#define CORTADO_SERVER_RPC_PUBLISH_RELAY_H_

#include "absl/functional/any_invocable.h"
#include "cortado/v1/queue.pb.h"

namespace cortado::rpc {

class PublishRelay {
 public:
  using Done = absl::AnyInvocable<void(v1::QueuePublishAck) &&>;

  virtual ~PublishRelay() = default;

  // Takes `request` (moved from) when another node serves its queue; `done`
  // then gets its ack, from any thread. False when this node serves it, or
  // no node does (this node's broker resolver answers it then).
  virtual bool Relay(v1::QueuePublishRequest& request, Done& done) = 0;
};

}  // namespace cortado::rpc

#endif  // CORTADO_SERVER_RPC_PUBLISH_RELAY_H_

// GrpcPublishRelay is cluster mode's rpc::PublishRelay: a request of a
// Publish stream whose queue another node owns goes to that node's gRPC
// listener as the unary SendMessage or SendMessageBatch (with
// x-cortado-forwarded-by, on the router's channel to it), and its answer
// comes back as the request's ack: the same result or error (SQS error name
// included) as on the owner's own stream.
// Thread-safety: thread-safe.
#ifndef CORTADO_SERVER_GRPC_PUBLISH_RELAY_H_
#define CORTADO_SERVER_GRPC_PUBLISH_RELAY_H_

#include "cmd/cortado-server/grpc_router.h"
#include "server/rpc/publish_relay.h"

namespace cortado {

class GrpcPublishRelay final : public rpc::PublishRelay {
 public:
  // `router` must outlive the relay.
  explicit GrpcPublishRelay(GrpcRouter* router) : router_(router) {}

  bool Relay(v1::QueuePublishRequest& request, Done& done) override;

 private:
  GrpcRouter* const router_;
};

}  // namespace cortado

#endif  // CORTADO_SERVER_GRPC_PUBLISH_RELAY_H_

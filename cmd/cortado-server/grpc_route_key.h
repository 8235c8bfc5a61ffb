// GrpcRouteKeyOf tells which queue or topic a gRPC call is about, from its
// method and its first request message (as received: raw bytes), for
// cluster mode's routing of the gRPC API (docs/CLUSTER.md): the queue name,
// the resource of a topic, subscription or queue ARN, a move task's source.
// A Consume or Listen stream is routed by its first message (ConsumeStart,
// ListenStart); a Publish stream is not routed as a whole (its requests may
// name any queue): this node's services relay each request.
// Thread-safety: a pure function.
#ifndef CORTADO_SERVER_GRPC_ROUTE_KEY_H_
#define CORTADO_SERVER_GRPC_ROUTE_KEY_H_

#include <grpcpp/support/byte_buffer.h>

#include <string>

#include "absl/strings/string_view.h"

namespace cortado {

// "" when the call names none: a listing of every partition (ListQueues,
// ListTopics, ListSubscriptions without a topic), a Publish stream, a
// method this server does
// not know, a message that does not decode, or a required name missing.
// This node's own services answer those (a listing, or the same error as a
// single server's).
std::string GrpcRouteKeyOf(absl::string_view method,
                           const grpc::ByteBuffer& first_message);

}  // namespace cortado

#endif  // CORTADO_SERVER_GRPC_ROUTE_KEY_H_

// GrpcRouteKeyOf tells which queue or topic a gRPC call is about, from its
// method and its first request message (as received: raw bytes), for
// cluster mode's routing of the gRPC API (docs/CLUSTER.md): the queue name,
// the resource of a topic, subscription or queue ARN, a move task's source.
// Every message of a stream names the same kind of thing, and a stream is
// routed by its first one (ConsumeStart, ListenStart, the first send of a
// Publish stream).
// Thread-safety: a pure function.
#ifndef CORTADO_SERVER_GRPC_ROUTE_KEY_H_
#define CORTADO_SERVER_GRPC_ROUTE_KEY_H_

#include <grpcpp/support/byte_buffer.h>

#include <string>

#include "absl/strings/string_view.h"

namespace cortado {

// "" when the call names none: a listing of every partition (ListQueues,
// ListTopics, ListSubscriptions without a topic), a method this server does
// not know, a message that does not decode, or a required name missing.
// This node's own services answer those (a listing, or the same error as a
// single server's).
std::string GrpcRouteKeyOf(absl::string_view method,
                           const grpc::ByteBuffer& first_message);

}  // namespace cortado

#endif  // CORTADO_SERVER_GRPC_ROUTE_KEY_H_

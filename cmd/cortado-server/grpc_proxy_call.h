// ProxyCall relays one gRPC call, as raw bytes, from the server side of a
// generic service to a client call of the same method on another channel:
// cluster mode's routing of the gRPC API (docs/CLUSTER.md). Any method,
// unary or streaming, is a stream of messages both ways on the wire, so one
// relay serves them all with no knowledge of the messages beyond the first,
// which decides where the call goes (ProxyRouting).
//
// What passes: every message both ways, in order and with flow control
// (one message in flight each way), the client's half-close, the client's
// metadata (not the transport's), its deadline, cancellation either way
// (a client that leaves cancels the relayed call, so the far end cancels
// a long poll as for its own clients), and the far end's status with its
// trailing metadata (e.g. "cortado-error"). Not relayed: the far end's
// initial metadata (the Cortado services send none).
// Thread-safety: gRPC runs the reactions; the object deletes itself.
#ifndef CORTADO_SERVER_GRPC_PROXY_CALL_H_
#define CORTADO_SERVER_GRPC_PROXY_CALL_H_

#include <grpcpp/channel.h>
#include <grpcpp/generic/async_generic_service.h>
#include <grpcpp/support/byte_buffer.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"

namespace cortado {

// Where a relayed call goes, and the metadata added to the client's.
struct ProxyTarget {
  std::shared_ptr<grpc::Channel> channel;
  std::vector<std::pair<std::string, std::string>> metadata;
};

class ProxyRouting {
 public:
  virtual ~ProxyRouting() = default;
  // Decides where the call goes from its first message (null: the client
  // half-closed without sending one). An error ends the call with it.
  virtual absl::StatusOr<ProxyTarget> Route(
      const grpc::GenericCallbackServerContext& context,
      const grpc::ByteBuffer* first_message) = 0;
};

// A reactor for a generic service's CreateReactor(); `routing` must outlive
// the call.
grpc::ServerGenericBidiReactor* NewProxyCall(
    grpc::GenericCallbackServerContext* context, ProxyRouting* routing);

}  // namespace cortado

#endif  // CORTADO_SERVER_GRPC_PROXY_CALL_H_

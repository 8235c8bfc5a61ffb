// Transport is what cortado-bench drives: a way to create a queue and open
// per-thread connections that send, receive and delete messages. There are
// two: gRPC through libcortado (grpc_transport.cc) and the SQS JSON protocol
// over cortado-bench's own keep-alive HTTP/1.1 client (sqs_transport.cc).
// Thread-safety: a Transport may be shared; each Connection belongs to one
// thread.
#ifndef CORTADO_BENCH_TRANSPORT_H_
#define CORTADO_BENCH_TRANSPORT_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace cortado::bench {

struct Received {
  std::string body;
  std::string receipt_handle;
};

class Connection {
 public:
  virtual ~Connection() = default;
  // One body: SendMessage; more: SendMessageBatch (at most 10). `group_id`
  // is set on FIFO queues only.
  virtual absl::Status Send(const std::vector<std::string>& bodies,
                            const std::string& group_id) = 0;
  // Long polls up to `wait_seconds` for up to `max` messages.
  virtual absl::StatusOr<std::vector<Received>> Receive(int max,
                                                        int wait_seconds) = 0;
  // One handle: DeleteMessage; more: DeleteMessageBatch.
  virtual absl::Status Delete(const std::vector<std::string>& handles) = 0;
};

class Transport {
 public:
  virtual ~Transport() = default;
  // Creates the queue (FIFO when the name ends in ".fifo") and remembers it
  // for later connections.
  virtual absl::Status CreateQueue(const std::string& name) = 0;
  virtual absl::StatusOr<std::unique_ptr<Connection>> Connect() = 0;
};

// How the gRPC transport talks to the broker: one unary rpc per call, or
// the Publish and Consume streams (`window`: Consume's unacked messages).
enum class GrpcApi { kUnary, kStream };
std::unique_ptr<Transport> MakeGrpcTransport(const std::string& target,
                                             GrpcApi api = GrpcApi::kUnary,
                                             int window = 100);
std::unique_ptr<Transport> MakeSqsTransport(const std::string& host_port);

}  // namespace cortado::bench

#endif  // CORTADO_BENCH_TRANSPORT_H_

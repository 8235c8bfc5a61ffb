// ConsumeReactor serves one cortado.v1.Queues/Consume stream: push delivery
// from a queue with a window of unacknowledged messages, acks (delete) and
// nacks (change visibility), the way AMQP's basic.consume with a prefetch
// count works.
//
// The first request must be ConsumeStart; once its queue is known to exist
// the reactor answers ConsumeReady and a QueueDelivery (shared with
// Topics/Listen) keeps a long-poll receive parked in the broker, so a send
// reaches the client within one commit without polling. When the stream
// ends, unacknowledged messages become visible again at once.
//
// Lifetime and threads: see StreamReactor. Thread-safety: the reactor's own
// state is only touched by gRPC's read reactions (one at a time); the
// delivery and the outbox have their own locks.
#ifndef CORTADO_SERVER_RPC_CONSUME_REACTOR_H_
#define CORTADO_SERVER_RPC_CONSUME_REACTOR_H_

#include <grpcpp/server_context.h>

#include <vector>

#include "cortado/v1/queue.pb.h"
#include "server/core/broker.h"
#include "server/rpc/broker_resolver.h"
#include "server/rpc/queue_delivery.h"
#include "server/rpc/stream_reactor.h"

namespace cortado::rpc {

class ConsumeReactor final
    : public StreamReactor<v1::ConsumeRequest, v1::ConsumeEvent>,
      private QueueDelivery::Stream {
 public:
  // `resolver` finds the broker of the queue ConsumeStart names.
  ConsumeReactor(const BrokerResolver* resolver,
                 grpc::CallbackServerContext* context);

  void OnReadDone(bool ok) override;

 private:
  // Validates the start request; an error ends the stream.
  absl::Status HandleStart(const v1::ConsumeStart& start);

  // StreamReactor
  void OnEnd() override { delivery_.Stop(); }
  // Deliveries queued behind the one being written travel as one event.
  bool Coalesce(v1::ConsumeEvent& queued, v1::ConsumeEvent& next) override;
  // QueueDelivery::Stream
  void Hold() override { StreamReactor::Hold(); }
  void Release() override { StreamReactor::Release(); }
  void Deliver(std::vector<ReceivedMessage> messages) override;
  void Fail(const absl::Status& status) override { End(status); }

  const BrokerResolver* const resolver_;
  v1::ConsumeRequest request_;  // the read buffer (one read at a time)
  bool started_ = false;        // read reactions only
  QueueDelivery delivery_;
};

}  // namespace cortado::rpc

#endif  // CORTADO_SERVER_RPC_CONSUME_REACTOR_H_

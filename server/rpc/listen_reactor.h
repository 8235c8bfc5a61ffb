// ListenReactor serves one cortado.v1.Topics/Listen stream: push delivery of
// a topic's messages with a credit window and acknowledgements.
//
// It is backed by a durable queue ("listen-<listener>") subscribed to the
// topic with raw delivery, so nothing is lost while no client is connected.
// Once the queue and subscription exist, delivery is a QueueDelivery (the
// machinery Queues/Consume uses too): a publish wakes the parked receive in
// the same batch that commits the copy, at most `window` messages are sent
// and not yet acknowledged, an ack deletes the message and frees a slot, and
// when the stream ends the unacknowledged messages are made visible again so
// the next connection gets them at once.
//
// Lifetime and threads: see StreamReactor (the reactor deletes itself once
// gRPC is done with it and no broker call it started is outstanding).
// Thread-safety: the state here is guarded by mu_; no broker or gRPC call is
// made while it is held.
#ifndef CORTADO_SERVER_RPC_LISTEN_REACTOR_H_
#define CORTADO_SERVER_RPC_LISTEN_REACTOR_H_

#include <grpcpp/server_context.h>

#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "cortado/v1/topic.pb.h"
#include "server/core/broker.h"
#include "server/rpc/broker_resolver.h"
#include "server/rpc/queue_delivery.h"
#include "server/rpc/stream_reactor.h"

namespace cortado::rpc {

class ListenReactor final
    : public StreamReactor<v1::ListenRequest, v1::ListenEvent>,
      private QueueDelivery::Stream {
 public:
  // `resolver` finds the broker of the topic ListenStart names (the
  // listener's queue is created there too: same partition as its topic).
  ListenReactor(const BrokerResolver* resolver,
                grpc::CallbackServerContext* context);

  void OnReadDone(bool ok) override;

 private:
  void HandleStart(const v1::ListenStart& start);
  // Creates the queue, then subscribes it, then sends Ready and delivers.
  void CreateQueue(std::string filter_policy);
  void SubscribeQueue(std::string filter_policy);

  // StreamReactor
  void OnEnd() override { delivery_.Stop(); }
  // QueueDelivery::Stream
  void Hold() override { StreamReactor::Hold(); }
  void Release() override { StreamReactor::Release(); }
  void Deliver(std::vector<ReceivedMessage> messages) override;
  void Fail(const absl::Status& status) override { End(status); }

  const BrokerResolver* const resolver_;
  v1::ListenRequest request_;  // the read buffer (one read at a time)
  QueueDelivery delivery_;

  absl::Mutex mu_;
  bool started_ ABSL_GUARDED_BY(mu_) = false;
  std::string topic_arn_ ABSL_GUARDED_BY(mu_);
  // The topic's broker, from HandleStart on.
  std::shared_ptr<Broker> broker_ ABSL_GUARDED_BY(mu_);
  // Fixed by HandleStart, used once the subscription exists.
  DeliverySettings settings_ ABSL_GUARDED_BY(mu_);
};

}  // namespace cortado::rpc

#endif  // CORTADO_SERVER_RPC_LISTEN_REACTOR_H_

// PublishReactor serves one cortado.v1.Queues/Publish stream: many sends in
// flight on one stream, each answered with a QueuePublishAck once its commit
// is durable (the guarantee of SendMessage), the way AMQP publisher confirms
// work. Every request gets exactly one ack, in commit order; a request that
// fails carries its error (gRPC code, SQS error name) and the stream goes on.
//
// Flow control: the reactor stops reading while kMaxUnanswered requests have
// no written ack, or while the requests the broker has not answered yet hold
// kMaxPendingBytes; gRPC's own flow control then pushes back on the client.
// When the client half-closes, the stream finishes OK after the last ack is
// written.
//
// Lifetime and threads: see StreamReactor. Acks are produced on the broker's
// thread; acks that become ready while a response is being written are
// coalesced into the next response.
// Thread-safety: the counters are guarded by mu_; no broker or gRPC call is
// made while it is held.
#ifndef CORTADO_SERVER_RPC_PUBLISH_REACTOR_H_
#define CORTADO_SERVER_RPC_PUBLISH_REACTOR_H_

#include <grpcpp/server_context.h>

#include <cstddef>
#include <cstdint>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "cortado/v1/queue.pb.h"
#include "server/core/broker.h"
#include "server/rpc/broker_resolver.h"
#include "server/rpc/publish_relay.h"
#include "server/rpc/stream_reactor.h"

namespace cortado::rpc {

class PublishReactor final
    : public StreamReactor<v1::QueuePublishRequest, v1::QueuePublishResponse> {
 public:
  // Requests read and not yet acked (ack written) before reading pauses.
  static constexpr int64_t kMaxUnanswered = 1024;
  // Bytes of requests the broker has not answered before reading pauses.
  static constexpr int64_t kMaxPendingBytes = int64_t{64} << 20;

  // `resolver` finds the broker of each request's queue; `relay` (null on
  // a single server) takes the requests another node serves.
  PublishReactor(const BrokerResolver* resolver, PublishRelay* relay,
                 grpc::CallbackServerContext* context);

  void OnReadDone(bool ok) override;

 private:
  // Hands the request in request_ to the broker.
  void Submit(int64_t bytes);
  template <typename T, typename Fill>
  Callback<T> AckWhenDone(uint64_t id, int64_t bytes,
                          std::shared_ptr<Broker> broker, Fill fill);
  // Acks request `id` with `error`.
  void AnswerError(uint64_t id, int64_t bytes, const absl::Status& error);
  // Sends an ack; `bytes` of the request are no longer pending.
  void Answer(v1::QueuePublishAck ack, int64_t bytes);
  // Starts the next read if none is outstanding and the limits allow it.
  // `read_finished`: called by OnReadDone once done with request_.
  void MaybeRead(bool read_finished = false);
  void OnWritten(const v1::QueuePublishResponse& written) override;
  bool Coalesce(v1::QueuePublishResponse& queued,
                v1::QueuePublishResponse& next) override;

  const BrokerResolver* const resolver_;
  PublishRelay* const relay_;
  v1::QueuePublishRequest request_;  // the read buffer (one read at a time)

  absl::Mutex mu_;
  int64_t unanswered_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t pending_bytes_ ABSL_GUARDED_BY(mu_) = 0;
  bool reading_ ABSL_GUARDED_BY(mu_) = true;  // a read is outstanding
  bool half_closed_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace cortado::rpc

#endif  // CORTADO_SERVER_RPC_PUBLISH_REACTOR_H_

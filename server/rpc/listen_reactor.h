// ListenReactor serves one cortado.v1.Topics/Listen stream: push delivery of
// a topic's messages with a credit window and acknowledgements.
//
// It is backed by a durable queue ("listen-<listener>") subscribed to the
// topic with raw delivery, so nothing is lost while no client is connected.
// Delivery is a long-poll receive parked in the broker: a publish wakes it
// in the same batch that commits the copy, so a message reaches the client
// within milliseconds and nobody polls. At most `window` messages are sent
// and not yet acknowledged; an ack deletes the message and frees a slot.
// When the stream ends, the unacknowledged messages are made visible again
// so the next connection gets them at once.
//
// Lifetime: gRPC owns the stream; the reactor deletes itself once gRPC has
// called OnDone and no broker call it started is still outstanding (broker
// callbacks may arrive after the stream ended).
// Thread-safety: gRPC callbacks and broker callbacks run on different
// threads; all state is guarded by mu_, and no broker or gRPC call is made
// while mu_ is held (a broker callback may run synchronously).
#ifndef CORTADO_SERVER_RPC_LISTEN_REACTOR_H_
#define CORTADO_SERVER_RPC_LISTEN_REACTOR_H_

#include <grpcpp/server_context.h>
#include <grpcpp/support/server_callback.h>

#include <cstdint>
#include <deque>
#include <optional>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_set.h"
#include "absl/synchronization/mutex.h"
#include "cortado/v1/topic.pb.h"
#include "server/core/broker.h"

namespace cortado::rpc {

class ListenReactor final
    : public grpc::ServerBidiReactor<v1::ListenRequest, v1::ListenEvent> {
 public:
  ListenReactor(Broker* broker, grpc::CallbackServerContext* context);

  void OnReadDone(bool ok) override;
  void OnWriteDone(bool ok) override;
  void OnCancel() override;
  void OnDone() override;

 private:
  void HandleStart(const v1::ListenStart& start);
  void HandleAck(const v1::ListenAck& ack);
  // Creates the queue, then subscribes it, then sends Ready and pumps.
  void CreateQueue(std::string filter_policy);
  void SubscribeQueue(std::string filter_policy);
  // Starts a receive if the window has room and none is outstanding.
  void Pump();
  void OnReceived(absl::StatusOr<ReceiveMessageResult> result);
  // Queues an event and starts writing if idle. mu_ must not be held.
  void Send(v1::ListenEvent event);
  // Ends the stream (once) and releases the unacknowledged messages.
  void End(const absl::Status& status);
  // Marks one broker call finished; deletes the reactor if it was the last
  // thing keeping it alive.
  void CallDone();

  Broker* const broker_;
  grpc::CallbackServerContext* const context_;
  v1::ListenRequest request_;  // the read buffer (one read at a time)

  absl::Mutex mu_;
  bool started_ ABSL_GUARDED_BY(mu_) = false;
  bool ready_ ABSL_GUARDED_BY(mu_) = false;
  bool ended_ ABSL_GUARDED_BY(mu_) = false;   // Finish called
  bool done_ ABSL_GUARDED_BY(mu_) = false;    // OnDone called
  int outstanding_ ABSL_GUARDED_BY(mu_) = 0;  // broker calls in progress
  std::string topic_arn_ ABSL_GUARDED_BY(mu_);
  std::string queue_ ABSL_GUARDED_BY(mu_);
  std::string subscription_arn_ ABSL_GUARDED_BY(mu_);
  int32_t window_ ABSL_GUARDED_BY(mu_) = 0;
  int32_t visibility_timeout_ ABSL_GUARDED_BY(mu_) = 30;
  absl::flat_hash_set<std::string> unacked_ ABSL_GUARDED_BY(mu_);
  bool receiving_ ABSL_GUARDED_BY(mu_) = false;
  uint64_t receive_id_ ABSL_GUARDED_BY(mu_) = 0;
  std::deque<v1::ListenEvent> outbox_ ABSL_GUARDED_BY(mu_);
  bool writing_ ABSL_GUARDED_BY(mu_) = false;
  // End() while a write was in progress: Finish after that write.
  std::optional<grpc::Status> pending_finish_ ABSL_GUARDED_BY(mu_);
};

}  // namespace cortado::rpc

#endif  // CORTADO_SERVER_RPC_LISTEN_REACTOR_H_

// ReceiveReactor serves one ReceiveMessage call, which may park in the broker
// as a long poll for up to 20 seconds without holding any thread. The broker
// finishes the call from its completion callback; if the client goes away
// first, OnCancel() asks the broker to answer the parked receive at once
// (with an empty result), so no waiter is left behind to swallow a message.
// If the cancellation crosses an answer already on its way, OnDone() makes
// the answered messages visible again.
//
// Lifetime: created with `new` by QueueService::ReceiveMessage, which then
// calls Start(). The reactor deletes itself once both Start() has returned
// and gRPC has called OnDone(), so the broker may answer (and gRPC may finish
// the call) before the broker's ReceiveMessage() has even returned the id.
//
// Lock order: mu_ before the ParkedReceives lock.
//
// Thread-safety: Start(), OnCancel(), OnDone() and the broker's callback may
// run concurrently on different threads; the shared state is under mu_, and
// no lock is held while calling the broker or finishing the call.
#ifndef CORTADO_SERVER_RPC_RECEIVE_REACTOR_H_
#define CORTADO_SERVER_RPC_RECEIVE_REACTOR_H_

#include <grpcpp/server_context.h>
#include <grpcpp/support/server_callback.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "cortado/v1/queue.pb.h"
#include "server/core/api.h"
#include "server/core/broker.h"
#include "server/rpc/parked_receives.h"

namespace cortado::rpc {

class ReceiveReactor final : public grpc::ServerUnaryReactor {
 public:
  // `context` and `response` belong to the call and live until OnDone().
  // `parked` (owned by the service) records calls that carry a receive
  // token, for CancelReceive.
  ReceiveReactor(std::shared_ptr<Broker> broker, ParkedReceives* parked,
                 grpc::CallbackServerContext* context,
                 v1::ReceiveMessageResponse* response);

  ReceiveReactor(const ReceiveReactor&) = delete;
  ReceiveReactor& operator=(const ReceiveReactor&) = delete;

  // Hands the request to the broker. Call exactly once, from the handler.
  // `token` may be empty (the call cannot be cancelled gently then).
  void Start(ReceiveMessageRequest request, std::string token);

  void OnCancel() override;
  void OnDone() override;

 private:
  ~ReceiveReactor() override = default;

  // The broker's completion callback: fills the response and finishes.
  void Answer(absl::StatusOr<ReceiveMessageResult> result);
  // Drops one of the two references (Start's and OnDone's).
  void Unref();

  // Constant after construction; the call keeps its broker alive.
  const std::shared_ptr<Broker> broker_;
  ParkedReceives* const parked_receives_;
  grpc::CallbackServerContext* const context_;
  v1::ReceiveMessageResponse* const response_;

  std::atomic<int> references_{2};

  absl::Mutex mu_;
  uint64_t receive_id_ ABSL_GUARDED_BY(mu_) = 0;  // 0: not parked (yet)
  bool answered_ ABSL_GUARDED_BY(mu_) = false;
  bool cancelled_ ABSL_GUARDED_BY(mu_) = false;
  bool parked_ ABSL_GUARDED_BY(mu_) = false;  // in parked_receives_
  // Set once in Start(), before the broker can answer.
  std::string queue_name_;
  std::string token_;
};

}  // namespace cortado::rpc

#endif  // CORTADO_SERVER_RPC_RECEIVE_REACTOR_H_

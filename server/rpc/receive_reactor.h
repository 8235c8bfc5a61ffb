// ReceiveReactor serves one ReceiveMessage call, which may park in the broker
// as a long poll for up to 20 seconds without holding any thread. The broker
// finishes the call from its completion callback; if the client goes away
// first, OnCancel() asks the broker to answer the parked receive at once
// (with an empty result), so no waiter is left behind to swallow a message.
//
// Lifetime: created with `new` by QueueService::ReceiveMessage, which then
// calls Start(). The reactor deletes itself once both Start() has returned
// and gRPC has called OnDone(), so the broker may answer (and gRPC may finish
// the call) before the broker's ReceiveMessage() has even returned the id.
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

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "cortado/v1/queue.pb.h"
#include "server/core/api.h"
#include "server/core/broker.h"

namespace cortado::rpc {

class ReceiveReactor final : public grpc::ServerUnaryReactor {
 public:
  // `context` and `response` belong to the call and live until OnDone().
  ReceiveReactor(Broker* broker, grpc::CallbackServerContext* context,
                 v1::ReceiveMessageResponse* response);

  ReceiveReactor(const ReceiveReactor&) = delete;
  ReceiveReactor& operator=(const ReceiveReactor&) = delete;

  // Hands the request to the broker. Call exactly once, from the handler.
  void Start(ReceiveMessageRequest request);

  void OnCancel() override;
  void OnDone() override;

 private:
  ~ReceiveReactor() override = default;

  // The broker's completion callback: fills the response and finishes.
  void Answer(absl::StatusOr<ReceiveMessageResult> result);
  // Drops one of the two references (Start's and OnDone's).
  void Unref();

  // Constant after construction.
  Broker* const broker_;
  grpc::CallbackServerContext* const context_;
  v1::ReceiveMessageResponse* const response_;

  std::atomic<int> references_{2};

  absl::Mutex mu_;
  uint64_t receive_id_ ABSL_GUARDED_BY(mu_) = 0;  // 0: not parked (yet)
  bool answered_ ABSL_GUARDED_BY(mu_) = false;
  bool cancelled_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace cortado::rpc

#endif  // CORTADO_SERVER_RPC_RECEIVE_REACTOR_H_

#include "server/rpc/receive_reactor.h"

#include <utility>

#include "server/rpc/convert.h"
#include "server/rpc/status_mapping.h"

namespace cortado::rpc {

ReceiveReactor::ReceiveReactor(Broker* broker,
                               grpc::CallbackServerContext* context,
                               v1::ReceiveMessageResponse* response)
    : broker_(broker), context_(context), response_(response) {}

void ReceiveReactor::Start(ReceiveMessageRequest request) {
  const uint64_t receive_id = broker_->ReceiveMessage(
      std::move(request), [this](absl::StatusOr<ReceiveMessageResult> result) {
        Answer(std::move(result));
      });
  bool cancel_now = false;
  {
    absl::MutexLock lock(&mu_);
    receive_id_ = receive_id;
    // A cancellation that arrived before the id was known could not reach
    // the broker; pass it on now.
    cancel_now = cancelled_ && !answered_ && receive_id != 0;
  }
  if (cancel_now) broker_->CancelReceive(receive_id);
  Unref();
}

void ReceiveReactor::OnCancel() {
  uint64_t receive_id = 0;
  {
    absl::MutexLock lock(&mu_);
    cancelled_ = true;
    if (!answered_) receive_id = receive_id_;
  }
  // The broker answers the parked receive with an empty result, which
  // finishes the call through Answer().
  if (receive_id != 0) broker_->CancelReceive(receive_id);
}

void ReceiveReactor::OnDone() { Unref(); }

void ReceiveReactor::Answer(absl::StatusOr<ReceiveMessageResult> result) {
  {
    absl::MutexLock lock(&mu_);
    answered_ = true;
  }
  if (result.ok()) {
    for (const ReceivedMessage& message : result->messages) {
      ToProto(message, response_->add_messages());
    }
  }
  // Finish() is the last use of `this`: OnDone() may delete it right after.
  Finish(ToGrpcStatus(result.status(), context_));
}

void ReceiveReactor::Unref() {
  if (references_.fetch_sub(1, std::memory_order_acq_rel) == 1) delete this;
}

}  // namespace cortado::rpc

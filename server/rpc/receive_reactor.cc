#include "server/rpc/receive_reactor.h"

#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "server/rpc/convert.h"
#include "server/rpc/status_mapping.h"

namespace cortado::rpc {

ReceiveReactor::ReceiveReactor(std::shared_ptr<Broker> broker,
                               ParkedReceives* parked,
                               grpc::CallbackServerContext* context,
                               v1::ReceiveMessageResponse* response)
    : broker_(std::move(broker)),
      parked_receives_(parked),
      context_(context),
      response_(response) {}

void ReceiveReactor::Start(ReceiveMessageRequest request, std::string token) {
  queue_name_ = request.queue_name;
  token_ = std::move(token);
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
    if (!answered_ && !token_.empty() && receive_id != 0) {
      parked_ = parked_receives_->Park(token_, {receive_id, broker_});
      // A CancelReceive that overtook this call.
      if (!parked_) cancel_now = true;
    }
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

void ReceiveReactor::OnDone() {
  // A client that cancelled (or vanished) while the broker was answering
  // never saw these messages; hiding them for the whole visibility timeout
  // would only delay them, so they are made visible again at once. The
  // receive still counts towards maxReceiveCount, as a lost response does
  // on SQS. IsCancelled() is only meaningful here, after Finish(), and the
  // response is still ours until OnDone() returns, so the handles are read
  // from it here, off the broker's writer thread, and only when needed.
  if (response_->messages_size() > 0 && context_->IsCancelled()) {
    std::vector<BatchHandleEntry> entries;
    entries.reserve(response_->messages_size());
    for (const v1::Message& message : response_->messages()) {
      entries.push_back(BatchHandleEntry{absl::StrCat(entries.size()),
                                         message.receipt_handle(), 0});
    }
    broker_->ChangeMessageVisibilityBatch(
        queue_name_, std::move(entries),
        [](absl::StatusOr<BatchResult>) {});  // best effort: the timeout
                                              // still brings them back
  }
  Unref();
}

void ReceiveReactor::Answer(absl::StatusOr<ReceiveMessageResult> result) {
  {
    absl::MutexLock lock(&mu_);
    answered_ = true;
    if (parked_) {
      parked_receives_->Unpark(token_);
      parked_ = false;
    }
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

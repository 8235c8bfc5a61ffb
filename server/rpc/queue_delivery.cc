#include "server/rpc/queue_delivery.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"

namespace cortado::rpc {
namespace {

// A parked receive is renewed this often; sends wake it at once.
constexpr int32_t kWaitSeconds = 20;
// The broker's batch calls take at most this many entries.
constexpr size_t kBatchSize = 10;

// Splits handles into batch entries of at most kBatchSize, ids "0".."9".
std::vector<std::vector<BatchHandleEntry>> ToBatches(
    std::vector<std::string> receipt_handles, int32_t visibility_timeout) {
  std::vector<std::vector<BatchHandleEntry>> batches;
  for (size_t i = 0; i < receipt_handles.size(); ++i) {
    if (i % kBatchSize == 0) batches.emplace_back();
    BatchHandleEntry& entry = batches.back().emplace_back();
    entry.id = absl::StrCat(i % kBatchSize);
    entry.receipt_handle = std::move(receipt_handles[i]);
    entry.visibility_timeout = visibility_timeout;
  }
  return batches;
}

}  // namespace

void QueueDelivery::Start(std::shared_ptr<Broker> broker,
                          DeliverySettings settings) {
  {
    absl::MutexLock lock(&mu_);
    if (started_ || stopped_) return;
    broker_ = std::move(broker);
    started_ = true;
    settings.window =
        std::clamp(settings.window + early_credits_, 1, kMaxDeliveryWindow);
    settings_ = std::move(settings);
  }
  Pump();
}

bool QueueDelivery::started() const {
  absl::MutexLock lock(&mu_);
  return started_;
}

void QueueDelivery::Grant(int32_t credits) {
  {
    absl::MutexLock lock(&mu_);
    if (!started_) {
      early_credits_ =
          std::min(early_credits_ + std::max(0, credits), kMaxDeliveryWindow);
      return;
    }
    settings_.window = std::clamp(settings_.window + std::max(0, credits), 1,
                                  kMaxDeliveryWindow);
  }
  Pump();
}

void QueueDelivery::Ack(std::vector<std::string> receipt_handles) {
  std::string queue;
  {
    absl::MutexLock lock(&mu_);
    if (!started_) return;  // nothing was delivered yet
    for (const std::string& handle : receipt_handles) unacked_.erase(handle);
    queue = settings_.queue;
  }
  if (receipt_handles.size() == 1) {
    // An unknown or stale handle fails in the broker; its message then
    // comes back after its visibility timeout, which is what the client
    // asked for by not acknowledging it in time.
    stream_->Hold();
    broker_->DeleteMessage(
        queue, std::move(receipt_handles[0]),
        [this](absl::StatusOr<Empty>) { stream_->Release(); });
  } else {
    for (std::vector<BatchHandleEntry>& batch :
         ToBatches(std::move(receipt_handles), 0)) {
      stream_->Hold();
      broker_->DeleteMessageBatch(
          queue, std::move(batch),
          [this](absl::StatusOr<BatchResult>) { stream_->Release(); });
    }
  }
  Pump();
}

void QueueDelivery::Nack(std::vector<std::string> receipt_handles,
                         int32_t visibility_timeout) {
  std::string queue;
  {
    absl::MutexLock lock(&mu_);
    if (!started_) return;
    for (const std::string& handle : receipt_handles) unacked_.erase(handle);
    queue = settings_.queue;
  }
  ChangeVisibility(queue, std::move(receipt_handles), visibility_timeout);
  Pump();
}

void QueueDelivery::ChangeVisibility(const std::string& queue,
                                     std::vector<std::string> receipt_handles,
                                     int32_t visibility_timeout) {
  if (receipt_handles.size() == 1) {
    stream_->Hold();
    broker_->ChangeMessageVisibility(
        queue, std::move(receipt_handles[0]), visibility_timeout,
        [this](absl::StatusOr<Empty>) { stream_->Release(); });
    return;
  }
  for (std::vector<BatchHandleEntry>& batch :
       ToBatches(std::move(receipt_handles), visibility_timeout)) {
    stream_->Hold();
    broker_->ChangeMessageVisibilityBatch(
        queue, std::move(batch),
        [this](absl::StatusOr<BatchResult>) { stream_->Release(); });
  }
}

void QueueDelivery::Pump() {
  ReceiveMessageRequest request;
  uint64_t seq = 0;
  {
    absl::MutexLock lock(&mu_);
    const int32_t room =
        settings_.window - static_cast<int32_t>(unacked_.size());
    if (!started_ || stopped_ || receiving_ || room <= 0) return;
    receiving_ = true;
    receive_id_ = 0;
    seq = ++receive_seq_;
    request.queue_name = settings_.queue;
    request.max_number_of_messages = std::min(room, 10);
    request.visibility_timeout = settings_.visibility_timeout;
    request.system_attribute_names = settings_.attribute_names;
    request.message_attribute_names = settings_.message_attribute_names;
  }
  request.wait_time_seconds = kWaitSeconds;
  stream_->Hold();
  const uint64_t id = broker_->ReceiveMessage(
      std::move(request), [this](absl::StatusOr<ReceiveMessageResult> result) {
        OnReceived(std::move(result));
        stream_->Release();
      });
  bool cancel;
  {
    absl::MutexLock lock(&mu_);
    // Unless it was answered (and another one started) meanwhile.
    const bool current = receiving_ && receive_seq_ == seq;
    if (current) receive_id_ = id;
    // Stop() ran while the receive was being submitted and could not know
    // its id.
    cancel = stopped_ && current;
  }
  if (cancel) broker_->CancelReceive(id);
}

void QueueDelivery::OnReceived(absl::StatusOr<ReceiveMessageResult> result) {
  if (!result.ok()) {
    {
      absl::MutexLock lock(&mu_);
      receiving_ = false;
    }
    stream_->Fail(result.status());
    return;
  }
  std::vector<ReceivedMessage> deliver;
  std::vector<std::string> late;  // arrived after Stop()
  std::string queue;
  {
    absl::MutexLock lock(&mu_);
    receiving_ = false;
    receive_id_ = 0;
    queue = settings_.queue;
    for (ReceivedMessage& message : result->messages) {
      if (stopped_) {
        late.push_back(std::move(message.receipt_handle));
        continue;
      }
      unacked_.insert(message.receipt_handle);
      deliver.push_back(std::move(message));
    }
  }
  if (!late.empty()) ChangeVisibility(queue, std::move(late), 0);
  if (!deliver.empty()) stream_->Deliver(std::move(deliver));
  Pump();
}

void QueueDelivery::Stop() {
  std::vector<std::string> release;
  std::string queue;
  bool cancel_receive = false;
  uint64_t receive_id = 0;
  {
    absl::MutexLock lock(&mu_);
    if (stopped_) return;
    stopped_ = true;
    release.assign(unacked_.begin(), unacked_.end());
    unacked_.clear();
    queue = settings_.queue;
    cancel_receive = receiving_;
    receive_id = receive_id_;
  }
  // The parked receive ends first (broker operations run in submission
  // order), so it cannot take the messages released next.
  if (cancel_receive && receive_id != 0) broker_->CancelReceive(receive_id);
  if (!release.empty()) ChangeVisibility(queue, std::move(release), 0);
}

}  // namespace cortado::rpc

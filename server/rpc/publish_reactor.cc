#include "server/rpc/publish_reactor.h"

#include <utility>
#include <vector>

#include "server/core/errors.h"
#include "server/rpc/convert.h"
#include "server/rpc/status_mapping.h"

namespace cortado::rpc {
namespace {

// A coalesced response grows to at most this many acks.
constexpr int kMaxAcksPerResponse = 256;

}  // namespace

PublishReactor::PublishReactor(const BrokerResolver* resolver,
                               PublishRelay* relay,
                               grpc::CallbackServerContext* context)
    : StreamReactor(context), resolver_(resolver), relay_(relay) {
  ReadNext(&request_);
}

void PublishReactor::OnReadDone(bool ok) {
  if (!ok) {
    // The client half-closed (or the stream broke, and OnCancel follows):
    // finish once every ack is written.
    bool finish;
    {
      absl::MutexLock lock(&mu_);
      reading_ = false;
      half_closed_ = true;
      finish = unanswered_ == 0;
    }
    if (finish) End(absl::OkStatus());
    return;
  }
  const int64_t bytes = static_cast<int64_t>(request_.ByteSizeLong());
  {
    absl::MutexLock lock(&mu_);
    ++unanswered_;
    pending_bytes_ += bytes;
  }
  // reading_ stays true while Submit uses request_, so no ack answered
  // meanwhile starts the next read into it.
  Submit(bytes);
  MaybeRead(/*read_finished=*/true);
}

// The broker's completion for one request: fills the ack with `fill` on
// success or with the error, sends it, and ends the Hold() taken for the call.
// `broker` stays alive until then.
template <typename T, typename Fill>
Callback<T> PublishReactor::AckWhenDone(uint64_t id, int64_t bytes,
                                        std::shared_ptr<Broker> broker,
                                        Fill fill) {
  Hold();
  return [this, id, bytes, broker = std::move(broker),
          fill = std::move(fill)](absl::StatusOr<T> result) {
    v1::QueuePublishAck ack;
    ack.set_id(id);
    if (result.ok()) {
      fill(*result, ack);
    } else {
      ToProto(result.status(), ack.mutable_error());
    }
    Answer(std::move(ack), bytes);
    Release();  // the last use of `this`
  };
}

void PublishReactor::AnswerError(uint64_t id, int64_t bytes,
                                 const absl::Status& error) {
  v1::QueuePublishAck ack;
  ack.set_id(id);
  ToProto(error, ack.mutable_error());
  Answer(std::move(ack), bytes);
}

void PublishReactor::Submit(int64_t bytes) {
  const uint64_t id = request_.id();
  if (request_.payload_case() == v1::QueuePublishRequest::PAYLOAD_NOT_SET) {
    AnswerError(
        id, bytes,
        MakeError(ErrorKind::kMissingParameter,
                  "A publish request must carry a message or a batch."));
    return;
  }
  if (relay_ != nullptr) {
    Hold();
    PublishRelay::Done done = [this, bytes](v1::QueuePublishAck ack) {
      Answer(std::move(ack), bytes);
      Release();  // the last use of `this`
    };
    if (relay_->Relay(request_, done)) return;
    Release();  // served here after all
  }
  // Each request names its queue, whose broker serves it.
  absl::StatusOr<std::shared_ptr<Broker>> found = resolver_->BrokerFor(
      request_.has_message() ? request_.message().queue_name()
                             : request_.batch().queue_name());
  if (!found.ok()) {
    AnswerError(id, bytes, found.status());
    return;
  }
  std::shared_ptr<Broker> broker = *std::move(found);
  const std::string sender = broker->options().account_id;
  if (request_.has_message()) {
    v1::SendMessageRequest* send = request_.mutable_message();
    broker->SendMessage(
        std::move(*send->mutable_queue_name()),
        ToCore(std::move(*send->mutable_message()), sender),
        AckWhenDone<SendMessageResult>(
            id, bytes, broker,
            [](const SendMessageResult& sent, v1::QueuePublishAck& ack) {
              ToProto(sent, ack.mutable_result());
            }));
    return;
  }
  v1::SendMessageBatchRequest* batch = request_.mutable_batch();
  std::vector<SendMessageEntry> entries;
  entries.reserve(batch->entries_size());
  for (v1::SendMessageEntry& entry : *batch->mutable_entries()) {
    entries.push_back(ToCore(std::move(entry), sender));
  }
  broker->SendMessageBatch(
      std::move(*batch->mutable_queue_name()), std::move(entries),
      AckWhenDone<SendMessageBatchResult>(
          id, bytes, broker,
          [](const SendMessageBatchResult& result, v1::QueuePublishAck& ack) {
            v1::SendMessageBatchResponse* out = ack.mutable_batch();
            for (const SendMessageResult& sent : result.successful) {
              ToProto(sent, out->add_successful());
            }
            for (const BatchEntryError& error : result.failed) {
              ToProto(error, out->add_failed());
            }
          }));
}

void PublishReactor::Answer(v1::QueuePublishAck ack, int64_t bytes) {
  {
    absl::MutexLock lock(&mu_);
    pending_bytes_ -= bytes;
  }
  v1::QueuePublishResponse response;
  *response.add_acks() = std::move(ack);
  Send(std::move(response));
  MaybeRead();
}

void PublishReactor::MaybeRead(bool read_finished) {
  {
    absl::MutexLock lock(&mu_);
    if (read_finished) reading_ = false;
    if (reading_ || half_closed_ || unanswered_ >= kMaxUnanswered ||
        pending_bytes_ >= kMaxPendingBytes) {
      return;
    }
    reading_ = true;
  }
  ReadNext(&request_);
}

void PublishReactor::OnWritten(const v1::QueuePublishResponse& written) {
  bool finish;
  {
    absl::MutexLock lock(&mu_);
    unanswered_ -= written.acks_size();
    finish = half_closed_ && unanswered_ == 0;
  }
  if (finish) {
    End(absl::OkStatus());
  } else {
    MaybeRead();
  }
}

bool PublishReactor::Coalesce(v1::QueuePublishResponse& queued,
                              v1::QueuePublishResponse& next) {
  if (queued.acks_size() + next.acks_size() > kMaxAcksPerResponse) {
    return false;
  }
  for (v1::QueuePublishAck& ack : *next.mutable_acks()) {
    queued.mutable_acks()->Add(std::move(ack));
  }
  return true;
}

}  // namespace cortado::rpc

#include "cortado/publisher.h"

#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "client/lib/client_impl.h"
#include "client/lib/convert.h"
#include "cortado/errors.h"
#include "grpcpp/support/sync_stream.h"

namespace cortado::client {

// What to do with one ack: exactly one of the two is set.
struct Publisher::Pending {
  SendCallback send;
  BatchCallback batch;
};

struct Publisher::Request {
  v1::QueuePublishRequest proto;
};

// One Publish stream and the sends waiting for its acks.
struct Publisher::Stream {
  grpc::ClientContext context;
  std::unique_ptr<grpc::ClientReaderWriter<v1::QueuePublishRequest,
                                           v1::QueuePublishResponse>>
      rpc;
  std::thread reader;
  // Serialises writes (gRPC allows one at a time) and Finish.
  absl::Mutex write_mu;
  // Guarded by Publisher::mu_.
  absl::flat_hash_map<uint64_t, Pending> pending;
  bool ended = false;
};

namespace {

// Waits for one callback's result; shared with the callback, which may run
// after the waiter gave up.
template <typename T>
struct Waiter {
  absl::Mutex mu;
  std::optional<absl::StatusOr<T>> result ABSL_GUARDED_BY(mu);

  absl::StatusOr<T> Wait(absl::Duration timeout) {
    absl::MutexLock lock(&mu);
    auto done = [this]() ABSL_SHARED_LOCKS_REQUIRED(mu) {
      return result.has_value();
    };
    if (!mu.AwaitWithTimeout(absl::Condition(&done), timeout)) {
      return absl::DeadlineExceededError(absl::StrCat(
          "Publish: no ack within ", absl::FormatDuration(timeout)));
    }
    return *std::move(result);
  }
};

absl::Status ErrorOf(const v1::QueuePublishError& error) {
  absl::Status status(static_cast<absl::StatusCode>(error.code()),
                      error.message());
  if (status.ok()) status = absl::UnknownError(error.message());
  if (error.error_name().empty()) return status;
  return WithErrorName(std::move(status), error.error_name());
}

void Complete(Publisher::SendCallback& send, Publisher::BatchCallback& batch,
              v1::QueuePublishAck& ack) {
  if (ack.has_error()) {
    const absl::Status status = ErrorOf(ack.error());
    if (send) std::move(send)(status);
    if (batch) std::move(batch)(status);
    return;
  }
  if (send) {
    if (!ack.has_result()) {
      std::move(send)(absl::InternalError("Publish: ack without a result"));
    } else {
      std::move(send)(internal::FromProto(ack.result()));
    }
  }
  if (batch) {
    SendBatchResult result;
    for (const v1::SendMessageResult& sent : ack.batch().successful()) {
      result.successful.push_back(internal::FromProto(sent));
    }
    for (const v1::BatchResultError& error : ack.batch().failed()) {
      result.failed.push_back(internal::FromProto(error));
    }
    std::move(batch)(std::move(result));
  }
}

void Fail(Publisher::SendCallback& send, Publisher::BatchCallback& batch,
          const absl::Status& status) {
  if (send) std::move(send)(status);
  if (batch) std::move(batch)(status);
}

}  // namespace

absl::StatusOr<std::unique_ptr<Publisher>> Publisher::Open(
    Client* client, PublisherOptions options) {
  if (client == nullptr) return absl::InvalidArgumentError("no client");
  if (options.max_in_flight < 1) {
    return absl::InvalidArgumentError("max_in_flight must be at least 1");
  }
  if (options.deadline <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError("the deadline must be positive");
  }
  return std::unique_ptr<Publisher>(new Publisher(client, options));
}

Publisher::Publisher(Client* client, PublisherOptions options)
    : client_(client), options_(options) {}

Publisher::~Publisher() { Close(); }

absl::StatusOr<SendResult> Publisher::Send(absl::string_view queue,
                                           absl::string_view body,
                                           const SendOptions& options) {
  auto waiter = std::make_shared<Waiter<SendResult>>();
  SendAsync(queue, body, options, [waiter](absl::StatusOr<SendResult> result) {
    absl::MutexLock lock(&waiter->mu);
    waiter->result = std::move(result);
  });
  return waiter->Wait(options_.deadline);
}

void Publisher::SendAsync(absl::string_view queue, absl::string_view body,
                          const SendOptions& options, SendCallback done) {
  Request request;
  v1::SendMessageRequest* send = request.proto.mutable_message();
  send->set_queue_name(std::string(queue));
  internal::ToProto(body, options, send->mutable_message());
  Write(request, Pending{std::move(done), nullptr});
}

absl::StatusOr<SendBatchResult> Publisher::SendBatch(
    absl::string_view queue, const std::vector<SendBatchEntry>& entries) {
  auto waiter = std::make_shared<Waiter<SendBatchResult>>();
  SendBatchAsync(queue, entries,
                 [waiter](absl::StatusOr<SendBatchResult> result) {
                   absl::MutexLock lock(&waiter->mu);
                   waiter->result = std::move(result);
                 });
  return waiter->Wait(options_.deadline);
}

void Publisher::SendBatchAsync(absl::string_view queue,
                               const std::vector<SendBatchEntry>& entries,
                               BatchCallback done) {
  Request request;
  v1::SendMessageBatchRequest* batch = request.proto.mutable_batch();
  batch->set_queue_name(std::string(queue));
  for (const SendBatchEntry& entry : entries) {
    v1::SendMessageEntry* out = batch->add_entries();
    internal::ToProto(entry.body, entry.options, out);
    out->set_id(entry.id);
  }
  Write(request, Pending{nullptr, std::move(done)});
}

void Publisher::Write(Request& request, Pending pending) {
  std::shared_ptr<Stream> stream;
  {
    absl::MutexLock lock(&mu_);
    auto room = [this]() ABSL_SHARED_LOCKS_REQUIRED(mu_) {
      return closed_ || in_flight_ < options_.max_in_flight;
    };
    mu_.Await(absl::Condition(&room));
    if (!closed_) {
      stream = CurrentStream();
      const uint64_t id = next_id_++;
      request.proto.set_id(id);
      stream->pending.emplace(id, std::move(pending));
      ++in_flight_;
    }
  }
  if (stream == nullptr) {
    Fail(pending.send, pending.batch,
         absl::FailedPreconditionError("Publish: the publisher is closed"));
    return;
  }
  // A failed write means the stream is broken: its reader then fails every
  // pending send, this one included.
  absl::MutexLock lock(&stream->write_mu);
  stream->rpc->Write(request.proto);
}

std::shared_ptr<Publisher::Stream> Publisher::CurrentStream() {
  if (stream_ != nullptr) return stream_;
  auto stream = std::make_shared<Stream>();
  stream->rpc = client_->impl_->stub->Publish(&stream->context);
  stream->reader = std::thread([this, stream] { ReadLoop(stream); });
  stream_ = stream;
  streams_.push_back(stream);
  return stream;
}

void Publisher::ReadLoop(std::shared_ptr<Stream> stream) {
  v1::QueuePublishResponse response;
  while (stream->rpc->Read(&response)) {
    for (v1::QueuePublishAck& ack : *response.mutable_acks()) {
      Pending pending;
      {
        absl::MutexLock lock(&mu_);
        auto it = stream->pending.find(ack.id());
        if (it == stream->pending.end()) continue;  // not ours: ignore
        pending = std::move(it->second);
        stream->pending.erase(it);
        --in_flight_;
      }
      Complete(pending.send, pending.batch, ack);
    }
  }
  grpc::Status status;
  {
    absl::MutexLock lock(&stream->write_mu);
    status = stream->rpc->Finish();
  }
  const absl::Status failure = absl::UnavailableError(
      absl::StrCat("Publish stream to ", client_->target(), " ended",
                   status.ok() ? "" : ": ", status.error_message(),
                   "; whether the broker committed the send is unknown"));
  absl::flat_hash_map<uint64_t, Pending> orphans;
  {
    absl::MutexLock lock(&mu_);
    stream->ended = true;
    if (stream_ == stream) stream_.reset();  // the next send opens a new one
    orphans.swap(stream->pending);
    in_flight_ -= static_cast<int>(orphans.size());
  }
  for (auto& [id, pending] : orphans) {
    Fail(pending.send, pending.batch, failure);
  }
}

void Publisher::Close() {
  std::shared_ptr<Stream> current;
  std::vector<std::shared_ptr<Stream>> streams;
  bool drained;
  {
    absl::MutexLock lock(&mu_);
    if (closed_) return;
    closed_ = true;
    auto idle = [this]()
                    ABSL_SHARED_LOCKS_REQUIRED(mu_) { return in_flight_ == 0; };
    drained = mu_.AwaitWithTimeout(absl::Condition(&idle), options_.deadline);
    current = stream_;
    streams = streams_;
  }
  if (current != nullptr) {
    if (drained) {
      // The broker finishes the stream once it has acked everything.
      absl::MutexLock lock(&current->write_mu);
      current->rpc->WritesDone();
    } else {
      current->context.TryCancel();
    }
  }
  for (const std::shared_ptr<Stream>& stream : streams) {
    if (stream->reader.joinable()) stream->reader.join();
  }
}

}  // namespace cortado::client

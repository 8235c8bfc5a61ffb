// The gRPC side of cortado-bench: libcortado's Client, one per connection
// (so each benchmark thread has its own channel, like an SQS connection).
// With --grpc-api=unary every send, receive and delete is one rpc; with
// --grpc-api=stream a connection publishes on one Publish stream (each send
// still waits for its ack, like RabbitMQ's confirm per publish) and
// consumes from one Consume stream (push, a window of unacked messages,
// acks that do not wait, like basic.consume with a prefetch count).
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "bench/transport.h"
#include "cortado/client.h"
#include "cortado/publisher.h"
#include "cortado/stream_consumer.h"

namespace cortado::bench {
namespace {

using client::Client;

// The batch entries of one send of several bodies (ids "0".."9").
std::vector<client::SendBatchEntry> BatchEntries(
    const std::vector<std::string>& bodies, const std::string& group_id) {
  std::vector<client::SendBatchEntry> entries(bodies.size());
  for (size_t i = 0; i < bodies.size(); ++i) {
    entries[i].id = absl::StrCat(i);
    entries[i].body = bodies[i];
    entries[i].options.group_id = group_id;
  }
  return entries;
}

// A batch with a failed entry counts as a failed send.
absl::Status BatchStatus(
    const absl::StatusOr<client::SendBatchResult>& result) {
  if (!result.ok()) return result.status();
  if (!result->failed.empty()) {
    return absl::InternalError(
        absl::StrCat("batch entry failed: ", result->failed[0].code, " ",
                     result->failed[0].message));
  }
  return absl::OkStatus();
}

// Moves the body and handle of received messages into the bench's shape.
std::vector<Received> ToReceived(std::vector<client::Message>& messages) {
  std::vector<Received> out(messages.size());
  for (size_t i = 0; i < messages.size(); ++i) {
    out[i].body = std::move(messages[i].body);
    out[i].receipt_handle = std::move(messages[i].receipt_handle);
  }
  return out;
}

class GrpcConnection : public Connection {
 public:
  GrpcConnection(std::unique_ptr<Client> client, std::string queue)
      : client_(std::move(client)), queue_(std::move(queue)) {}

  absl::Status Send(const std::vector<std::string>& bodies,
                    const std::string& group_id) override {
    if (bodies.size() == 1) {
      client::SendOptions options;
      options.group_id = group_id;
      return client_->SendMessage(queue_, bodies[0], options).status();
    }
    return BatchStatus(
        client_->SendMessageBatch(queue_, BatchEntries(bodies, group_id)));
  }

  absl::StatusOr<std::vector<Received>> Receive(int max,
                                                int wait_seconds) override {
    client::ReceiveOptions options;
    options.max_messages = max;
    options.wait = absl::Seconds(wait_seconds);
    // A lean consumer: no system or user attributes, like most real ones.
    options.attribute_names.clear();
    options.message_attribute_names.clear();
    absl::StatusOr<std::vector<client::Message>> got =
        client_->ReceiveMessage(queue_, options);
    if (!got.ok()) return got.status();
    return ToReceived(*got);
  }

  absl::Status Delete(const std::vector<std::string>& handles) override {
    if (handles.size() == 1) return client_->DeleteMessage(queue_, handles[0]);
    std::vector<client::DeleteBatchEntry> entries(handles.size());
    for (size_t i = 0; i < handles.size(); ++i) {
      entries[i].id = absl::StrCat(i);
      entries[i].receipt_handle = handles[i];
    }
    absl::StatusOr<client::BatchResult> result =
        client_->DeleteMessageBatch(queue_, entries);
    if (!result.ok()) return result.status();
    if (!result->failed.empty()) {
      return absl::InternalError(
          absl::StrCat("delete entry failed: ", result->failed[0].code));
    }
    return absl::OkStatus();
  }

 private:
  const std::unique_ptr<Client> client_;
  const std::string queue_;
};

class StreamConnection : public Connection {
 public:
  StreamConnection(std::unique_ptr<Client> client, std::string queue,
                   int window)
      : client_(std::move(client)), queue_(std::move(queue)), window_(window) {}

  absl::Status Send(const std::vector<std::string>& bodies,
                    const std::string& group_id) override {
    if (publisher_ == nullptr) {
      absl::StatusOr<std::unique_ptr<client::Publisher>> publisher =
          client::Publisher::Open(client_.get());
      if (!publisher.ok()) return publisher.status();
      publisher_ = *std::move(publisher);
    }
    if (bodies.size() == 1) {
      client::SendOptions options;
      options.group_id = group_id;
      return publisher_->Send(queue_, bodies[0], options).status();
    }
    return BatchStatus(
        publisher_->SendBatch(queue_, BatchEntries(bodies, group_id)));
  }

  absl::StatusOr<std::vector<Received>> Receive(int max,
                                                int wait_seconds) override {
    if (consumer_ == nullptr) {
      client::StreamConsumerOptions options;
      options.queue = queue_;
      options.window = window_;
      // A lean consumer: no system or user attributes, like most real ones.
      options.attribute_names.clear();
      options.message_attribute_names.clear();
      absl::StatusOr<std::unique_ptr<client::StreamConsumer>> consumer =
          client::StreamConsumer::Open(client_.get(), options);
      if (!consumer.ok()) return consumer.status();
      consumer_ = *std::move(consumer);
    }
    absl::StatusOr<std::vector<client::Message>> got =
        consumer_->Next(static_cast<size_t>(max), absl::Seconds(wait_seconds));
    if (!got.ok()) {
      consumer_.reset();  // the next receive opens a new stream
      return got.status();
    }
    return ToReceived(*got);
  }

  absl::Status Delete(const std::vector<std::string>& handles) override {
    if (consumer_ == nullptr) {
      return absl::FailedPreconditionError("no Consume stream");
    }
    return consumer_->Ack(handles);
  }

 private:
  const std::unique_ptr<Client> client_;
  const std::string queue_;
  const int window_;
  std::unique_ptr<client::Publisher> publisher_;
  std::unique_ptr<client::StreamConsumer> consumer_;
};

class GrpcTransport : public Transport {
 public:
  GrpcTransport(std::string target, GrpcApi api, int window)
      : target_(std::move(target)), api_(api), window_(window) {}

  absl::Status CreateQueue(const std::string& name) override {
    absl::StatusOr<std::unique_ptr<Client>> client = Client::Connect(target_);
    if (!client.ok()) return client.status();
    client::StringMap attributes;
    if (absl::EndsWith(name, ".fifo")) {
      attributes["FifoQueue"] = "true";
      attributes["ContentBasedDeduplication"] = "true";
    }
    absl::StatusOr<client::QueueInfo> info =
        (*client)->CreateQueue(name, attributes);
    if (!info.ok()) return info.status();
    queue_ = name;
    return absl::OkStatus();
  }

  absl::StatusOr<std::unique_ptr<Connection>> Connect() override {
    absl::StatusOr<std::unique_ptr<Client>> client = Client::Connect(target_);
    if (!client.ok()) return client.status();
    if (api_ == GrpcApi::kStream) {
      return std::make_unique<StreamConnection>(*std::move(client), queue_,
                                                window_);
    }
    return std::make_unique<GrpcConnection>(*std::move(client), queue_);
  }

 private:
  const std::string target_;
  const GrpcApi api_;
  const int window_;
  std::string queue_;
};

}  // namespace

std::unique_ptr<Transport> MakeGrpcTransport(const std::string& target,
                                             GrpcApi api, int window) {
  return std::make_unique<GrpcTransport>(target, api, window);
}

}  // namespace cortado::bench

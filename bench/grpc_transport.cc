// The gRPC side of cortado-bench: libcortado's Client, one per connection
// (so each benchmark thread has its own channel, like an SQS connection).
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "bench/transport.h"
#include "cortado/client.h"

namespace cortado::bench {
namespace {

using client::Client;

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
    std::vector<client::SendBatchEntry> entries(bodies.size());
    for (size_t i = 0; i < bodies.size(); ++i) {
      entries[i].id = absl::StrCat(i);
      entries[i].body = bodies[i];
      entries[i].options.group_id = group_id;
    }
    absl::StatusOr<client::SendBatchResult> result =
        client_->SendMessageBatch(queue_, entries);
    if (!result.ok()) return result.status();
    if (!result->failed.empty()) {
      return absl::InternalError(
          absl::StrCat("batch entry failed: ", result->failed[0].code, " ",
                       result->failed[0].message));
    }
    return absl::OkStatus();
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
    std::vector<Received> out(got->size());
    for (size_t i = 0; i < got->size(); ++i) {
      out[i].body = std::move((*got)[i].body);
      out[i].receipt_handle = std::move((*got)[i].receipt_handle);
    }
    return out;
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

class GrpcTransport : public Transport {
 public:
  explicit GrpcTransport(std::string target) : target_(std::move(target)) {}

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
    return std::make_unique<GrpcConnection>(*std::move(client), queue_);
  }

 private:
  const std::string target_;
  std::string queue_;
};

}  // namespace

std::unique_ptr<Transport> MakeGrpcTransport(const std::string& target) {
  return std::make_unique<GrpcTransport>(target);
}

}  // namespace cortado::bench

// StreamConsumer: a Consume stream on PushStream (push_stream.h), the
// machinery TopicClient::Listen uses too.
#include "cortado/stream_consumer.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "client/lib/client_impl.h"
#include "client/lib/convert.h"
#include "client/lib/push_stream.h"

namespace cortado::client {
namespace {

class ConsumeStream final
    : public StreamConsumer,
      private internal::PushStream<v1::ConsumeRequest, v1::ConsumeEvent> {
 public:
  explicit ConsumeStream(const std::string& target)
      : PushStream("Consume", [target](const grpc::Status& status,
                                       const grpc::ClientContext& context) {
          return internal::FromGrpcStatus(status, context, "Consume", target,
                                          /*cancelled_by_caller=*/
                                          false);
        }) {}

  ~ConsumeStream() override { Shutdown(); }

  absl::Status Open(v1::Queues::Stub* stub,
                    const StreamConsumerOptions& options,
                    absl::Duration timeout) {
    v1::ConsumeRequest request;
    v1::ConsumeStart* start = request.mutable_start();
    start->set_queue_name(options.queue);
    start->set_window(options.window);
    if (options.visibility_timeout.has_value()) {
      start->set_visibility_timeout(
          internal::ToWireSeconds(*options.visibility_timeout));
    }
    start->mutable_attribute_names()->Add(options.attribute_names.begin(),
                                          options.attribute_names.end());
    start->mutable_message_attribute_names()->Add(
        options.message_attribute_names.begin(),
        options.message_attribute_names.end());
    return PushStream::Open(stub->Consume(&context_), request, timeout);
  }

  absl::StatusOr<std::vector<Message>> Next(size_t max,
                                            absl::Duration timeout) override {
    return NextMany(max, timeout);
  }

  absl::Status Ack(const std::vector<std::string>& receipt_handles) override {
    v1::ConsumeRequest request;
    request.mutable_ack()->mutable_receipt_handles()->Add(
        receipt_handles.begin(), receipt_handles.end());
    return Write(request);
  }

  absl::Status Nack(const std::vector<std::string>& receipt_handles,
                    absl::Duration visibility_timeout) override {
    v1::ConsumeRequest request;
    v1::ConsumeNack* nack = request.mutable_nack();
    nack->mutable_receipt_handles()->Add(receipt_handles.begin(),
                                         receipt_handles.end());
    nack->set_visibility_timeout(internal::ToWireSeconds(visibility_timeout));
    return Write(request);
  }

  absl::Status Grant(int credits) override {
    v1::ConsumeRequest request;
    request.mutable_credit()->set_credits(credits);
    return Write(request);
  }

  void Close() override { PushStream::Close(); }

 private:
  void OnEvent(v1::ConsumeEvent& event) override
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (event.has_ready()) {
      MarkReady();
    } else if (event.has_delivery()) {
      for (const v1::Message& message : event.delivery().messages()) {
        Push(internal::FromProto(message));
      }
    }
  }
};

}  // namespace

absl::StatusOr<std::unique_ptr<StreamConsumer>> StreamConsumer::Open(
    Client* client, StreamConsumerOptions options) {
  if (options.queue.empty()) {
    return absl::InvalidArgumentError("StreamConsumer: the queue is required");
  }
  const Client::Impl& impl = *client->impl_;
  auto consumer = std::make_unique<ConsumeStream>(impl.target);
  absl::Status opened =
      consumer->Open(impl.stub.get(), options, impl.options.deadline);
  if (!opened.ok()) return opened;
  return std::unique_ptr<StreamConsumer>(std::move(consumer));
}

}  // namespace cortado::client

// TopicClient::Listen: a Listen stream on PushStream (push_stream.h), the
// machinery StreamConsumer uses for Queues/Consume too.
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "client/lib/convert.h"
#include "client/lib/push_stream.h"
#include "client/lib/topic_client_impl.h"
#include "cortado/topics.h"

namespace cortado::client {
namespace {

class StreamListener final
    : public Listener,
      private internal::PushStream<v1::ListenRequest, v1::ListenEvent> {
 public:
  explicit StreamListener(const TopicClient::Impl* impl)
      : PushStream("Listen",
                   [impl](const grpc::Status& status,
                          const grpc::ClientContext& context) {
                     return impl->Finish(status, context, "Listen");
                   }),
        impl_(impl) {}

  ~StreamListener() override { Shutdown(); }

  absl::Status Open(absl::string_view topic_arn, const ListenOptions& options,
                    absl::Duration timeout) {
    v1::ListenRequest request;
    v1::ListenStart* start = request.mutable_start();
    start->set_topic_arn(std::string(topic_arn));
    start->set_listener(options.listener);
    start->set_window(options.window);
    start->set_visibility_timeout(
        internal::ToWireSeconds(options.visibility_timeout));
    start->set_filter_policy(options.filter_policy);
    return PushStream::Open(impl_->stub->Listen(&context_), request, timeout);
  }

  absl::StatusOr<std::optional<Message>> Next(absl::Duration timeout) override {
    return NextOne(timeout);
  }

  absl::Status Ack(absl::string_view receipt_handle) override {
    v1::ListenRequest request;
    request.mutable_ack()->add_receipt_handles(std::string(receipt_handle));
    return Write(request);
  }

  absl::Status Grant(int credits) override {
    v1::ListenRequest request;
    request.mutable_credit()->set_credits(credits);
    return Write(request);
  }

  void Close() override { PushStream::Close(); }

  const std::string& queue_name() const override { return queue_name_; }

 private:
  void OnEvent(v1::ListenEvent& event) override
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (event.has_ready()) {
      queue_name_ = event.ready().queue_name();
      MarkReady();
    } else if (event.has_message()) {
      Push(internal::FromProto(event.message()));
    }
  }

  const TopicClient::Impl* const impl_;
  std::string queue_name_;  // set before Open returns, constant afterwards
};

}  // namespace

absl::StatusOr<std::unique_ptr<Listener>> TopicClient::Listen(
    absl::string_view topic_arn, const ListenOptions& options) {
  auto listener = std::make_unique<StreamListener>(impl_.get());
  absl::Status opened = listener->Open(topic_arn, options, impl_->deadline);
  if (!opened.ok()) return opened;
  return std::unique_ptr<Listener>(std::move(listener));
}

}  // namespace cortado::client

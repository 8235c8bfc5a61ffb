// TopicClient::Listen: a Listen stream read by one background thread into
// an inbox that Next() drains. Acks and credits are written from the
// caller's thread (gRPC allows one reader and one writer at a time).
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "client/lib/convert.h"
#include "client/lib/topic_client_impl.h"
#include "cortado/topics.h"

namespace cortado::client {
namespace {

using Stream = grpc::ClientReaderWriter<v1::ListenRequest, v1::ListenEvent>;

class StreamListener final : public Listener {
 public:
  explicit StreamListener(const TopicClient::Impl* impl) : impl_(impl) {}

  ~StreamListener() override {
    Close();
    if (reader_.joinable()) reader_.join();
  }

  absl::Status Open(absl::string_view topic_arn, const ListenOptions& options,
                    absl::Duration timeout) {
    stream_ = impl_->stub->Listen(&context_);
    v1::ListenRequest request;
    v1::ListenStart* start = request.mutable_start();
    start->set_topic_arn(std::string(topic_arn));
    start->set_listener(options.listener);
    start->set_window(options.window);
    start->set_visibility_timeout(static_cast<int32_t>(absl::ToInt64Seconds(
        absl::Ceil(options.visibility_timeout, absl::Seconds(1)))));
    start->set_filter_policy(options.filter_policy);
    // A failed write shows up as the stream's status in the reader.
    stream_->Write(request);
    reader_ = std::thread([this] { ReadLoop(); });
    absl::MutexLock lock(&mu_);
    auto ready_or_ended = [this]() ABSL_SHARED_LOCKS_REQUIRED(mu_) {
      return ready_ || ended_.has_value();
    };
    if (!mu_.AwaitWithTimeout(absl::Condition(&ready_or_ended), timeout)) {
      return absl::DeadlineExceededError("Listen: the server did not answer");
    }
    if (!ready_) return *ended_;
    return absl::OkStatus();
  }

  absl::StatusOr<std::optional<Message>> Next(absl::Duration timeout) override {
    absl::MutexLock lock(&mu_);
    auto has_news = [this]() ABSL_SHARED_LOCKS_REQUIRED(mu_) {
      return !inbox_.empty() || ended_.has_value();
    };
    mu_.AwaitWithTimeout(absl::Condition(&has_news), timeout);
    if (!inbox_.empty()) {
      Message message = std::move(inbox_.front());
      inbox_.pop_front();
      return std::optional<Message>(std::move(message));
    }
    if (ended_.has_value()) {
      if (!ended_->ok()) return *ended_;
      return absl::CancelledError("Listen: the stream has ended");
    }
    return std::optional<Message>();
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

  void Close() override { context_.TryCancel(); }

  const std::string& queue_name() const override { return queue_name_; }

 private:
  absl::Status Write(const v1::ListenRequest& request) {
    absl::MutexLock lock(&write_mu_);
    if (!stream_->Write(request)) {
      return absl::UnavailableError("Listen: the stream has ended");
    }
    return absl::OkStatus();
  }

  void ReadLoop() {
    v1::ListenEvent event;
    while (stream_->Read(&event)) {
      absl::MutexLock lock(&mu_);
      if (event.has_ready()) {
        queue_name_ = event.ready().queue_name();
        ready_ = true;
      } else if (event.has_message()) {
        inbox_.push_back(internal::FromProto(event.message()));
      }
    }
    grpc::Status status = stream_->Finish();
    absl::Status ended = impl_->Finish(status, context_, "Listen");
    absl::MutexLock lock(&mu_);
    ended_ = std::move(ended);
  }

  const TopicClient::Impl* const impl_;
  grpc::ClientContext context_;
  std::unique_ptr<Stream> stream_;
  std::thread reader_;
  std::string queue_name_;  // set before Open returns, constant afterwards

  absl::Mutex write_mu_;
  absl::Mutex mu_;
  bool ready_ ABSL_GUARDED_BY(mu_) = false;
  std::deque<Message> inbox_ ABSL_GUARDED_BY(mu_);
  std::optional<absl::Status> ended_ ABSL_GUARDED_BY(mu_);
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

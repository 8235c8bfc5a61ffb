#include "server/rpc/listen_reactor.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/route_names.h"
#include "server/core/errors.h"
#include "server/rpc/convert.h"

namespace cortado::rpc {
namespace {

constexpr int32_t kDefaultVisibilityTimeout = 30;

bool IsValidListener(const std::string& name) {
  if (name.empty() || name.size() > 60) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '-' || c == '_';
  });
}

absl::Status Invalid(absl::string_view message) {
  return MakeError(ErrorKind::kInvalidParameter, message);
}

}  // namespace

ListenReactor::ListenReactor(const BrokerResolver* resolver,
                             grpc::CallbackServerContext* context)
    : StreamReactor(context), resolver_(resolver), delivery_(this) {
  ReadNext(&request_);
}

void ListenReactor::OnReadDone(bool ok) {
  if (!ok) {  // the client closed its side (or the stream broke)
    End(absl::OkStatus());
    return;
  }
  bool started;
  {
    absl::MutexLock lock(&mu_);
    started = started_;
  }
  switch (request_.request_case()) {
    case v1::ListenRequest::kStart:
      HandleStart(request_.start());
      break;
    case v1::ListenRequest::kCredit:
      if (!started) {
        End(Invalid("The first message of Listen must be ListenStart."));
        return;
      }
      delivery_.Grant(request_.credit().credits());
      break;
    case v1::ListenRequest::kAck:
      if (!started) break;  // nothing was delivered yet
      delivery_.Ack({request_.ack().receipt_handles().begin(),
                     request_.ack().receipt_handles().end()});
      break;
    case v1::ListenRequest::REQUEST_NOT_SET:
      End(Invalid("Empty ListenRequest."));
      return;
  }
  ReadNext(&request_);
}

void ListenReactor::HandleStart(const v1::ListenStart& start) {
  absl::Status invalid;
  if (start.topic_arn().empty()) {
    invalid = MakeError(ErrorKind::kMissingParameter,
                        "The request must contain the parameter TopicArn.");
  } else if (!IsValidListener(start.listener())) {
    invalid =
        Invalid("Invalid parameter: listener must be 1-60 of [A-Za-z0-9_-].");
  } else if (start.window() < 1 || start.window() > kMaxDeliveryWindow) {
    invalid = Invalid("Invalid parameter: window must be 1-1000.");
  } else if (start.visibility_timeout() < 0 ||
             start.visibility_timeout() > kMaxVisibilityTimeoutSeconds) {
    invalid = Invalid("Invalid parameter: visibility_timeout must be 0-43200.");
  }
  {
    absl::MutexLock lock(&mu_);
    if (started_) invalid = Invalid("ListenStart was already sent.");
  }
  std::shared_ptr<Broker> broker;
  if (invalid.ok()) {
    absl::StatusOr<std::shared_ptr<Broker>> found =
        resolver_->BrokerFor(NameInArn(start.topic_arn()));
    invalid = found.status();
    if (found.ok()) broker = *std::move(found);
  }
  // The topic must exist before a queue is created for it.
  if (invalid.ok()) {
    invalid = broker->GetTopicAttributes(start.topic_arn()).status();
  }
  if (!invalid.ok()) {
    End(invalid);
    return;
  }
  {
    absl::MutexLock lock(&mu_);
    started_ = true;
    broker_ = broker;
    topic_arn_ = start.topic_arn();
    settings_.queue = absl::StrCat("listen-", start.listener());
    settings_.window = start.window();
    settings_.visibility_timeout = start.visibility_timeout() == 0
                                       ? kDefaultVisibilityTimeout
                                       : start.visibility_timeout();
    settings_.attribute_names = {"All"};
    settings_.message_attribute_names = {"All"};
  }
  CreateQueue(start.filter_policy());
}

void ListenReactor::CreateQueue(std::string filter_policy) {
  CreateQueueRequest request;
  std::shared_ptr<Broker> broker;
  {
    absl::MutexLock lock(&mu_);
    request.queue_name = settings_.queue;
    broker = broker_;
  }
  Hold();
  broker->CreateQueue(std::move(request),
                      [this, filter_policy = std::move(filter_policy)](
                          absl::StatusOr<QueueRecord> created) mutable {
                        if (!created.ok()) {
                          End(created.status());
                        } else {
                          SubscribeQueue(std::move(filter_policy));
                        }
                        Release();
                      });
}

void ListenReactor::SubscribeQueue(std::string filter_policy) {
  SubscribeRequest request;
  std::shared_ptr<Broker> broker;
  {
    absl::MutexLock lock(&mu_);
    request.topic_arn = topic_arn_;
    request.endpoint = broker_->QueueArn(settings_.queue);
    broker = broker_;
  }
  request.protocol = "sqs";
  request.attributes["RawMessageDelivery"] = "true";
  if (!filter_policy.empty())
    request.attributes["FilterPolicy"] = filter_policy;
  Hold();
  broker->Subscribe(
      std::move(request),
      [this, broker](absl::StatusOr<std::string> subscribed) {
        if (!subscribed.ok()) {
          End(subscribed.status());
        } else {
          v1::ListenEvent event;
          DeliverySettings settings;
          {
            absl::MutexLock lock(&mu_);
            settings = settings_;
          }
          event.mutable_ready()->set_queue_name(settings.queue);
          event.mutable_ready()->set_subscription_arn(*subscribed);
          Send(std::move(event));
          // After End() (the client left meanwhile) this does nothing.
          if (!ended()) delivery_.Start(broker, std::move(settings));
        }
        Release();
      });
}

void ListenReactor::Deliver(std::vector<ReceivedMessage> messages) {
  for (const ReceivedMessage& message : messages) {
    v1::ListenEvent event;
    ToProto(message, event.mutable_message());
    Send(std::move(event));
  }
}

}  // namespace cortado::rpc

#include "server/rpc/listen_reactor.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "server/core/errors.h"
#include "server/rpc/convert.h"
#include "server/rpc/status_mapping.h"

namespace cortado::rpc {
namespace {

constexpr int32_t kMaxWindow = 1000;
constexpr int32_t kDefaultVisibilityTimeout = 30;
// A parked receive is renewed this often; publishes wake it at once.
constexpr int32_t kWaitSeconds = 20;

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

ListenReactor::ListenReactor(Broker* broker,
                             grpc::CallbackServerContext* context)
    : broker_(broker), context_(context) {
  StartRead(&request_);
}

void ListenReactor::OnReadDone(bool ok) {
  if (!ok) {  // the client closed its side (or the stream broke)
    End(absl::OkStatus());
    return;
  }
  switch (request_.request_case()) {
    case v1::ListenRequest::kStart:
      HandleStart(request_.start());
      break;
    case v1::ListenRequest::kCredit: {
      bool started;
      {
        absl::MutexLock lock(&mu_);
        started = started_;
        if (started) {
          window_ =
              std::clamp(window_ + std::max(0, request_.credit().credits()), 1,
                         kMaxWindow);
        }
      }
      if (!started) {
        End(Invalid("The first message of Listen must be ListenStart."));
        return;
      }
      Pump();
      break;
    }
    case v1::ListenRequest::kAck:
      HandleAck(request_.ack());
      break;
    case v1::ListenRequest::REQUEST_NOT_SET:
      End(Invalid("Empty ListenRequest."));
      return;
  }
  absl::MutexLock lock(&mu_);
  if (!ended_) StartRead(&request_);
}

void ListenReactor::HandleStart(const v1::ListenStart& start) {
  absl::Status invalid;
  if (start.topic_arn().empty()) {
    invalid = MakeError(ErrorKind::kMissingParameter,
                        "The request must contain the parameter TopicArn.");
  } else if (!IsValidListener(start.listener())) {
    invalid =
        Invalid("Invalid parameter: listener must be 1-60 of [A-Za-z0-9_-].");
  } else if (start.window() < 1 || start.window() > kMaxWindow) {
    invalid = Invalid("Invalid parameter: window must be 1-1000.");
  } else if (start.visibility_timeout() < 0 ||
             start.visibility_timeout() > kMaxVisibilityTimeoutSeconds) {
    invalid = Invalid("Invalid parameter: visibility_timeout must be 0-43200.");
  }
  {
    absl::MutexLock lock(&mu_);
    if (started_) invalid = Invalid("ListenStart was already sent.");
  }
  // The topic must exist before a queue is created for it.
  if (invalid.ok()) {
    invalid = broker_->GetTopicAttributes(start.topic_arn()).status();
  }
  if (!invalid.ok()) {
    End(invalid);
    return;
  }
  {
    absl::MutexLock lock(&mu_);
    started_ = true;
    topic_arn_ = start.topic_arn();
    queue_ = absl::StrCat("listen-", start.listener());
    window_ = start.window();
    visibility_timeout_ = start.visibility_timeout() == 0
                              ? kDefaultVisibilityTimeout
                              : start.visibility_timeout();
  }
  CreateQueue(start.filter_policy());
}

void ListenReactor::CreateQueue(std::string filter_policy) {
  CreateQueueRequest request;
  {
    absl::MutexLock lock(&mu_);
    request.queue_name = queue_;
    ++outstanding_;
  }
  broker_->CreateQueue(std::move(request),
                       [this, filter_policy = std::move(filter_policy)](
                           absl::StatusOr<QueueRecord> created) mutable {
                         if (!created.ok()) {
                           End(created.status());
                         } else {
                           SubscribeQueue(std::move(filter_policy));
                         }
                         CallDone();
                       });
}

void ListenReactor::SubscribeQueue(std::string filter_policy) {
  SubscribeRequest request;
  {
    absl::MutexLock lock(&mu_);
    request.topic_arn = topic_arn_;
    request.endpoint = broker_->QueueArn(queue_);
    ++outstanding_;
  }
  request.protocol = "sqs";
  request.attributes["RawMessageDelivery"] = "true";
  if (!filter_policy.empty())
    request.attributes["FilterPolicy"] = filter_policy;
  broker_->Subscribe(
      std::move(request), [this](absl::StatusOr<std::string> subscribed) {
        if (!subscribed.ok()) {
          End(subscribed.status());
        } else {
          v1::ListenEvent event;
          {
            absl::MutexLock lock(&mu_);
            subscription_arn_ = *subscribed;
            ready_ = true;
            event.mutable_ready()->set_queue_name(queue_);
            event.mutable_ready()->set_subscription_arn(*subscribed);
          }
          Send(std::move(event));
          Pump();
        }
        CallDone();
      });
}

void ListenReactor::HandleAck(const v1::ListenAck& ack) {
  std::string queue;
  {
    absl::MutexLock lock(&mu_);
    if (!ready_) return;  // nothing was delivered yet
    queue = queue_;
  }
  for (const std::string& handle : ack.receipt_handles()) {
    {
      absl::MutexLock lock(&mu_);
      unacked_.erase(handle);
      ++outstanding_;
    }
    // An unknown or stale handle fails in the broker; the message then
    // comes back after its visibility timeout, which is what the client
    // asked for by not acknowledging it in time.
    broker_->DeleteMessage(queue, handle,
                           [this](absl::StatusOr<Empty>) { CallDone(); });
  }
  Pump();
}

void ListenReactor::Pump() {
  ReceiveMessageRequest request;
  {
    absl::MutexLock lock(&mu_);
    const int32_t room = window_ - static_cast<int32_t>(unacked_.size());
    if (!ready_ || ended_ || receiving_ || room <= 0) return;
    receiving_ = true;
    ++outstanding_;
    request.queue_name = queue_;
    request.max_number_of_messages = std::min(room, 10);
    request.visibility_timeout = visibility_timeout_;
  }
  request.wait_time_seconds = kWaitSeconds;
  request.system_attribute_names = {"All"};
  request.message_attribute_names = {"All"};
  const uint64_t id = broker_->ReceiveMessage(
      std::move(request), [this](absl::StatusOr<ReceiveMessageResult> result) {
        OnReceived(std::move(result));
        CallDone();
      });
  bool cancel;
  {
    absl::MutexLock lock(&mu_);
    receive_id_ = id;
    // End() ran while the receive was being submitted and could not know
    // its id; still answered (not parked)? Then this does nothing.
    cancel = ended_ && receiving_;
  }
  if (cancel) broker_->CancelReceive(id);
}

void ListenReactor::OnReceived(absl::StatusOr<ReceiveMessageResult> result) {
  if (!result.ok()) {
    {
      absl::MutexLock lock(&mu_);
      receiving_ = false;
    }
    End(result.status());
    return;
  }
  std::vector<v1::ListenEvent> events;
  std::vector<std::string> late;  // arrived after the stream ended
  std::string queue;
  {
    absl::MutexLock lock(&mu_);
    receiving_ = false;
    queue = queue_;
    for (const ReceivedMessage& message : result->messages) {
      if (ended_) {
        late.push_back(message.receipt_handle);
        continue;
      }
      unacked_.insert(message.receipt_handle);
      ToProto(message, events.emplace_back().mutable_message());
    }
    outstanding_ += late.size();
  }
  for (const std::string& handle : late) {
    broker_->ChangeMessageVisibility(
        queue, handle, 0, [this](absl::StatusOr<Empty>) { CallDone(); });
  }
  for (v1::ListenEvent& event : events) Send(std::move(event));
  Pump();
}

void ListenReactor::Send(v1::ListenEvent event) {
  const v1::ListenEvent* next = nullptr;
  {
    absl::MutexLock lock(&mu_);
    if (ended_) return;
    outbox_.push_back(std::move(event));
    if (writing_) return;
    writing_ = true;
    next = &outbox_.front();  // deque: stays valid while others are added
  }
  StartWrite(next);
}

void ListenReactor::OnWriteDone(bool ok) {
  const v1::ListenEvent* next = nullptr;
  std::optional<grpc::Status> finish;
  {
    absl::MutexLock lock(&mu_);
    outbox_.pop_front();
    writing_ = false;
    if (pending_finish_.has_value()) {
      finish = std::move(pending_finish_);
      pending_finish_.reset();
    } else if (ok && !ended_ && !outbox_.empty()) {
      writing_ = true;
      next = &outbox_.front();
    }
  }
  if (finish.has_value()) {
    Finish(*finish);
  } else if (next != nullptr) {
    StartWrite(next);
  } else if (!ok) {
    End(absl::OkStatus());  // the client is gone
  }
}

void ListenReactor::End(const absl::Status& status) {
  std::vector<std::string> release;
  std::string queue;
  bool cancel_receive = false;
  uint64_t receive_id = 0;
  std::optional<grpc::Status> finish_now;
  {
    absl::MutexLock lock(&mu_);
    if (ended_) return;
    ended_ = true;
    release.assign(unacked_.begin(), unacked_.end());
    unacked_.clear();
    queue = queue_;
    cancel_receive = receiving_;
    receive_id = receive_id_;
    // Unsent events are dropped; their messages are released below. The
    // one being written must stay alive until OnWriteDone.
    while (outbox_.size() > (writing_ ? 1u : 0u)) outbox_.pop_back();
    outstanding_ += release.size();
    // Under mu_ so OnWriteDone cannot miss the deferred Finish. (It only
    // adds trailing metadata to the context; no callback runs.)
    grpc::Status grpc_status = ToGrpcStatus(status, context_);
    if (writing_) {
      pending_finish_ = std::move(grpc_status);
    } else {
      finish_now = std::move(grpc_status);
    }
  }
  // The parked receive ends first (broker operations run in submission
  // order), so it cannot take the messages released next.
  if (cancel_receive) broker_->CancelReceive(receive_id);
  // The unacknowledged messages become visible at once for the next
  // connection instead of after their visibility timeout.
  for (const std::string& handle : release) {
    broker_->ChangeMessageVisibility(
        queue, handle, 0, [this](absl::StatusOr<Empty>) { CallDone(); });
  }
  if (finish_now.has_value()) Finish(*finish_now);
}

void ListenReactor::OnCancel() {
  End(absl::CancelledError("The client cancelled the stream."));
}

void ListenReactor::OnDone() {
  bool last;
  {
    absl::MutexLock lock(&mu_);
    done_ = true;
    last = outstanding_ == 0;
  }
  if (last) delete this;
}

void ListenReactor::CallDone() {
  bool last;
  {
    absl::MutexLock lock(&mu_);
    --outstanding_;
    last = done_ && outstanding_ == 0;
  }
  if (last) delete this;
}

}  // namespace cortado::rpc

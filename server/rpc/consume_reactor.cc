#include "server/rpc/consume_reactor.h"

#include <utility>

#include "server/core/errors.h"
#include "server/core/queue_attributes.h"
#include "server/rpc/convert.h"

namespace cortado::rpc {
namespace {

absl::Status Invalid(absl::string_view message) {
  return MakeError(ErrorKind::kInvalidParameterValue, message);
}

// A delivery event grows to at most this many messages when coalesced.
constexpr int kMaxMessagesPerEvent = 100;

}  // namespace

ConsumeReactor::ConsumeReactor(const BrokerResolver* resolver,
                               grpc::CallbackServerContext* context)
    : StreamReactor(context), resolver_(resolver), delivery_(this) {
  ReadNext(&request_);
}

void ConsumeReactor::OnReadDone(bool ok) {
  if (!ok) {  // the client closed its side (or the stream broke)
    End(absl::OkStatus());
    return;
  }
  absl::Status error;
  if (request_.request_case() == v1::ConsumeRequest::kStart) {
    error = HandleStart(request_.start());
  } else if (!started_) {
    error = Invalid("The first message of Consume must be ConsumeStart.");
  } else {
    switch (request_.request_case()) {
      case v1::ConsumeRequest::kCredit:
        delivery_.Grant(request_.credit().credits());
        break;
      case v1::ConsumeRequest::kAck: {
        auto* handles = request_.mutable_ack()->mutable_receipt_handles();
        delivery_.Ack({std::make_move_iterator(handles->begin()),
                       std::make_move_iterator(handles->end())});
        break;
      }
      case v1::ConsumeRequest::kNack: {
        const int32_t timeout = request_.nack().visibility_timeout();
        if (timeout < 0 || timeout > kMaxVisibilityTimeoutSeconds) {
          error =
              Invalid("Invalid parameter: visibility_timeout must be 0-43200.");
          break;
        }
        auto* handles = request_.mutable_nack()->mutable_receipt_handles();
        delivery_.Nack({std::make_move_iterator(handles->begin()),
                        std::make_move_iterator(handles->end())},
                       timeout);
        break;
      }
      default:
        error = Invalid("Empty ConsumeRequest.");
        break;
    }
  }
  if (!error.ok()) {
    End(error);
    return;
  }
  ReadNext(&request_);
}

absl::Status ConsumeReactor::HandleStart(const v1::ConsumeStart& start) {
  if (started_) return Invalid("ConsumeStart was already sent.");
  if (start.queue_name().empty()) {
    return MakeError(ErrorKind::kMissingParameter,
                     "The request must contain the parameter QueueName.");
  }
  if (start.window() < 1 || start.window() > kMaxDeliveryWindow) {
    return Invalid("Invalid parameter: window must be 1-1000.");
  }
  if (start.has_visibility_timeout() &&
      (start.visibility_timeout() < 0 ||
       start.visibility_timeout() > kMaxVisibilityTimeoutSeconds)) {
    return Invalid("Invalid parameter: visibility_timeout must be 0-43200.");
  }
  absl::StatusOr<std::shared_ptr<Broker>> broker =
      resolver_->BrokerFor(start.queue_name());
  if (!broker.ok()) return broker.status();
  // QueueDoesNotExist now rather than from the first receive.
  if (absl::Status exists = (*broker)->GetQueue(start.queue_name());
      !exists.ok()) {
    return exists;
  }
  started_ = true;
  DeliverySettings settings;
  settings.queue = start.queue_name();
  settings.window = start.window();
  if (start.has_visibility_timeout()) {
    settings.visibility_timeout = start.visibility_timeout();
  }
  settings.attribute_names.assign(start.attribute_names().begin(),
                                  start.attribute_names().end());
  settings.message_attribute_names.assign(
      start.message_attribute_names().begin(),
      start.message_attribute_names().end());
  v1::ConsumeEvent ready;
  ready.mutable_ready()->set_queue_name(start.queue_name());
  Send(std::move(ready));
  delivery_.Start(*std::move(broker), std::move(settings));
  return absl::OkStatus();
}

void ConsumeReactor::Deliver(std::vector<ReceivedMessage> messages) {
  v1::ConsumeEvent event;
  v1::ConsumeDelivery* delivery = event.mutable_delivery();
  delivery->mutable_messages()->Reserve(static_cast<int>(messages.size()));
  for (const ReceivedMessage& message : messages) {
    ToProto(message, delivery->add_messages());
  }
  Send(std::move(event));
}

bool ConsumeReactor::Coalesce(v1::ConsumeEvent& queued,
                              v1::ConsumeEvent& next) {
  if (!queued.has_delivery() || !next.has_delivery()) return false;
  auto* into = queued.mutable_delivery()->mutable_messages();
  auto* from = next.mutable_delivery()->mutable_messages();
  if (into->size() + from->size() > kMaxMessagesPerEvent) return false;
  for (v1::Message& message : *from) into->Add(std::move(message));
  return true;
}

}  // namespace cortado::rpc

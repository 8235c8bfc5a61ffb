// ReceiveMessage: QueueUrl, AttributeNames ∪ MessageSystemAttributeNames,
// MessageAttributeNames, MaxNumberOfMessages, VisibilityTimeout,
// WaitTimeSeconds, ReceiveRequestAttemptId -> Messages (XML <Message>).
// Long polls park in the broker; `done` runs when it answers.
#include "gateway/actions/action.h"

namespace cortado::gateway {
namespace {

Output EncodeMessage(const ReceivedMessage& message) {
  Output out = Output::Object();
  out.Add("MessageId", Output::String(message.message_id));
  out.Add("ReceiptHandle", Output::String(message.receipt_handle));
  out.Add("MD5OfBody", Output::String(message.md5_of_body));
  out.Add("Body", Output::String(message.body));
  if (!message.attributes.empty()) {
    out.Add("Attributes", "Attribute",
            Output::StringMap(message.attributes, "Name", "Value"));
  }
  if (!message.message_attributes.empty()) {
    out.Add("MD5OfMessageAttributes",
            Output::String(message.md5_of_message_attributes));
    out.Add("MessageAttributes", "MessageAttribute",
            EncodeMessageAttributes(message.message_attributes));
  }
  return out;
}

}  // namespace

void ReceiveMessage(const ActionContext& context, const Params& params,
                    ActionDone done) {
  absl::StatusOr<std::string> queue = context.QueueName(params);
  if (!queue.ok()) return std::move(done)(queue.status());
  ReceiveMessageRequest request;
  request.queue_name = *queue;
  absl::StatusOr<std::optional<int32_t>> max =
      params.Int("MaxNumberOfMessages");
  if (!max.ok()) return std::move(done)(max.status());
  request.max_number_of_messages = max->value_or(1);
  absl::StatusOr<std::optional<int32_t>> visibility =
      params.Int("VisibilityTimeout");
  if (!visibility.ok()) return std::move(done)(visibility.status());
  request.visibility_timeout = *visibility;
  absl::StatusOr<std::optional<int32_t>> wait = params.Int("WaitTimeSeconds");
  if (!wait.ok()) return std::move(done)(wait.status());
  request.wait_time_seconds = *wait;
  request.system_attribute_names =
      params.List("AttributeNames", "AttributeName");
  for (std::string& name : params.List("MessageSystemAttributeNames",
                                       "MessageSystemAttributeName")) {
    request.system_attribute_names.push_back(std::move(name));
  }
  request.message_attribute_names =
      params.List("MessageAttributeNames", "MessageAttributeName");
  request.receive_request_attempt_id =
      params.String("ReceiveRequestAttemptId").value_or("");
  Broker* broker = context.broker;
  const uint64_t receive_id = broker->ReceiveMessage(
      std::move(request),
      OnConnection<ReceiveMessageResult>(
          context, [done = std::move(done)](
                       absl::StatusOr<ReceiveMessageResult> result) mutable {
            if (!result.ok()) return std::move(done)(result.status());
            Output out = Output::Object();
            if (!result->messages.empty()) {
              Output messages = Output::List();
              for (const ReceivedMessage& message : result->messages) {
                messages.Append(EncodeMessage(message));
              }
              out.Add("Messages", "Message", std::move(messages));
            }
            std::move(done)(std::move(out));
          }));
  // A client that hangs up during its long poll must not leave a waiter
  // behind to take (and hide) the next message.
  if (context.client_gone != nullptr && receive_id != 0) {
    context.client_gone->OnClientGone(
        [broker, receive_id] { broker->CancelReceive(receive_id); });
  }
}

}  // namespace cortado::gateway

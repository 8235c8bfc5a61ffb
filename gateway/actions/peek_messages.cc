// PeekMessages (a Cortado extension, docs/CONSOLE.md): QueueUrl,
// MaxNumberOfMessages (1-100, default 10), NextToken -> Messages (XML
// <Message>) with every system and user attribute, ReceiveCount, State,
// SentTimestamp and VisibleAt (Unix milliseconds), and NextToken while more
// follow, and the queue's OldestMessageTimestamp. Changes nothing: no receipt
// handle, no visibility, no receive. Reached as X-Amz-Target:
// Cortado.PeekMessages (JSON) or Action=PeekMessages (query), through the same
// authentication as SQS's actions.
#include "gateway/actions/action.h"

namespace cortado::gateway {
namespace {

Output EncodePeeked(const PeekedMessage& message) {
  Output out = Output::Object();
  out.Add("MessageId", Output::String(message.message_id));
  out.Add("MD5OfBody", Output::String(message.md5_of_body));
  out.Add("Body", Output::String(message.body));
  out.Add("ReceiveCount", Output::Number(message.receive_count));
  out.Add("State", Output::String(message.state));
  out.Add("SentTimestamp", Output::Number(absl::ToUnixMillis(message.sent)));
  out.Add("VisibleAt", Output::Number(absl::ToUnixMillis(message.visible_at)));
  if (!message.attributes.empty()) {
    out.Add("Attributes", "Attribute",
            Output::StringMap(message.attributes, "Name", "Value"));
  }
  if (!message.message_attributes.empty()) {
    out.Add("MessageAttributes", "MessageAttribute",
            EncodeMessageAttributes(message.message_attributes));
  }
  return out;
}

}  // namespace

void PeekMessages(const ActionContext& context, const Params& params,
                  ActionDone done) {
  absl::StatusOr<std::string> queue = context.QueueName(params);
  if (!queue.ok()) return std::move(done)(queue.status());
  PeekMessagesRequest request;
  request.queue_name = *queue;
  absl::StatusOr<std::optional<int32_t>> max =
      params.Int("MaxNumberOfMessages");
  if (!max.ok()) return std::move(done)(max.status());
  request.max_messages = max->value_or(0);
  request.next_token = params.String("NextToken").value_or("");
  absl::StatusOr<PeekMessagesResult> result =
      context.broker->PeekMessages(request);
  if (!result.ok()) return std::move(done)(result.status());
  Output messages = Output::List();
  for (const PeekedMessage& message : result->messages) {
    messages.Append(EncodePeeked(message));
  }
  Output out = Output::Object();
  out.Add("Messages", "Message", std::move(messages));
  if (!result->next_token.empty()) {
    out.Add("NextToken", Output::String(result->next_token));
  }
  if (result->oldest_message.has_value()) {
    out.Add("OldestMessageTimestamp",
            Output::Number(absl::ToUnixMillis(*result->oldest_message)));
  }
  std::move(done)(std::move(out));
}

}  // namespace cortado::gateway

#include "gateway/actions/send_entry.h"

#include "server/core/errors.h"

namespace cortado::gateway {

absl::StatusOr<SendMessageEntry> ParseSendEntry(const ActionContext& context,
                                                const Params& params) {
  SendMessageEntry entry;
  entry.id = params.String("Id").value_or("");
  absl::StatusOr<std::string> body = params.RequiredString("MessageBody");
  if (!body.ok()) return body.status();
  entry.body = *std::move(body);
  absl::StatusOr<std::optional<int32_t>> delay = params.Int("DelaySeconds");
  if (!delay.ok()) return delay.status();
  entry.delay_seconds = *delay;
  absl::StatusOr<MessageAttributes> attributes =
      params.Attributes("MessageAttributes", "MessageAttribute");
  if (!attributes.ok()) return attributes.status();
  entry.attributes = *std::move(attributes);
  absl::StatusOr<MessageAttributes> system_attributes =
      params.Attributes("MessageSystemAttributes", "MessageSystemAttribute");
  if (!system_attributes.ok()) return system_attributes.status();
  entry.system_attributes = *std::move(system_attributes);
  entry.message_group_id = params.String("MessageGroupId").value_or("");
  entry.message_deduplication_id =
      params.String("MessageDeduplicationId").value_or("");
  entry.sender_id = context.sender_id;
  return entry;
}

void EncodeSendResult(const SendMessageResult& result, Output& out) {
  out.Add("MessageId", Output::String(result.message_id));
  out.Add("MD5OfMessageBody", Output::String(result.md5_of_message_body));
  if (!result.md5_of_message_attributes.empty()) {
    out.Add("MD5OfMessageAttributes",
            Output::String(result.md5_of_message_attributes));
  }
  if (!result.md5_of_message_system_attributes.empty()) {
    out.Add("MD5OfMessageSystemAttributes",
            Output::String(result.md5_of_message_system_attributes));
  }
  if (!result.sequence_number.empty()) {
    out.Add("SequenceNumber", Output::String(result.sequence_number));
  }
}

}  // namespace cortado::gateway

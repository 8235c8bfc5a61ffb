#include <utility>

#include "absl/strings/str_cat.h"
#include "gateway/sns/sns_action.h"
#include "server/core/errors.h"

namespace cortado::gateway::sns {

absl::StatusOr<PublishEntry> ParsePublishEntry(const Params& params) {
  PublishEntry entry;
  absl::StatusOr<std::string> message = Required(params, "Message");
  if (!message.ok()) return message.status();
  entry.message = *std::move(message);
  entry.subject = params.String("Subject").value_or("");
  entry.message_structure = params.String("MessageStructure").value_or("");
  entry.message_group_id = params.String("MessageGroupId").value_or("");
  entry.message_deduplication_id =
      params.String("MessageDeduplicationId").value_or("");
  absl::StatusOr<MessageAttributes> attributes = MessageAttributesParam(params);
  if (!attributes.ok()) return attributes.status();
  entry.attributes = *std::move(attributes);
  return entry;
}

// Publish: TopicArn (or TargetArn), Message, Subject, MessageStructure,
// MessageAttributes.entry.N, MessageGroupId, MessageDeduplicationId ->
// MessageId, SequenceNumber (FIFO).
void Publish(const ActionContext& context, const Params& params,
             ActionDone done) {
  std::optional<std::string> arn = params.String("TopicArn");
  if (!arn.has_value()) arn = params.String("TargetArn");
  if (!arn.has_value()) {
    // SMS (PhoneNumber) and platform endpoints are not part of Cortado.
    return std::move(done)(MakeError(
        ErrorKind::kInvalidParameter,
        params.String("PhoneNumber").has_value()
            ? "Invalid parameter: PhoneNumber Reason: SMS is not supported"
            : "Invalid parameter: TopicArn or TargetArn Reason: no value for "
              "required parameter"));
  }
  absl::StatusOr<PublishEntry> entry = ParsePublishEntry(params);
  if (!entry.ok()) return std::move(done)(entry.status());
  context.broker->Publish(
      *std::move(arn), *std::move(entry),
      OnConnection<PublishResult>(
          context, [done = std::move(done)](
                       absl::StatusOr<PublishResult> result) mutable {
            if (!result.ok()) return std::move(done)(result.status());
            Output out = Output::Object();
            out.Add("MessageId", Output::String(result->message_id));
            if (!result->sequence_number.empty()) {
              out.Add("SequenceNumber",
                      Output::String(result->sequence_number));
            }
            std::move(done)(std::move(out));
          }));
}

}  // namespace cortado::gateway::sns

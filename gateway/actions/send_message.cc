// SendMessage: QueueUrl, MessageBody, DelaySeconds, MessageAttributes,
// MessageSystemAttributes, MessageDeduplicationId, MessageGroupId ->
// MessageId, MD5OfMessageBody, MD5OfMessageAttributes?,
// MD5OfMessageSystemAttributes?, SequenceNumber?.
#include "gateway/actions/action.h"
#include "gateway/actions/send_entry.h"

namespace cortado::gateway {

void SendMessage(const ActionContext& context, const Params& params,
                 ActionDone done) {
  absl::StatusOr<std::string> queue = context.QueueName(params);
  if (!queue.ok()) return std::move(done)(queue.status());
  absl::StatusOr<SendMessageEntry> entry = ParseSendEntry(context, params);
  if (!entry.ok()) return std::move(done)(entry.status());
  context.broker->SendMessage(
      *queue, *std::move(entry),
      OnConnection<SendMessageResult>(
          context, [done = std::move(done)](
                       absl::StatusOr<SendMessageResult> sent) mutable {
            if (!sent.ok()) return std::move(done)(sent.status());
            Output out = Output::Object();
            EncodeSendResult(*sent, out);
            std::move(done)(std::move(out));
          }));
}

}  // namespace cortado::gateway

// ChangeMessageVisibility: QueueUrl, ReceiptHandle, VisibilityTimeout ->
// (no output).
#include "gateway/actions/action.h"

namespace cortado::gateway {

void ChangeMessageVisibility(const ActionContext& context, const Params& params,
                             ActionDone done) {
  absl::StatusOr<std::string> queue = context.QueueName(params);
  if (!queue.ok()) return std::move(done)(queue.status());
  absl::StatusOr<std::string> handle = params.RequiredString("ReceiptHandle");
  if (!handle.ok()) return std::move(done)(handle.status());
  absl::StatusOr<std::optional<int32_t>> timeout =
      params.Int("VisibilityTimeout");
  if (!timeout.ok()) return std::move(done)(timeout.status());
  if (!timeout->has_value()) {
    return std::move(done)(MissingParameterError("VisibilityTimeout"));
  }
  context.broker->ChangeMessageVisibility(
      *queue, *std::move(handle), **timeout,
      EmptyResult(context, std::move(done)));
}

}  // namespace cortado::gateway

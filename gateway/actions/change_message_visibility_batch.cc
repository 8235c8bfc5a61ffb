// ChangeMessageVisibilityBatch: QueueUrl, Entries (query
// ChangeMessageVisibilityBatchRequestEntry.N: Id, ReceiptHandle,
// VisibilityTimeout) -> Successful, Failed.
#include "gateway/actions/action.h"

namespace cortado::gateway {

void ChangeMessageVisibilityBatch(const ActionContext& context,
                                  const Params& params, ActionDone done) {
  absl::StatusOr<std::string> queue = context.QueueName(params);
  if (!queue.ok()) return std::move(done)(queue.status());
  absl::StatusOr<std::vector<BatchHandleEntry>> entries = ParseHandleEntries(
      params, "ChangeMessageVisibilityBatchRequestEntry", true);
  if (!entries.ok()) return std::move(done)(entries.status());
  context.broker->ChangeMessageVisibilityBatch(
      *queue, *std::move(entries),
      OnConnection<BatchResult>(
          context,
          [done = std::move(done)](absl::StatusOr<BatchResult> result) mutable {
            if (!result.ok()) return std::move(done)(result.status());
            std::move(done)(
                EncodeHandleBatch(*result, "ChangeMessageVisibilityBatch"));
          }));
}

}  // namespace cortado::gateway

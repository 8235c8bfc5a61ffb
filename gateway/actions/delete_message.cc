// DeleteMessage: QueueUrl, ReceiptHandle -> (no output).
#include "gateway/actions/action.h"

namespace cortado::gateway {

void DeleteMessage(const ActionContext& context, const Params& params,
                   ActionDone done) {
  absl::StatusOr<std::string> queue = context.QueueName(params);
  if (!queue.ok()) return std::move(done)(queue.status());
  absl::StatusOr<std::string> handle = params.RequiredString("ReceiptHandle");
  if (!handle.ok()) return std::move(done)(handle.status());
  context.broker->DeleteMessage(*queue, *std::move(handle),
                                EmptyResult(context, std::move(done)));
}

}  // namespace cortado::gateway

// DeleteQueue: QueueUrl -> (no output).
#include "gateway/actions/action.h"

namespace cortado::gateway {

void DeleteQueue(const ActionContext& context, const Params& params,
                 ActionDone done) {
  absl::StatusOr<std::string> queue = context.QueueName(params);
  if (!queue.ok()) return std::move(done)(queue.status());
  context.broker->DeleteQueue(*queue, EmptyResult(context, std::move(done)));
}

}  // namespace cortado::gateway

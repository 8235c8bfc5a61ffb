// UntagQueue: QueueUrl, TagKeys -> (no output).
#include "gateway/actions/action.h"

namespace cortado::gateway {

void UntagQueue(const ActionContext& context, const Params& params,
                ActionDone done) {
  absl::StatusOr<std::string> queue = context.QueueName(params);
  if (!queue.ok()) return std::move(done)(queue.status());
  std::vector<std::string> keys = params.List("TagKeys", "TagKey");
  if (keys.empty()) return std::move(done)(MissingParameterError("TagKeys"));
  context.broker->UntagQueue(*queue, std::move(keys),
                             EmptyResult(context, std::move(done)));
}

}  // namespace cortado::gateway

// TagQueue: QueueUrl, Tags -> (no output).
#include "gateway/actions/action.h"

namespace cortado::gateway {

void TagQueue(const ActionContext& context, const Params& params,
              ActionDone done) {
  absl::StatusOr<std::string> queue = context.QueueName(params);
  if (!queue.ok()) return std::move(done)(queue.status());
  TagMap tags = params.Map("Tags", "Tag", "Key", "Value");
  if (tags.empty()) return std::move(done)(MissingParameterError("Tags"));
  context.broker->TagQueue(*queue, std::move(tags),
                           EmptyResult(context, std::move(done)));
}

}  // namespace cortado::gateway

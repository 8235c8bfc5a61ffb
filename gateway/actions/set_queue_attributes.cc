// SetQueueAttributes: QueueUrl, Attributes -> (no output).
#include "gateway/actions/action.h"

namespace cortado::gateway {

void SetQueueAttributes(const ActionContext& context, const Params& params,
                        ActionDone done) {
  absl::StatusOr<std::string> queue = context.QueueName(params);
  if (!queue.ok()) return std::move(done)(queue.status());
  AttributeMap attributes =
      params.Map("Attributes", "Attribute", "Name", "Value");
  if (attributes.empty()) {
    return std::move(done)(MissingParameterError("Attribute.1.Name"));
  }
  context.broker->SetQueueAttributes(*queue, std::move(attributes),
                                     EmptyResult(context, std::move(done)));
}

}  // namespace cortado::gateway

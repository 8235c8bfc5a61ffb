// GetQueueAttributes: QueueUrl, AttributeNames -> Attributes (XML:
// flattened <Attribute><Name/><Value/></Attribute>).
#include "gateway/actions/action.h"

namespace cortado::gateway {

void GetQueueAttributes(const ActionContext& context, const Params& params,
                        ActionDone done) {
  absl::StatusOr<std::string> queue = context.QueueName(params);
  if (!queue.ok()) return std::move(done)(queue.status());
  std::vector<std::string> names =
      params.List("AttributeNames", "AttributeName");
  absl::StatusOr<AttributeMap> attributes =
      context.broker->GetQueueAttributes(*queue, names);
  if (!attributes.ok()) return std::move(done)(attributes.status());
  Output out = Output::Object();
  if (!attributes->empty()) {
    out.Add("Attributes", "Attribute",
            Output::StringMap(*attributes, "Name", "Value"));
  }
  std::move(done)(std::move(out));
}

}  // namespace cortado::gateway

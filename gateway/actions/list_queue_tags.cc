// ListQueueTags: QueueUrl -> Tags (XML: flattened <Tag><Key/><Value/></Tag>).
#include "gateway/actions/action.h"

namespace cortado::gateway {

void ListQueueTags(const ActionContext& context, const Params& params,
                   ActionDone done) {
  absl::StatusOr<std::string> queue = context.QueueName(params);
  if (!queue.ok()) return std::move(done)(queue.status());
  absl::StatusOr<TagMap> tags = context.broker->ListQueueTags(*queue);
  if (!tags.ok()) return std::move(done)(tags.status());
  Output out = Output::Object();
  if (!tags->empty()) {
    out.Add("Tags", "Tag", Output::StringMap(*tags, "Key", "Value"));
  }
  std::move(done)(std::move(out));
}

}  // namespace cortado::gateway

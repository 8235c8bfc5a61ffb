#include <utility>

#include "absl/strings/str_cat.h"
#include "gateway/sns/sns_action.h"

namespace cortado::gateway::sns {

// CreateTopic: Name, Attributes.entry.N, Tags.member.N -> TopicArn.
void CreateTopic(const ActionContext& context, const Params& params,
                 ActionDone done) {
  absl::StatusOr<std::string> name = Required(params, "Name");
  if (!name.ok()) return std::move(done)(name.status());
  CreateTopicRequest request;
  request.name = *std::move(name);
  request.attributes = AttributesParam(params);
  request.tags = TagsParam(params);
  context.broker->CreateTopic(
      std::move(request), StringResult(context, "TopicArn", std::move(done)));
}

}  // namespace cortado::gateway::sns

#include <utility>

#include "absl/strings/str_cat.h"
#include "gateway/sns/sns_action.h"

namespace cortado::gateway::sns {

// CreateTopic: Name, Attributes.entry.N, Tags.member.N -> TopicArn.
void CreateTopic(const SnsContext& context, const Params& params,
                 SnsDone done) {
  absl::StatusOr<std::string> name = Required(params, "Name");
  if (!name.ok()) return std::move(done)(name.status());
  CreateTopicRequest request;
  request.name = *std::move(name);
  request.attributes = AttributesParam(params);
  request.tags = TagsParam(params);
  context.broker->CreateTopic(
      std::move(request),
      [done = std::move(done)](absl::StatusOr<std::string> arn) mutable {
        if (!arn.ok()) return std::move(done)(arn.status());
        std::move(done)(XmlElement("TopicArn", *arn));
      });
}

}  // namespace cortado::gateway::sns

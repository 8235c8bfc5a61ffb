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
      std::move(request),
      OnConnection<std::string>(
          context,
          [done = std::move(done)](absl::StatusOr<std::string> arn) mutable {
            if (!arn.ok()) return std::move(done)(arn.status());
            Output out = Output::Object();
            out.Add("TopicArn", Output::String(*arn));
            std::move(done)(std::move(out));
          }));
}

}  // namespace cortado::gateway::sns

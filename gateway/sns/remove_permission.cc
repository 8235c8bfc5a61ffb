// RemovePermission (SNS): TopicArn, Label -> (no output). Removes the
// statements whose Sid is Label from the topic's Policy (a read-modify-write
// like AddPermission). An unknown label changes nothing and succeeds, as on
// SNS; the policy stays, possibly with no statement left.
#include <utility>

#include "gateway/actions/policy.h"
#include "gateway/sns/sns_action.h"

namespace cortado::gateway::sns {

void RemovePermission(const ActionContext& context, const Params& params,
                      ActionDone done) {
  absl::StatusOr<std::string> arn = Required(params, "TopicArn");
  if (!arn.ok()) return std::move(done)(arn.status());
  absl::StatusOr<std::string> label = Required(params, "Label");
  if (!label.ok()) return std::move(done)(label.status());
  absl::StatusOr<AttributeMap> current =
      context.broker->GetTopicAttributes(*arn);
  if (!current.ok()) return std::move(done)(current.status());
  absl::StatusOr<JsonValue> policy = ParsePolicy((*current)["Policy"], *arn);
  if (!policy.ok()) return std::move(done)(policy.status());
  if (!RemoveStatement(*policy, *label)) {
    return std::move(done)(Output::Object());
  }
  context.broker->SetTopicAttributes(*std::move(arn), "Policy",
                                     SerializeJson(*policy),
                                     EmptyResult(context, std::move(done)));
}

}  // namespace cortado::gateway::sns

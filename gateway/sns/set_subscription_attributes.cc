#include <utility>

#include "absl/strings/str_cat.h"
#include "gateway/sns/sns_action.h"

namespace cortado::gateway::sns {

// SetSubscriptionAttributes: SubscriptionArn, AttributeName, AttributeValue.
void SetSubscriptionAttributes(const ActionContext& context,
                               const Params& params, ActionDone done) {
  absl::StatusOr<std::string> arn = Required(params, "SubscriptionArn");
  if (!arn.ok()) return std::move(done)(arn.status());
  absl::StatusOr<std::string> name = Required(params, "AttributeName");
  if (!name.ok()) return std::move(done)(name.status());
  context.broker->SetSubscriptionAttributes(
      *std::move(arn), *std::move(name),
      params.String("AttributeValue").value_or(""),
      EmptyResult(context, std::move(done)));
}

}  // namespace cortado::gateway::sns

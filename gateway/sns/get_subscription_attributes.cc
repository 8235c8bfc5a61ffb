#include <utility>

#include "absl/strings/str_cat.h"
#include "gateway/sns/sns_action.h"

namespace cortado::gateway::sns {

// GetSubscriptionAttributes: SubscriptionArn -> Attributes.entry.N.
void GetSubscriptionAttributes(const ActionContext& context,
                               const Params& params, ActionDone done) {
  absl::StatusOr<std::string> arn = Required(params, "SubscriptionArn");
  if (!arn.ok()) return std::move(done)(arn.status());
  absl::StatusOr<AttributeMap> attributes =
      context.broker->GetSubscriptionAttributes(*arn);
  if (!attributes.ok()) return std::move(done)(attributes.status());
  Output out = Output::Object();
  out.Add("Attributes", AttributesOutput(*attributes));
  std::move(done)(std::move(out));
}

}  // namespace cortado::gateway::sns

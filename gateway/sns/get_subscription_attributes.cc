#include <utility>

#include "absl/strings/str_cat.h"
#include "gateway/sns/sns_action.h"

namespace cortado::gateway::sns {

// GetSubscriptionAttributes: SubscriptionArn -> Attributes.entry.N.
void GetSubscriptionAttributes(const SnsContext& context, const Params& params,
                               SnsDone done) {
  absl::StatusOr<std::string> arn = Required(params, "SubscriptionArn");
  if (!arn.ok()) return std::move(done)(arn.status());
  absl::StatusOr<AttributeMap> attributes =
      context.broker->GetSubscriptionAttributes(*arn);
  if (!attributes.ok()) return std::move(done)(attributes.status());
  std::move(done)(AttributesXml(*attributes));
}

}  // namespace cortado::gateway::sns

#include <utility>

#include "absl/strings/str_cat.h"
#include "gateway/sns/sns_action.h"

namespace cortado::gateway::sns {

// ListSubscriptionsByTopic: TopicArn, NextToken -> Subscriptions.member.N.
void ListSubscriptionsByTopic(const ActionContext& context,
                              const Params& params, ActionDone done) {
  absl::StatusOr<std::string> arn = Required(params, "TopicArn");
  if (!arn.ok()) return std::move(done)(arn.status());
  absl::StatusOr<ListSubscriptionsResult> result =
      context.broker->ListSubscriptions(
          *arn, params.String("NextToken").value_or(""));
  if (!result.ok()) return std::move(done)(result.status());
  std::move(done)(SubscriptionsOutput(*result));
}

}  // namespace cortado::gateway::sns

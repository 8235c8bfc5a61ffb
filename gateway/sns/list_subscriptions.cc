#include <utility>

#include "absl/strings/str_cat.h"
#include "gateway/sns/sns_action.h"

namespace cortado::gateway::sns {

// ListSubscriptions: NextToken -> Subscriptions.member.N, NextToken.
void ListSubscriptions(const ActionContext& context, const Params& params,
                       ActionDone done) {
  absl::StatusOr<ListSubscriptionsResult> result =
      context.broker->ListSubscriptions(
          "", params.String("NextToken").value_or(""));
  if (!result.ok()) return std::move(done)(result.status());
  std::move(done)(SubscriptionsOutput(*result));
}

}  // namespace cortado::gateway::sns

#include <utility>

#include "absl/strings/str_cat.h"
#include "gateway/sns/sns_action.h"

namespace cortado::gateway::sns {

// ListSubscriptions: NextToken -> Subscriptions.member.N, NextToken.
void ListSubscriptions(const ActionContext& context, const Params& params,
                       ActionDone done) {
  const std::string token = params.String("NextToken").value_or("");
  absl::StatusOr<ListSubscriptionsResult> result =
      context.routing != nullptr ? context.routing->ListSubscriptions(token)
                                 : context.broker->ListSubscriptions("", token);
  if (!result.ok()) return std::move(done)(result.status());
  std::move(done)(SubscriptionsOutput(*result));
}

}  // namespace cortado::gateway::sns

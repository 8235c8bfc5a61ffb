#include <utility>

#include "absl/strings/str_cat.h"
#include "gateway/sns/sns_action.h"

namespace cortado::gateway::sns {

// ListSubscriptions: NextToken -> Subscriptions.member.N, NextToken.
void ListSubscriptions(const SnsContext& context, const Params& params,
                       SnsDone done) {
  absl::StatusOr<ListSubscriptionsResult> result =
      context.broker->ListSubscriptions(
          "", params.String("NextToken").value_or(""));
  if (!result.ok()) return std::move(done)(result.status());
  std::move(done)(SubscriptionsXml(*result));
}

}  // namespace cortado::gateway::sns

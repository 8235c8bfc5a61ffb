#include <utility>

#include "absl/strings/str_cat.h"
#include "gateway/sns/sns_action.h"

namespace cortado::gateway::sns {

// Unsubscribe: SubscriptionArn -> nothing. An unsigned call (a GET of an
// UnsubscribeURL) cannot remove a subscription confirmed with
// AuthenticateOnUnsubscribe.
void Unsubscribe(const ActionContext& context, const Params& params,
                 ActionDone done) {
  absl::StatusOr<std::string> arn = Required(params, "SubscriptionArn");
  if (!arn.ok()) return std::move(done)(arn.status());
  context.broker->Unsubscribe(
      UnsubscribeRequest{*std::move(arn), context.signed_request},
      EmptyResult(context, std::move(done)));
}

}  // namespace cortado::gateway::sns

#include <utility>

#include "absl/strings/match.h"
#include "gateway/sns/sns_action.h"

namespace cortado::gateway::sns {

// ConfirmSubscription: TopicArn, Token, AuthenticateOnUnsubscribe ->
// SubscriptionArn. It may come unsigned (a GET of the SubscribeURL), as on
// SNS; a signed one marks the subscription ConfirmationWasAuthenticated.
void ConfirmSubscription(const ActionContext& context, const Params& params,
                         ActionDone done) {
  absl::StatusOr<std::string> arn = Required(params, "TopicArn");
  if (!arn.ok()) return std::move(done)(arn.status());
  absl::StatusOr<std::string> token = Required(params, "Token");
  if (!token.ok()) return std::move(done)(token.status());
  ConfirmSubscriptionRequest request;
  request.topic_arn = *std::move(arn);
  request.token = *std::move(token);
  request.authenticate_on_unsubscribe = absl::EqualsIgnoreCase(
      params.String("AuthenticateOnUnsubscribe").value_or(""), "true");
  request.authenticated = context.signed_request;
  context.broker->ConfirmSubscription(
      std::move(request),
      StringResult(context, "SubscriptionArn", std::move(done)));
}

}  // namespace cortado::gateway::sns

#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gateway/sns/sns_action.h"

namespace cortado::gateway::sns {

// Subscribe: TopicArn, Protocol, Endpoint, Attributes.entry.N,
// ReturnSubscriptionArn -> SubscriptionArn. SQS subscriptions are confirmed
// at once, so their ARN is always returned; an HTTP(S) one awaiting
// confirmation answers "pending confirmation" unless ReturnSubscriptionArn.
void Subscribe(const ActionContext& context, const Params& params,
               ActionDone done) {
  absl::StatusOr<std::string> arn = Required(params, "TopicArn");
  if (!arn.ok()) return std::move(done)(arn.status());
  absl::StatusOr<std::string> protocol = Required(params, "Protocol");
  if (!protocol.ok()) return std::move(done)(protocol.status());
  SubscribeRequest request;
  request.topic_arn = *std::move(arn);
  request.protocol = *std::move(protocol);
  request.endpoint = params.String("Endpoint").value_or("");
  request.attributes = AttributesParam(params);
  request.return_subscription_arn = absl::EqualsIgnoreCase(
      params.String("ReturnSubscriptionArn").value_or(""), "true");
  context.broker->Subscribe(
      std::move(request),
      StringResult(context, "SubscriptionArn", std::move(done)));
}

}  // namespace cortado::gateway::sns

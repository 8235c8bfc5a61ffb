// Topics: what is special about HTTP(S) subscriptions. They start
// PendingConfirmation; the endpoint is sent a signed SubscriptionConfirmation
// whose Token ConfirmSubscription (or a GET of its SubscribeURL) presents;
// Unsubscribe sends an UnsubscribeConfirmation; confirmed endpoints get each
// matching publish POSTed to them. Every POST is handed to the HttpPusher
// only once the batch that caused it is committed, so an endpoint never
// hears of a subscription or a message the broker could still lose.
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/uuid.h"
#include "server/core/errors.h"
#include "server/core/status_macros.h"
#include "server/core/topic_attributes.h"
#include "server/core/topics.h"

namespace cortado {
namespace {

absl::Status Invalid(absl::string_view reason) {
  return MakeError(ErrorKind::kInvalidParameter,
                   absl::StrCat("Invalid parameter: ", reason));
}

// SNS's sentence in each kind of subscription message.
std::string SubscriptionMessageText(absl::string_view type,
                                    const std::string& topic_arn,
                                    const std::string& subscription_arn) {
  if (type == "SubscriptionConfirmation") {
    return absl::StrCat(
        "You have chosen to subscribe to the topic ", topic_arn,
        ".\nTo confirm the subscription, visit the SubscribeURL included in "
        "this message.");
  }
  return absl::StrCat(
      "You have chosen to deactivate subscription ", subscription_arn,
      ".\nTo cancel this operation and restore the subscription, visit the "
      "SubscribeURL included in this message.");
}

// Hands `push` to `pushes` once the batch is committed; a batch that fails
// to commit sends nothing.
void PushAfterCommit(HttpPusher* pushes, HttpPush push, Txn& txn) {
  txn.OnCommit(
      [pushes, push = std::move(push)](const absl::Status& commit) mutable {
        if (commit.ok()) pushes->Push(std::move(push));
      });
}

}  // namespace

absl::Status Topics::CheckHttpEndpoint(const SubscribeRequest& request) const {
  if (pushes_ == nullptr) {
    return Invalid(absl::StrCat(
        "Protocol Reason: this server does not deliver to ", request.protocol,
        " endpoints (not available in cluster mode yet)"));
  }
  if (!absl::StartsWithIgnoreCase(request.endpoint,
                                  absl::StrCat(request.protocol, "://"))) {
    return Invalid(absl::StrCat("Endpoint Reason: An ", request.protocol,
                                " endpoint must start with ", request.protocol,
                                "://"));
  }
  absl::Status allowed = pushes_->CheckEndpoint(request.endpoint);
  if (!allowed.ok()) {
    return Invalid(absl::StrCat("Endpoint Reason: ", allowed.message()));
  }
  return absl::OkStatus();
}

void Topics::PushSubscriptionMessage(const Topic& topic,
                                     const SubscriptionRecord& record,
                                     absl::string_view type, Txn& txn) {
  const std::string topic_arn = TopicArn(topic.name());
  const std::string subscription_arn =
      absl::StrCat(topic_arn, ":", record.subscription_id);
  SubscriptionMessage message;
  message.type = std::string(type);
  message.message_id = RandomUuid();
  message.topic_arn = topic_arn;
  // An UnsubscribeConfirmation's SubscribeURL would bring the subscription
  // back on SNS; here its token no longer matches anything (docs).
  message.token = record.confirmation_token.empty() ? NewConfirmationToken()
                                                    : record.confirmation_token;
  message.message = SubscriptionMessageText(type, topic_arn, subscription_arn);
  message.timestamp = txn.now();
  message.signature_version = topic.attributes().signature_version;

  HttpPush push;
  push.url = record.endpoint;
  push.message_type = message.type;
  push.message_id = message.message_id;
  push.topic_arn = topic_arn;
  // SNS names the subscription only on notifications and unsubscribes.
  if (type != "SubscriptionConfirmation")
    push.subscription_arn = subscription_arn;
  push.body = envelopes_->BuildSubscriptionMessage(message);
  PushAfterCommit(pushes_, std::move(push), txn);
}

void Topics::PushNotification(const Topic& topic,
                              const Subscription& subscription,
                              std::string body, const std::string& message_id,
                              Txn& txn) {
  const std::string topic_arn = TopicArn(topic.name());
  HttpPush push;
  push.url = subscription.record.endpoint;
  push.message_type = "Notification";
  push.message_id = message_id;
  push.topic_arn = topic_arn;
  push.subscription_arn =
      absl::StrCat(topic_arn, ":", subscription.record.subscription_id);
  push.raw = subscription.raw;
  push.body = std::move(body);
  PushAfterCommit(pushes_, std::move(push), txn);
}

absl::StatusOr<std::string> Topics::PlanConfirm(
    const ConfirmSubscriptionRequest& request, Txn& txn) {
  CORTADO_ASSIGN_OR_RETURN(Topic * topic, Find(request.topic_arn));
  if (request.token.empty()) return Invalid("Token");
  for (auto& [id, subscription] : topic->subscriptions()) {
    SubscriptionRecord& record = subscription.record;
    if (record.confirmation_token != request.token) continue;
    const std::string arn = absl::StrCat(request.topic_arn, ":", id);
    // Confirming twice answers the same ARN and changes nothing.
    if (!record.pending_confirmation) return arn;
    record.pending_confirmation = false;
    record.confirmation_authenticated = request.authenticated;
    record.authenticate_on_unsubscribe =
        request.authenticated && request.authenticate_on_unsubscribe;
    txn.Write(PutSubscription{record});
    return arn;
  }
  return Invalid("Token");
}

}  // namespace cortado

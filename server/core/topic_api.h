// The typed requests and results of the Broker's topic (SNS) actions.
// Transports (gRPC, the SNS query gateway) parse their wire formats into these
// and encode the results. Errors carry SNS kinds: kNotFound ("Topic does not
// exist"), kInvalidParameter ("Invalid parameter: ..."), batch kinds shared
// with SQS, kInvalidParameterValue for message-attribute problems (SNS code
// "ParameterValueInvalid").
// Thread-safety: value types.
#ifndef CORTADO_SERVER_CORE_TOPIC_API_H_
#define CORTADO_SERVER_CORE_TOPIC_API_H_

#include <string>
#include <utility>
#include <vector>

#include "server/core/api.h"
#include "server/core/message_attributes.h"
#include "server/core/queue_attributes.h"

namespace cortado {

struct CreateTopicRequest {
  std::string name;         // 1-256 [A-Za-z0-9_-], FIFO: ends in ".fifo"
  AttributeMap attributes;  // DisplayName, Policy, FifoTopic, ...
  TagMap tags;
};

struct SubscribeRequest {
  std::string topic_arn;
  std::string protocol;  // "sqs", "http" or "https"
  // sqs: the queue ARN "arn:aws:sqs:<region>:<account>:<name>";
  // http(s): the URL the broker POSTs to.
  std::string endpoint;
  AttributeMap attributes;  // RawMessageDelivery, FilterPolicy, ...
  // An HTTP(S) subscription awaiting confirmation is answered with its ARN
  // only if asked; otherwise with "pending confirmation", as SNS does.
  bool return_subscription_arn = false;
};

// What Subscribe answers for a subscription awaiting confirmation, and what
// ListSubscriptions shows in place of its ARN.
inline constexpr char kPendingConfirmationArn[] = "pending confirmation";
inline constexpr char kPendingConfirmationListed[] = "PendingConfirmation";

struct ConfirmSubscriptionRequest {
  std::string topic_arn;
  std::string token;  // from the SubscriptionConfirmation
  // Only signed confirmations may ask for this (SNS ignores it otherwise).
  bool authenticate_on_unsubscribe = false;
  bool authenticated = false;  // the call was signed
};

struct UnsubscribeRequest {
  std::string subscription_arn;
  // Unsigned calls (e.g. a GET of an UnsubscribeURL) are refused for
  // subscriptions confirmed with AuthenticateOnUnsubscribe.
  bool authenticated = true;
};

struct SubscriptionInfo {
  std::string subscription_arn;
  std::string owner;  // account id
  std::string protocol;
  std::string endpoint;
  std::string topic_arn;
};

struct ListTopicsResult {
  std::vector<std::string> topic_arns;  // sorted, 100 per page
  std::string next_token;               // empty when no more
};

struct ListSubscriptionsResult {
  std::vector<SubscriptionInfo> subscriptions;  // 100 per page
  std::string next_token;                       // empty when no more
};

struct PublishEntry {
  std::string id;  // PublishBatch entry id; unused by Publish
  std::string message;
  std::string subject;            // empty = none
  std::string message_structure;  // "" or "json"
  MessageAttributes attributes;
  std::string message_group_id;          // required on FIFO topics
  std::string message_deduplication_id;  // FIFO topics
};

struct PublishResult {
  std::string message_id;
  std::string sequence_number;  // FIFO topics only
};

struct PublishBatchResult {
  std::vector<std::pair<std::string /*entry id*/, PublishResult>> successful;
  std::vector<BatchEntryError> failed;
};

}  // namespace cortado

#endif  // CORTADO_SERVER_CORE_TOPIC_API_H_

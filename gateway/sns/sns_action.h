// The SNS actions of the gateway (sqs-protocol.md §6): one file per action,
// shaped like the SQS ones (gateway/actions/action.h, same ActionSpec,
// ActionContext and Output): each reads its query parameters (SNS's
// non-flattened `.member.N` / `.entry.N` encoding), makes one Broker call
// and builds an Output tree, which the query codec writes in SNS's XML
// namespace with SNS's wrapped lists (Output::WrappedList).
// Thread-safety: action functions may run on any thread; broker callbacks
// are wrapped in OnConnection, so `done` runs on the request's connection
// thread (or where the broker answers when there is no connection).
#ifndef CORTADO_GATEWAY_SNS_SNS_ACTION_H_
#define CORTADO_GATEWAY_SNS_SNS_ACTION_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "gateway/actions/action.h"
#include "gateway/output.h"
#include "gateway/params.h"
#include "server/core/broker.h"
#include "server/core/topic_api.h"

namespace cortado::gateway::sns {

// The SNS action named `name`, or null.
const ActionSpec* FindSnsAction(absl::string_view name);
// Every SNS action; FindSnsAction returns pointers into this span (metrics
// index their counters by position).
absl::Span<const ActionSpec> SnsActions();

// --- Helpers shared by the action files (sns_action.cc) ---
// A required parameter: SNS answers a missing one with ValidationError
// ("1 validation error detected: Value null at 'topicArn' failed to satisfy
// constraint: Member must not be null").
absl::StatusOr<std::string> Required(const Params& params,
                                     absl::string_view name);
// <Attributes><entry><key/><value/></entry>...</Attributes>
Output AttributesOutput(const std::map<std::string, std::string>& values);
// `Attributes.entry.N.key` / `.value`.
std::map<std::string, std::string> AttributesParam(const Params& params);
// `Tags.member.N.Key` / `.Value`.
TagMap TagsParam(const Params& params);
// `MessageAttributes.entry.N.Name`, `.Value.DataType`, `.Value.StringValue`,
// `.Value.BinaryValue`.
absl::StatusOr<MessageAttributes> MessageAttributesParam(const Params& params);
// The Message/Subject/attributes/... of Publish or one PublishBatch entry.
absl::StatusOr<PublishEntry> ParsePublishEntry(const Params& params);
// Adapts a broker call answering one string (an ARN) to an action whose
// result is that string as `member`, run through OnConnection.
Callback<std::string> StringResult(const ActionContext& context,
                                   std::string member, ActionDone done);
// The Subscriptions list (and NextToken) of ListSubscriptions(ByTopic).
Output SubscriptionsOutput(const ListSubscriptionsResult& result);

// One function per action (gateway/sns/<snake_name>.cc).
void AddPermission(const ActionContext&, const Params&, ActionDone);
void CreateTopic(const ActionContext&, const Params&, ActionDone);
void DeleteTopic(const ActionContext&, const Params&, ActionDone);
void ListTopics(const ActionContext&, const Params&, ActionDone);
void GetTopicAttributes(const ActionContext&, const Params&, ActionDone);
void SetTopicAttributes(const ActionContext&, const Params&, ActionDone);
void Subscribe(const ActionContext&, const Params&, ActionDone);
void Unsubscribe(const ActionContext&, const Params&, ActionDone);
void ConfirmSubscription(const ActionContext&, const Params&, ActionDone);
void ListSubscriptions(const ActionContext&, const Params&, ActionDone);
void ListSubscriptionsByTopic(const ActionContext&, const Params&, ActionDone);
void GetSubscriptionAttributes(const ActionContext&, const Params&, ActionDone);
void SetSubscriptionAttributes(const ActionContext&, const Params&, ActionDone);
void Publish(const ActionContext&, const Params&, ActionDone);
void PublishBatch(const ActionContext&, const Params&, ActionDone);
void RemovePermission(const ActionContext&, const Params&, ActionDone);
void TagResource(const ActionContext&, const Params&, ActionDone);
void UntagResource(const ActionContext&, const Params&, ActionDone);
void ListTagsForResource(const ActionContext&, const Params&, ActionDone);

}  // namespace cortado::gateway::sns

#endif  // CORTADO_GATEWAY_SNS_SNS_ACTION_H_

// The SNS actions of the gateway (sqs-protocol.md §6): one file per action,
// each reading its query parameters (SNS's non-flattened `.member.N` /
// `.entry.N` encoding), making one Broker call and writing the inner XML of
// its <ActionResult> element.
// Thread-safety: action functions may run on any thread; `done` may be
// called on the broker's writer thread.
#ifndef CORTADO_GATEWAY_SNS_SNS_ACTION_H_
#define CORTADO_GATEWAY_SNS_SNS_ACTION_H_

#include <map>
#include <string>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "gateway/params.h"
#include "server/core/broker.h"
#include "server/core/topic_api.h"

namespace cortado::gateway::sns {

struct SnsContext {
  Broker* broker = nullptr;
  std::string account_id;
};

// The inner XML of <ActionResult> (ignored for actions without output).
using SnsDone = absl::AnyInvocable<void(absl::StatusOr<std::string>) &&>;
using SnsFunction = void (*)(const SnsContext& context, const Params& params,
                             SnsDone done);

struct SnsActionSpec {
  absl::string_view name;
  // Operations with an output shape get an <ActionResult> element.
  bool has_output;
  SnsFunction run;
};

// The SNS action named `name`, or null.
const SnsActionSpec* FindSnsAction(absl::string_view name);
// Every SNS action; FindSnsAction returns pointers into this span.
absl::Span<const SnsActionSpec> SnsActions();

// --- Helpers shared by the action files (sns_action.cc) ---
// A required parameter: SNS answers a missing one with ValidationError
// ("1 validation error detected: Value null at 'topicArn' failed to satisfy
// constraint: Member must not be null").
absl::StatusOr<std::string> Required(const Params& params,
                                     absl::string_view name);
// <Tag>escaped text</Tag>
std::string XmlElement(absl::string_view tag, absl::string_view text);
// <Attributes><entry><key/><value/></entry>...</Attributes>
std::string AttributesXml(const std::map<std::string, std::string>& values);
// `Attributes.entry.N.key` / `.value`.
std::map<std::string, std::string> AttributesParam(const Params& params);
// `Tags.member.N.Key` / `.Value`.
TagMap TagsParam(const Params& params);
// `MessageAttributes.entry.N.Name`, `.Value.DataType`, `.Value.StringValue`,
// `.Value.BinaryValue`.
absl::StatusOr<MessageAttributes> MessageAttributesParam(const Params& params);
// The Message/Subject/attributes/... of Publish or one PublishBatch entry.
absl::StatusOr<PublishEntry> ParsePublishEntry(const Params& params);
// Adapts a Callback<Empty> to an action without output.
Callback<Empty> EmptyResult(SnsDone done);
// The <Subscriptions> list of ListSubscriptions(ByTopic).
std::string SubscriptionsXml(const ListSubscriptionsResult& result);

// One function per action (gateway/sns/<snake_name>.cc).
void CreateTopic(const SnsContext&, const Params&, SnsDone);
void DeleteTopic(const SnsContext&, const Params&, SnsDone);
void ListTopics(const SnsContext&, const Params&, SnsDone);
void GetTopicAttributes(const SnsContext&, const Params&, SnsDone);
void SetTopicAttributes(const SnsContext&, const Params&, SnsDone);
void Subscribe(const SnsContext&, const Params&, SnsDone);
void Unsubscribe(const SnsContext&, const Params&, SnsDone);
void ListSubscriptions(const SnsContext&, const Params&, SnsDone);
void ListSubscriptionsByTopic(const SnsContext&, const Params&, SnsDone);
void GetSubscriptionAttributes(const SnsContext&, const Params&, SnsDone);
void SetSubscriptionAttributes(const SnsContext&, const Params&, SnsDone);
void Publish(const SnsContext&, const Params&, SnsDone);
void PublishBatch(const SnsContext&, const Params&, SnsDone);
void TagResource(const SnsContext&, const Params&, SnsDone);
void UntagResource(const SnsContext&, const Params&, SnsDone);
void ListTagsForResource(const SnsContext&, const Params&, SnsDone);

}  // namespace cortado::gateway::sns

#endif  // CORTADO_GATEWAY_SNS_SNS_ACTION_H_

#include "gateway/sns/sns_action.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "server/core/errors.h"

namespace cortado::gateway::sns {

namespace {

constexpr ActionSpec kActions[] = {
    {"AddPermission", false, &AddPermission},
    {"ConfirmSubscription", true, &ConfirmSubscription},
    {"CreateTopic", true, &CreateTopic},
    {"DeleteTopic", false, &DeleteTopic},
    {"GetSubscriptionAttributes", true, &GetSubscriptionAttributes},
    {"GetTopicAttributes", true, &GetTopicAttributes},
    {"ListSubscriptions", true, &ListSubscriptions},
    {"ListSubscriptionsByTopic", true, &ListSubscriptionsByTopic},
    {"ListTagsForResource", true, &ListTagsForResource},
    {"ListTopics", true, &ListTopics},
    {"Publish", true, &Publish},
    {"PublishBatch", true, &PublishBatch},
    {"RemovePermission", false, &RemovePermission},
    {"SetSubscriptionAttributes", false, &SetSubscriptionAttributes},
    {"SetTopicAttributes", false, &SetTopicAttributes},
    {"Subscribe", true, &Subscribe},
    {"TagResource", true, &TagResource},
    {"Unsubscribe", false, &Unsubscribe},
    {"UntagResource", true, &UntagResource},
};

}  // namespace

absl::Span<const ActionSpec> SnsActions() { return kActions; }

const ActionSpec* FindSnsAction(absl::string_view name) {
  for (const ActionSpec& spec : kActions) {
    if (spec.name == name) return &spec;
  }
  return nullptr;
}

absl::StatusOr<std::string> Required(const Params& params,
                                     absl::string_view name) {
  std::optional<std::string> value = params.String(name);
  if (value.has_value()) return *std::move(value);
  // The member name in AWS's validation message is lower-camel-case.
  std::string member(name);
  if (!member.empty()) member[0] = absl::ascii_tolower(member[0]);
  return MakeError(
      ErrorKind::kMissingParameter,
      absl::StrCat("1 validation error detected: Value null at '", member,
                   "' failed to satisfy constraint: Member must "
                   "not be null"));
}

Output AttributesOutput(const std::map<std::string, std::string>& values) {
  return Output::WrappedStringMap(values, "entry", "key", "value");
}

std::map<std::string, std::string> AttributesParam(const Params& params) {
  return params.Map("", "Attributes.entry", "key", "value");
}

TagMap TagsParam(const Params& params) {
  std::map<std::string, std::string> tags =
      params.Map("", "Tags.member", "Key", "Value");
  return TagMap(tags.begin(), tags.end());
}

absl::StatusOr<MessageAttributes> MessageAttributesParam(const Params& params) {
  return params.Attributes("", "MessageAttributes.entry");
}

Callback<std::string> StringResult(const ActionContext& context,
                                   std::string member, ActionDone done) {
  return OnConnection<std::string>(
      context, [member = std::move(member), done = std::move(done)](
                   absl::StatusOr<std::string> value) mutable {
        if (!value.ok()) return std::move(done)(value.status());
        Output out = Output::Object();
        out.Add(member, Output::String(*std::move(value)));
        std::move(done)(std::move(out));
      });
}

Output SubscriptionsOutput(const ListSubscriptionsResult& result) {
  Output subscriptions = Output::WrappedList("member");
  for (const SubscriptionInfo& s : result.subscriptions) {
    Output member = Output::Object();
    member.Add("SubscriptionArn", Output::String(s.subscription_arn));
    member.Add("Owner", Output::String(s.owner));
    member.Add("Protocol", Output::String(s.protocol));
    member.Add("Endpoint", Output::String(s.endpoint));
    member.Add("TopicArn", Output::String(s.topic_arn));
    subscriptions.Append(std::move(member));
  }
  Output out = Output::Object();
  out.Add("Subscriptions", std::move(subscriptions));
  if (!result.next_token.empty()) {
    out.Add("NextToken", Output::String(result.next_token));
  }
  return out;
}

}  // namespace cortado::gateway::sns

#include "gateway/sns/sns_action.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "gateway/query_codec.h"
#include "server/core/errors.h"

namespace cortado::gateway::sns {

namespace {

constexpr SnsActionSpec kActions[] = {
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
    {"SetSubscriptionAttributes", false, &SetSubscriptionAttributes},
    {"SetTopicAttributes", false, &SetTopicAttributes},
    {"Subscribe", true, &Subscribe},
    {"TagResource", true, &TagResource},
    {"Unsubscribe", false, &Unsubscribe},
    {"UntagResource", true, &UntagResource},
};

}  // namespace

absl::Span<const SnsActionSpec> SnsActions() { return kActions; }

const SnsActionSpec* FindSnsAction(absl::string_view name) {
  for (const SnsActionSpec& spec : kActions) {
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

std::string XmlElement(absl::string_view tag, absl::string_view text) {
  return absl::StrCat("<", tag, ">", XmlEscape(text), "</", tag, ">");
}

std::string AttributesXml(const std::map<std::string, std::string>& values) {
  std::string out = "<Attributes>";
  for (const auto& [key, value] : values) {
    absl::StrAppend(&out, "<entry>", XmlElement("key", key),
                    XmlElement("value", value), "</entry>");
  }
  absl::StrAppend(&out, "</Attributes>");
  return out;
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

Callback<Empty> EmptyResult(SnsDone done) {
  return [done = std::move(done)](absl::StatusOr<Empty> result) mutable {
    if (!result.ok()) return std::move(done)(result.status());
    std::move(done)(std::string());
  };
}

std::string SubscriptionsXml(const ListSubscriptionsResult& result) {
  std::string out = "<Subscriptions>";
  for (const SubscriptionInfo& s : result.subscriptions) {
    absl::StrAppend(
        &out, "<member>", XmlElement("SubscriptionArn", s.subscription_arn),
        XmlElement("Owner", s.owner), XmlElement("Protocol", s.protocol),
        XmlElement("Endpoint", s.endpoint), XmlElement("TopicArn", s.topic_arn),
        "</member>");
  }
  absl::StrAppend(&out, "</Subscriptions>");
  if (!result.next_token.empty()) {
    absl::StrAppend(&out, XmlElement("NextToken", result.next_token));
  }
  return out;
}

}  // namespace cortado::gateway::sns

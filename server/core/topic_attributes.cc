#include "server/core/topic_attributes.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"
#include "common/attribute_names.h"
#include "common/json.h"
#include "server/core/errors.h"

namespace cortado {
namespace {

absl::Status Invalid(absl::string_view reason) {
  return MakeError(ErrorKind::kInvalidParameter,
                   absl::StrCat("Invalid parameter: ", reason));
}

bool IsBool(absl::string_view value) {
  return absl::EqualsIgnoreCase(value, "true") ||
         absl::EqualsIgnoreCase(value, "false");
}

// The policy AWS gives a topic that has none: the owner account may run the
// topic actions.
std::string DefaultPolicy(const std::string& arn, const std::string& account) {
  return absl::StrReplaceAll(
      R"({"Version":"2008-10-17","Id":"__default_policy_ID","Statement":[{"Sid":"__default_statement_ID","Effect":"Allow","Principal":{"AWS":"*"},"Action":["SNS:GetTopicAttributes","SNS:SetTopicAttributes","SNS:AddPermission","SNS:RemovePermission","SNS:DeleteTopic","SNS:Subscribe","SNS:ListSubscriptionsByTopic","SNS:Publish"],"Resource":"$ARN","Condition":{"StringEquals":{"AWS:SourceOwner":"$ACCOUNT"}}}]})",
      {{"$ARN", arn}, {"$ACCOUNT", account}});
}

constexpr absl::string_view kEffectiveDeliveryPolicy =
    R"({"http":{"defaultHealthyRetryPolicy":{"minDelayTarget":20,"maxDelayTarget":20,"numRetries":3,"numMaxDelayRetries":0,"numNoDelayRetries":0,"numMinDelayRetries":0,"backoffFunction":"linear"},"disableSubscriptionOverrides":false,"defaultRequestPolicy":{"headerContentType":"text/plain; charset=UTF-8"}}})";

}  // namespace

TopicAttributes TopicAttributes::FromStored(const AttributeMap& stored,
                                            bool fifo) {
  TopicAttributes out;
  out.fifo = fifo;
  if (auto it = stored.find("ContentBasedDeduplication"); it != stored.end()) {
    out.content_based_deduplication = IsTrue(it->second);
  }
  if (auto it = stored.find("FifoThroughputScope"); it != stored.end()) {
    out.deduplication_per_group = it->second == "MessageGroup";
  }
  if (auto it = stored.find("SignatureVersion"); it != stored.end()) {
    out.signature_version = it->second == "2" ? 2 : 1;
  }
  return out;
}

bool IsTrue(absl::string_view value) {
  return absl::EqualsIgnoreCase(value, "true");
}

bool IsHttpProtocol(absl::string_view protocol) {
  return protocol == "http" || protocol == "https";
}

std::string EffectiveHttpDeliveryPolicy(const AttributeMap& topic,
                                        const AttributeMap& subscription) {
  (void)topic;  // the topic's "http" defaults are not merged in yet
  if (auto it = subscription.find("DeliveryPolicy");
      it != subscription.end() && !it->second.empty()) {
    return it->second;
  }
  return R"({"healthyRetryPolicy":{"minDelayTarget":20,"maxDelayTarget":20,"numRetries":3,"numMaxDelayRetries":0,"numNoDelayRetries":0,"numMinDelayRetries":0,"backoffFunction":"linear"},"sicklyRetryPolicy":null,"throttlePolicy":null,"guaranteed":false})";
}

bool IsValidTopicName(const std::string& name) {
  absl::string_view base = name;
  absl::ConsumeSuffix(&base, ".fifo");
  if (base.empty() || name.size() > 256) return false;
  return std::all_of(base.begin(), base.end(), [](char c) {
    return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '-' ||
           c == '_';
  });
}

absl::Status ValidateTopicAttribute(const std::string& name,
                                    const std::string& value, bool fifo) {
  if (!IsSettableAttribute(AttributeOwner::kTopic, name))
    return Invalid("AttributeName");
  if (name == "DisplayName" && value.size() > 100) {
    return Invalid("DisplayName");
  }
  if (name == "SignatureVersion" && value != "1" && value != "2") {
    return Invalid("Attributes Reason: SignatureVersion");
  }
  if (name == "TracingConfig" && value != "PassThrough" && value != "Active") {
    return Invalid("Attributes Reason: TracingConfig");
  }
  if ((name == "Policy" || name == "DeliveryPolicy" ||
       name == "ArchivePolicy" || name == "DataProtectionPolicy") &&
      !value.empty() && !IsJsonObject(value)) {
    return Invalid(
        absl::StrCat("Attributes Reason: ", name, ": failed to parse JSON."));
  }
  if (name == "ContentBasedDeduplication") {
    if (!IsBool(value)) {
      return Invalid(
          "Attributes Reason: ContentBasedDeduplication: Invalid value [" +
          value + "]. Must be true or false.");
    }
    if (!fifo && IsTrue(value)) {
      return Invalid(
          "Attributes Reason: Content-based deduplication can only be set for "
          "FIFO topics");
    }
  }
  if (name == "FifoThroughputScope" && !fifo) {
    return Invalid(
        "Attributes Reason: FifoThroughputScope can only be set for FIFO "
        "topics");
  }
  return absl::OkStatus();
}

absl::StatusOr<AttributeMap> AttributesForNewTopic(const std::string& name,
                                                   const AttributeMap& given) {
  const bool fifo_name = absl::EndsWith(name, ".fifo");
  bool fifo = false;
  if (auto it = given.find("FifoTopic"); it != given.end()) {
    if (!IsBool(it->second)) {
      return Invalid("Attributes Reason: FifoTopic: Invalid value [" +
                     it->second + "]. Must be true or false.");
    }
    fifo = IsTrue(it->second);
  }
  // SNS's text is exactly this, whichever way the name and FifoTopic differ.
  if (fifo != fifo_name) return Invalid("Topic Name");
  AttributeMap out;
  for (const auto& [key, value] : given) {
    if (key == "FifoTopic") continue;
    if (auto status = ValidateTopicAttribute(key, value, fifo); !status.ok()) {
      // CreateTopic reports unknown names with the Attributes prefix.
      if (!IsSettableAttribute(AttributeOwner::kTopic, key)) {
        return Invalid(
            absl::StrCat("Attributes Reason: Unknown attribute: ", key));
      }
      return status;
    }
    out[key] = key == "ContentBasedDeduplication"
                   ? (IsTrue(value) ? "true" : "false")
                   : value;
  }
  if (fifo) {
    out["FifoTopic"] = "true";
    out.try_emplace("ContentBasedDeduplication", "false");
  }
  return out;
}

AttributeMap RenderTopicAttributes(const AttributeMap& stored,
                                   const std::string& topic_arn,
                                   const std::string& account_id,
                                   int confirmed_subscriptions) {
  AttributeMap out = stored;
  out["Owner"] = account_id;
  out["TopicArn"] = topic_arn;
  out.try_emplace("DisplayName", "");
  if (out["Policy"].empty())
    out["Policy"] = DefaultPolicy(topic_arn, account_id);
  out["SubscriptionsConfirmed"] = absl::StrCat(confirmed_subscriptions);
  out["SubscriptionsPending"] = "0";
  out["SubscriptionsDeleted"] = "0";
  out["EffectiveDeliveryPolicy"] = std::string(kEffectiveDeliveryPolicy);
  return out;
}

absl::Status ValidateSubscriptionAttribute(const std::string& name,
                                           const std::string& value) {
  if (!IsSettableAttribute(AttributeOwner::kSubscription, name)) {
    return Invalid("AttributeName");
  }
  if (name == "RawMessageDelivery" && !IsBool(value)) {
    return Invalid("RawMessageDelivery: Invalid value [" + value +
                   "]. Must be true or false.");
  }
  if (name == "FilterPolicyScope" && value != "MessageAttributes" &&
      value != "MessageBody") {
    return Invalid("FilterPolicyScope: Invalid value [" + value +
                   "]. Please use either MessageBody or MessageAttributes");
  }
  if (name == "RedrivePolicy" && !value.empty()) {
    std::optional<std::string> target = RedriveTargetArn(value);
    if (!target.has_value() || !absl::StartsWith(*target, "arn:aws:sqs:")) {
      return Invalid(
          "RedrivePolicy: deadLetterTargetArn must be an SQS queue ARN");
    }
  }
  if ((name == "DeliveryPolicy" || name == "ReplayPolicy") && !value.empty() &&
      !IsJsonObject(value)) {
    return Invalid(absl::StrCat(name, ": failed to parse JSON."));
  }
  return absl::OkStatus();
}

std::optional<std::string> RedriveTargetArn(absl::string_view policy) {
  std::optional<JsonValue> json = ParseJson(policy);
  const JsonValue* target = json.has_value() && json->is_object()
                                ? json->Find("deadLetterTargetArn")
                                : nullptr;
  if (target == nullptr || !target->is_string()) return std::nullopt;
  return target->text;
}

}  // namespace cortado

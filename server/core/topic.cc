#include "server/core/topic.h"

#include <optional>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "common/uuid.h"
#include "server/core/errors.h"
#include "server/core/status_macros.h"
#include "server/core/topic_attributes.h"

namespace cortado {

absl::StatusOr<Subscription> MakeSubscription(SubscriptionRecord record) {
  Subscription subscription;
  const AttributeMap& attributes = record.attributes;
  if (auto it = attributes.find("RawMessageDelivery"); it != attributes.end()) {
    subscription.raw = IsTrue(it->second);
  }
  FilterPolicyScope scope = FilterPolicyScope::kMessageAttributes;
  if (auto it = attributes.find("FilterPolicyScope"); it != attributes.end()) {
    CORTADO_ASSIGN_OR_RETURN(scope, ParseFilterPolicyScope(it->second));
  }
  if (auto it = attributes.find("FilterPolicy");
      it != attributes.end() && !it->second.empty()) {
    CORTADO_ASSIGN_OR_RETURN(FilterPolicy policy,
                             FilterPolicy::Parse(it->second, scope));
    if (!policy.empty()) subscription.filter = std::move(policy);
  }
  if (auto it = attributes.find("RedrivePolicy");
      it != attributes.end() && !it->second.empty()) {
    // Validated when set; a record from an older store that does not parse
    // simply has no dead-letter queue.
    if (std::optional<std::string> target = RedriveTargetArn(it->second)) {
      absl::StatusOr<ParsedArn> arn = ParseArn(*target, "deadLetterTargetArn");
      if (arn.ok() && arn->service == "sqs") {
        subscription.dead_letter_queue = arn->resource;
      }
    }
  }
  if (record.protocol == "sqs") {
    absl::StatusOr<ParsedArn> arn = ParseArn(record.endpoint, "Endpoint");
    if (arn.ok()) subscription.queue_name = arn->resource;
  }
  subscription.record = std::move(record);
  return subscription;
}

std::string NewConfirmationToken() {
  std::string token;
  for (int i = 0; i < 4; ++i) {
    absl::StrAppend(&token, absl::StrReplaceAll(RandomUuid(), {{"-", ""}}));
  }
  return token;
}

absl::StatusOr<ParsedArn> ParseArn(absl::string_view arn,
                                   absl::string_view what) {
  std::vector<std::string> parts = absl::StrSplit(arn, ':');
  if (parts.size() < 6) {
    return MakeError(
        ErrorKind::kInvalidParameter,
        absl::StrCat("Invalid parameter: ", what,
                     " Reason: An ARN must have at least 6 elements, not ",
                     parts.size()));
  }
  if (parts[0] != "arn" || parts.size() > 7) {
    return MakeError(ErrorKind::kInvalidParameter,
                     absl::StrCat("Invalid parameter: ", what));
  }
  ParsedArn out;
  out.service = parts[2];
  out.region = parts[3];
  out.account = parts[4];
  out.resource = parts[5];
  if (parts.size() == 7) out.id = parts[6];
  return out;
}

}  // namespace cortado

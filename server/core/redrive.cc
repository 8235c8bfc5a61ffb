#include "server/core/redrive.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/json.h"
#include "server/core/errors.h"

namespace cortado {

std::optional<RedriveTarget> ParseRedrivePolicy(const std::string& policy) {
  if (policy.empty()) return std::nullopt;
  std::optional<JsonValue> json = ParseJson(policy);
  if (!json.has_value() || !json->is_object()) return std::nullopt;
  const JsonValue* arn = json->Find("deadLetterTargetArn");
  const JsonValue* count = json->Find("maxReceiveCount");
  if (arn == nullptr || !arn->is_string() || count == nullptr) {
    return std::nullopt;
  }
  RedriveTarget target;
  target.arn = arn->text;
  if (!absl::SimpleAtoi(count->text, &target.max_receive_count)) {
    return std::nullopt;
  }
  const size_t colon = target.arn.rfind(':');
  target.queue_name =
      colon == std::string::npos ? target.arn : target.arn.substr(colon + 1);
  return target;
}

absl::Status CheckRedriveAllowed(const QueueAttributes& dead_letter,
                                 const std::string& source_arn,
                                 const std::string& redrive_policy) {
  if (dead_letter.redrive_allow_policy.empty()) return absl::OkStatus();
  std::optional<JsonValue> json = ParseJson(dead_letter.redrive_allow_policy);
  if (!json.has_value()) return absl::OkStatus();
  const JsonValue* permission = json->Find("redrivePermission");
  const std::string mode = permission != nullptr ? permission->text : "";
  bool allowed = mode != "denyAll";
  if (mode == "byQueue") {
    allowed = false;
    if (const JsonValue* arns = json->Find("sourceQueueArns")) {
      for (const JsonValue& arn : arns->elements) {
        if (arn.text == source_arn) allowed = true;
      }
    }
  }
  if (allowed) return absl::OkStatus();
  return InvalidParameterValueError(absl::StrCat(
      "Value ", redrive_policy,
      " for parameter RedrivePolicy is invalid. Reason: Queue ", source_arn,
      " is not allowed by the RedriveAllowPolicy of its dead-letter queue."));
}

}  // namespace cortado

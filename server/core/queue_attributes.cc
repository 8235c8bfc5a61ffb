#include "server/core/queue_attributes.h"

#include <optional>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "common/json.h"
#include "server/core/errors.h"

namespace cortado {
namespace {

constexpr absl::string_view kFifoSuffix = ".fifo";
constexpr size_t kMaxQueueNameLength = 80;
constexpr int32_t kDefaultKmsDataKeyReusePeriodSeconds = 300;
constexpr int32_t kMaxReceiveCountLimit = 1000;

struct IntegerAttribute {
  absl::string_view name;
  int32_t QueueAttributes::*field;
  int32_t min;
  int32_t max;
};

constexpr IntegerAttribute kIntegerAttributes[] = {
    {"DelaySeconds", &QueueAttributes::delay_seconds, 0, kMaxDelaySeconds},
    {"MaximumMessageSize", &QueueAttributes::maximum_message_size, 1024,
     1048576},
    {"MessageRetentionPeriod", &QueueAttributes::message_retention_period, 60,
     1209600},
    {"ReceiveMessageWaitTimeSeconds",
     &QueueAttributes::receive_message_wait_time_seconds, 0,
     kMaxWaitTimeSeconds},
    {"VisibilityTimeout", &QueueAttributes::visibility_timeout, 0,
     kMaxVisibilityTimeoutSeconds},
    {"KmsDataKeyReusePeriodSeconds",
     &QueueAttributes::kms_data_key_reuse_period_seconds, 60, 86400},
};

// Settable on every queue (besides the integers above).
constexpr absl::string_view kCommonAttributes[] = {
    "Policy", "RedrivePolicy", "RedriveAllowPolicy", "KmsMasterKeyId",
    "SqsManagedSseEnabled"};

// Settable on FIFO queues only.
constexpr absl::string_view kFifoAttributes[] = {
    "FifoQueue", "ContentBasedDeduplication", "DeduplicationScope",
    "FifoThroughputLimit"};

// Computed by the broker; never settable.
constexpr absl::string_view kReadOnlyAttributes[] = {
    "ApproximateNumberOfMessages",
    "ApproximateNumberOfMessagesNotVisible",
    "ApproximateNumberOfMessagesDelayed",
    "CreatedTimestamp",
    "LastModifiedTimestamp",
    "QueueArn"};

template <size_t N>
bool Contains(const absl::string_view (&names)[N], absl::string_view name) {
  for (absl::string_view candidate : names) {
    if (candidate == name) return true;
  }
  return false;
}

const IntegerAttribute* FindIntegerAttribute(absl::string_view name) {
  for (const IntegerAttribute& attribute : kIntegerAttributes) {
    if (attribute.name == name) return &attribute;
  }
  return nullptr;
}

absl::Status UnknownAttributeError(absl::string_view name) {
  return MakeError(ErrorKind::kInvalidAttributeName,
                   absl::StrCat("Unknown Attribute ", name, "."));
}

absl::Status InvalidAttributeValueError(absl::string_view name) {
  return MakeError(ErrorKind::kInvalidAttributeValue,
                   absl::StrCat("Invalid value for the parameter ", name, "."));
}

absl::Status InvalidAttributeValueError(absl::string_view name,
                                        absl::string_view reason) {
  return MakeError(ErrorKind::kInvalidAttributeValue,
                   absl::StrCat("Invalid value for the parameter ", name,
                                ". Reason: ", reason));
}

// "Value <value> for parameter RedrivePolicy is invalid. Reason: <reason>"
absl::Status InvalidRedrivePolicyError(absl::string_view value,
                                       absl::string_view reason) {
  return InvalidParameterValueError(absl::StrCat(
      "Value ", value,
      " for parameter RedrivePolicy is invalid. Reason: ", reason));
}

// A plain decimal integer ("030" is 30); no sign, no spaces, no fraction.
// Values too large for int32 come back as a number above every range.
std::optional<int64_t> ParseInteger(absl::string_view text) {
  if (text.empty()) return std::nullopt;
  int64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
    if (value > (int64_t{1} << 40)) value = int64_t{1} << 40;  // saturate
  }
  return value;
}

std::optional<bool> ParseBoolean(absl::string_view text) {
  if (absl::EqualsIgnoreCase(text, "true")) return true;
  if (absl::EqualsIgnoreCase(text, "false")) return false;
  return std::nullopt;
}

const char* BooleanString(bool value) { return value ? "true" : "false"; }

// maxReceiveCount as a JSON number or a numeric string; nullopt if it is
// neither an integer nor within 1-1000.
std::optional<int32_t> ParseMaxReceiveCount(const JsonValue& value) {
  if (!value.is_number() && !value.is_string()) return std::nullopt;
  std::optional<int64_t> count = ParseInteger(value.text);
  if (!count.has_value() || *count < 1 || *count > kMaxReceiveCountLimit) {
    return std::nullopt;
  }
  return static_cast<int32_t>(*count);
}

// Validates a RedrivePolicy and returns it in the compact form SQS returns:
// {"deadLetterTargetArn":"...","maxReceiveCount":N}.
absl::StatusOr<std::string> NormalizeRedrivePolicy(const std::string& text) {
  std::optional<JsonValue> policy = ParseJson(text);
  if (!policy.has_value() || !policy->is_object()) {
    return InvalidAttributeValueError(
        "RedrivePolicy", "Redrive policy is not a valid JSON map.");
  }
  const JsonValue* target = policy->Find("deadLetterTargetArn");
  if (target == nullptr) {
    return InvalidRedrivePolicyError(
        text,
        "Redrive policy does not contain mandatory attribute: "
        "deadLetterTargetArn.");
  }
  const JsonValue* count = policy->Find("maxReceiveCount");
  if (count == nullptr) {
    return InvalidRedrivePolicyError(
        text,
        "Redrive policy does not contain mandatory attribute: "
        "maxReceiveCount.");
  }
  if (!target->is_string() || target->text.empty()) {
    return InvalidRedrivePolicyError(
        text, "Dead-letter target ARN should be fully qualified ARN.");
  }
  std::optional<int32_t> max_receive_count = ParseMaxReceiveCount(*count);
  if (!max_receive_count.has_value()) {
    const std::string shown =
        count->is_number() || count->is_string() ? count->text : "null";
    return InvalidRedrivePolicyError(
        text, absl::StrCat("Invalid value for maxReceiveCount: ", shown,
                           ", valid values are from 1 to 1000 both "
                           "inclusive."));
  }
  return absl::StrCat("{\"deadLetterTargetArn\":", JsonQuote(target->text),
                      ",\"maxReceiveCount\":", *max_receive_count, "}");
}

// {"redrivePermission": "allowAll" | "denyAll" | "byQueue",
//  "sourceQueueArns": [...]}  (ARNs only, and 1-10 of them, with byQueue).
absl::Status ValidateRedriveAllowPolicy(const std::string& text) {
  std::optional<JsonValue> policy = ParseJson(text);
  if (!policy.has_value() || !policy->is_object()) {
    return InvalidAttributeValueError(
        "RedriveAllowPolicy", "Redrive allow policy is not a valid JSON map.");
  }
  const absl::Status unsupported = InvalidAttributeValueError(
      "RedriveAllowPolicy",
      "Amazon SQS can't create the redrive allow policy, as it's in an "
      "unsupported format.");
  const JsonValue* permission = policy->Find("redrivePermission");
  if (permission == nullptr || !permission->is_string()) return unsupported;
  const JsonValue* sources = policy->Find("sourceQueueArns");
  if (permission->text == "allowAll" || permission->text == "denyAll") {
    return sources == nullptr ? absl::OkStatus() : unsupported;
  }
  if (permission->text != "byQueue" || sources == nullptr ||
      !sources->is_array() || sources->elements.empty() ||
      sources->elements.size() > 10) {
    return unsupported;
  }
  for (const JsonValue& arn : sources->elements) {
    if (!arn.is_string() || arn.text.empty()) return unsupported;
  }
  return absl::OkStatus();
}

// Rejects names that cannot be set on this kind of queue.
absl::Status CheckSettableName(const std::string& name, bool fifo) {
  if (FindIntegerAttribute(name) != nullptr ||
      Contains(kCommonAttributes, name)) {
    return absl::OkStatus();
  }
  if (!Contains(kFifoAttributes, name)) return UnknownAttributeError(name);
  if (fifo) return absl::OkStatus();
  if (name == "DeduplicationScope" || name == "FifoThroughputLimit") {
    return MakeError(ErrorKind::kInvalidAttributeName,
                     absl::StrCat("You can specify the ", name,
                                  " only when FifoQueue is set to true."));
  }
  return UnknownAttributeError(name);  // FifoQueue, ContentBasedDeduplication
}

// Sets one attribute whose name CheckSettableName accepted.
absl::Status SetAttribute(const std::string& name, const std::string& value,
                          QueueAttributes& attributes) {
  if (const IntegerAttribute* integer = FindIntegerAttribute(name)) {
    std::optional<int64_t> parsed = ParseInteger(value);
    if (!parsed.has_value() || *parsed < integer->min ||
        *parsed > integer->max) {
      return InvalidAttributeValueError(name);
    }
    attributes.*(integer->field) = static_cast<int32_t>(*parsed);
    return absl::OkStatus();
  }
  if (name == "SqsManagedSseEnabled" || name == "ContentBasedDeduplication" ||
      name == "FifoQueue") {
    std::optional<bool> parsed = ParseBoolean(value);
    if (!parsed.has_value()) return InvalidAttributeValueError(name);
    if (name == "SqsManagedSseEnabled") {
      attributes.sqs_managed_sse_enabled = *parsed;
    } else if (name == "ContentBasedDeduplication") {
      attributes.content_based_deduplication = *parsed;
    } else if (*parsed != attributes.fifo_queue) {
      return InvalidAttributeValueError(
          name, "Modifying queue type is not supported.");
    }
    return absl::OkStatus();
  }
  if (name == "DeduplicationScope") {
    if (value != "queue" && value != "messageGroup") {
      return InvalidAttributeValueError(name);
    }
    attributes.deduplication_scope = value;
    return absl::OkStatus();
  }
  if (name == "FifoThroughputLimit") {
    if (value != "perQueue" && value != "perMessageGroupId") {
      return InvalidAttributeValueError(name);
    }
    attributes.fifo_throughput_limit = value;
    return absl::OkStatus();
  }
  if (name == "Policy") {
    if (!value.empty() && !IsJsonObject(value)) {
      return InvalidAttributeValueError(name);
    }
    attributes.policy = value;
    return absl::OkStatus();
  }
  if (name == "RedrivePolicy") {
    if (value.empty()) {
      attributes.redrive_policy.clear();
      return absl::OkStatus();
    }
    absl::StatusOr<std::string> normalized = NormalizeRedrivePolicy(value);
    if (!normalized.ok()) return normalized.status();
    attributes.redrive_policy = *std::move(normalized);
    return absl::OkStatus();
  }
  if (name == "RedriveAllowPolicy") {
    if (!value.empty()) {
      if (absl::Status status = ValidateRedriveAllowPolicy(value);
          !status.ok()) {
        return status;
      }
    }
    attributes.redrive_allow_policy = value;
    return absl::OkStatus();
  }
  if (name == "KmsMasterKeyId") {
    attributes.kms_master_key_id = value;
    if (!value.empty()) attributes.sqs_managed_sse_enabled = false;
    return absl::OkStatus();
  }
  return UnknownAttributeError(name);
}

// Validates and applies `given` onto `attributes` (whose fifo_queue is
// already final): every name first, then every value, then the rules that
// tie attributes together.
absl::Status ApplyAll(const AttributeMap& given, QueueAttributes& attributes) {
  for (const auto& [name, value] : given) {
    if (absl::Status status = CheckSettableName(name, attributes.fifo_queue);
        !status.ok()) {
      return status;
    }
  }
  for (const auto& [name, value] : given) {
    if (absl::Status status = SetAttribute(name, value, attributes);
        !status.ok()) {
      return status;
    }
  }
  // A KMS key means KMS encryption, whatever order the map had.
  if (auto it = given.find("KmsMasterKeyId");
      it != given.end() && !it->second.empty()) {
    attributes.sqs_managed_sse_enabled = false;
  }
  if (attributes.fifo_throughput_limit == "perMessageGroupId" &&
      attributes.deduplication_scope != "messageGroup") {
    return InvalidAttributeValueError(
        "FifoThroughputLimit",
        "The perMessageGroupId value is allowed only when the value for "
        "DeduplicationScope is messageGroup.");
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<QueueAttributes> AttributesForNewQueue(
    const std::string& queue_name, const AttributeMap& given) {
  bool fifo = false;
  if (auto it = given.find("FifoQueue"); it != given.end()) {
    std::optional<bool> parsed = ParseBoolean(it->second);
    if (!parsed.has_value()) return InvalidAttributeValueError("FifoQueue");
    fifo = *parsed;
  }
  const bool fifo_name = absl::EndsWith(queue_name, kFifoSuffix);
  if (fifo && !(fifo_name && IsValidQueueName(queue_name))) {
    return InvalidParameterValueError(
        "The name of a FIFO queue can only include alphanumeric characters, "
        "hyphens, or underscores, must end with .fifo suffix and be 1 to 80 "
        "in length");
  }
  if (!fifo && (fifo_name || !IsValidQueueName(queue_name))) {
    return InvalidParameterValueError(
        "Can only include alphanumeric characters, hyphens, or underscores. "
        "1 to 80 in length");
  }
  QueueAttributes attributes;
  attributes.fifo_queue = fifo;
  if (absl::Status status = ApplyAll(given, attributes); !status.ok()) {
    return status;
  }
  return attributes;
}

absl::StatusOr<QueueAttributes> ApplyAttributeChanges(
    const QueueAttributes& current, const AttributeMap& given) {
  QueueAttributes attributes = current;
  if (absl::Status status = ApplyAll(given, attributes); !status.ok()) {
    return status;
  }
  return attributes;
}

std::string FirstDifferingAttribute(const QueueAttributes& current,
                                    const AttributeMap& given) {
  for (const auto& [name, value] : given) {
    // Apply the one value to a copy: parsing normalises it ("030" is 30,
    // "TRUE" is true), so comparing the results compares meanings.
    QueueAttributes changed = current;
    if (!CheckSettableName(name, current.fifo_queue).ok() ||
        !SetAttribute(name, value, changed).ok() || changed != current) {
      return name;
    }
  }
  return "";
}

AttributeMap RenderAttributes(const QueueAttributes& attributes) {
  AttributeMap rendered;
  for (const IntegerAttribute& integer : kIntegerAttributes) {
    rendered[std::string(integer.name)] =
        absl::StrCat(attributes.*(integer.field));
  }
  if (attributes.kms_data_key_reuse_period_seconds ==
          kDefaultKmsDataKeyReusePeriodSeconds &&
      attributes.kms_master_key_id.empty()) {
    rendered.erase("KmsDataKeyReusePeriodSeconds");
  }
  rendered["SqsManagedSseEnabled"] =
      BooleanString(attributes.sqs_managed_sse_enabled);
  if (!attributes.policy.empty()) rendered["Policy"] = attributes.policy;
  if (!attributes.redrive_policy.empty()) {
    rendered["RedrivePolicy"] = attributes.redrive_policy;
  }
  if (!attributes.redrive_allow_policy.empty()) {
    rendered["RedriveAllowPolicy"] = attributes.redrive_allow_policy;
  }
  if (!attributes.kms_master_key_id.empty()) {
    rendered["KmsMasterKeyId"] = attributes.kms_master_key_id;
  }
  if (attributes.fifo_queue) {
    rendered["FifoQueue"] = "true";
    rendered["ContentBasedDeduplication"] =
        BooleanString(attributes.content_based_deduplication);
    rendered["DeduplicationScope"] = attributes.deduplication_scope;
    rendered["FifoThroughputLimit"] = attributes.fifo_throughput_limit;
  }
  return rendered;
}

bool IsKnownQueueAttributeName(const std::string& name) {
  return name == "All" || FindIntegerAttribute(name) != nullptr ||
         Contains(kCommonAttributes, name) || Contains(kFifoAttributes, name) ||
         Contains(kReadOnlyAttributes, name);
}

bool IsValidQueueName(const std::string& name) {
  if (name.empty() || name.size() > kMaxQueueNameLength) return false;
  absl::string_view base = name;
  absl::ConsumeSuffix(&base, kFifoSuffix);
  if (base.empty()) return false;
  for (char c : base) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '-' &&
        c != '_') {
      return false;
    }
  }
  return true;
}

}  // namespace cortado

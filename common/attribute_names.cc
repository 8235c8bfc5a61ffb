#include "common/attribute_names.h"

#include <initializer_list>

#include "absl/algorithm/container.h"

namespace cortado {
namespace {

// SQS's settable queue attributes (SetQueueAttributes / CreateQueue).
constexpr absl::string_view kQueueAttributes[] = {
    "DelaySeconds",
    "MaximumMessageSize",
    "MessageRetentionPeriod",
    "ReceiveMessageWaitTimeSeconds",
    "VisibilityTimeout",
    "Policy",
    "RedrivePolicy",
    "RedriveAllowPolicy",
    "KmsMasterKeyId",
    "KmsDataKeyReusePeriodSeconds",
    "SqsManagedSseEnabled",
    "FifoQueue",
    "ContentBasedDeduplication",
    "DeduplicationScope",
    "FifoThroughputLimit",
};

// SNS's settable topic attributes (CreateTopic / SetTopicAttributes).
constexpr absl::string_view kTopicAttributes[] = {
    "DisplayName",         "Policy",
    "DeliveryPolicy",      "KmsMasterKeyId",
    "SignatureVersion",    "TracingConfig",
    "FifoTopic",           "ContentBasedDeduplication",
    "ArchivePolicy",       "DataProtectionPolicy",
    "FifoThroughputScope",
};

// SNS's settable subscription attributes (Subscribe /
// SetSubscriptionAttributes).
constexpr absl::string_view kSubscriptionAttributes[] = {
    "DeliveryPolicy",     "FilterPolicy",  "FilterPolicyScope",
    "RawMessageDelivery", "RedrivePolicy", "SubscriptionRoleArn",
    "ReplayPolicy",
};

constexpr absl::string_view kJsonAttributes[] = {
    "Policy",       "RedrivePolicy", "RedriveAllowPolicy",   "DeliveryPolicy",
    "FilterPolicy", "ArchivePolicy", "DataProtectionPolicy", "ReplayPolicy",
};

}  // namespace

bool IsSettableAttribute(AttributeOwner owner, absl::string_view name) {
  switch (owner) {
    case AttributeOwner::kQueue:
      return absl::c_linear_search(kQueueAttributes, name);
    case AttributeOwner::kTopic:
      return absl::c_linear_search(kTopicAttributes, name);
    case AttributeOwner::kSubscription:
      return absl::c_linear_search(kSubscriptionAttributes, name);
  }
  return false;
}

bool IsJsonAttribute(absl::string_view name) {
  return absl::c_linear_search(kJsonAttributes, name);
}

}  // namespace cortado

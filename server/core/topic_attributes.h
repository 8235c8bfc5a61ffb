// SNS topic and subscription attributes: which names exist, their allowed
// values, the typed TopicAttributes publishing reads, and the maps
// Get{Topic,Subscription}Attributes return. Errors are
// InvalidParameter with SNS's wording (sqs-protocol.md §6.2).
// Thread-safety: pure functions.
#ifndef CORTADO_SERVER_CORE_TOPIC_ATTRIBUTES_H_
#define CORTADO_SERVER_CORE_TOPIC_ATTRIBUTES_H_

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "server/core/queue_attributes.h"

namespace cortado {

// What publishing needs of a topic's attributes, parsed once when they are
// set (CreateTopic, SetTopicAttributes) or loaded, as QueueAttributes are
// for queues. The stored map stays the record's (the on-disk format and
// what GetTopicAttributes renders).
struct TopicAttributes {
  bool fifo = false;
  // FIFO topics: a publish without MessageDeduplicationId is deduplicated
  // by the SHA-256 of its message.
  bool content_based_deduplication = false;
  // FifoThroughputScope "MessageGroup": the deduplication window is kept
  // per message group instead of per topic.
  bool deduplication_per_group = false;
  // Of the envelopes' signatures: 1 (SHA1withRSA) or 2 (SHA256withRSA).
  int signature_version = 1;

  // From a map validated by AttributesForNewTopic/ValidateTopicAttribute
  // (or loaded from the store); never fails: values it does not know read
  // as the defaults, as publishing always read them.
  static TopicAttributes FromStored(const AttributeMap& stored, bool fifo);
};

// Topic names: 1-256 of [A-Za-z0-9_-]; FIFO topics end in ".fifo".
bool IsValidTopicName(const std::string& name);

// Validates CreateTopic's attributes for a topic named `name` (FifoTopic must
// agree with the ".fifo" suffix). Returns the map to store (FifoTopic and
// ContentBasedDeduplication normalised to "true"/"false" on FIFO topics).
absl::StatusOr<AttributeMap> AttributesForNewTopic(const std::string& name,
                                                   const AttributeMap& given);

// Validates one SetTopicAttributes change (FifoTopic cannot change).
absl::Status ValidateTopicAttribute(const std::string& name,
                                    const std::string& value, bool fifo);

// GetTopicAttributes' map: Owner, Policy (default if unset), TopicArn,
// DisplayName, Subscriptions*, EffectiveDeliveryPolicy, and the set ones.
AttributeMap RenderTopicAttributes(const AttributeMap& stored,
                                   const std::string& topic_arn,
                                   const std::string& account_id,
                                   int confirmed_subscriptions);

// Validates one subscription attribute (Subscribe or SetSubscription-
// Attributes) other than FilterPolicy, which FilterPolicy::Parse checks.
absl::Status ValidateSubscriptionAttribute(const std::string& name,
                                           const std::string& value);

// True if `value` is "true" (case-insensitive), as SNS reads booleans.
bool IsTrue(absl::string_view value);

// "http" or "https": subscriptions the broker POSTs to.
bool IsHttpProtocol(absl::string_view protocol);

// An HTTP(S) subscription's EffectiveDeliveryPolicy: its own DeliveryPolicy
// if set, else SNS's default HTTP policy (its healthyRetryPolicy: 3 retries
// 20 s apart, linear).
std::string EffectiveHttpDeliveryPolicy(const AttributeMap& topic,
                                        const AttributeMap& subscription);

// The deadLetterTargetArn of a subscription RedrivePolicy, or nullopt if the
// policy is not a JSON object with that string member.
std::optional<std::string> RedriveTargetArn(absl::string_view policy);

}  // namespace cortado

#endif  // CORTADO_SERVER_CORE_TOPIC_ATTRIBUTES_H_

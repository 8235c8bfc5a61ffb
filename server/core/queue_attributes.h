// QueueAttributes: the settable attributes of a queue, their defaults, ranges
// and SQS string forms.
// Thread-safety: value type and pure functions.
#ifndef CORTADO_SERVER_CORE_QUEUE_ATTRIBUTES_H_
#define CORTADO_SERVER_CORE_QUEUE_ATTRIBUTES_H_

#include <cstdint>
#include <map>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace cortado {

// Attribute name -> value, as SQS sends them (always strings).
using AttributeMap = std::map<std::string, std::string>;

struct QueueAttributes {
  int32_t delay_seconds = 0;                      // 0-900
  int32_t maximum_message_size = 1048576;         // 1024-1048576
  int32_t message_retention_period = 345600;      // 60-1209600
  int32_t receive_message_wait_time_seconds = 0;  // 0-20
  int32_t visibility_timeout = 30;                // 0-43200
  std::string policy;                // IAM policy JSON; empty = none
  std::string redrive_policy;        // JSON; empty = none
  std::string redrive_allow_policy;  // JSON; empty = none
  std::string kms_master_key_id;     // empty = none
  int32_t kms_data_key_reuse_period_seconds = 300;  // 60-86400
  bool sqs_managed_sse_enabled = true;
  // FIFO only.
  bool fifo_queue = false;
  bool content_based_deduplication = false;
  std::string deduplication_scope = "queue";  // queue | messageGroup
  std::string fifo_throughput_limit =
      "perQueue";  // perQueue | perMessageGroupId

  friend bool operator==(const QueueAttributes&,
                         const QueueAttributes&) = default;
};

// Limits shared by validation code.
inline constexpr int32_t kMaxVisibilityTimeoutSeconds = 43200;
inline constexpr int32_t kMaxDelaySeconds = 900;
inline constexpr int32_t kMaxWaitTimeSeconds = 20;

// Builds the attributes of a new queue named `queue_name` from CreateQueue's
// map: defaults, then the given values, validated (InvalidAttributeName,
// InvalidAttributeValue, InvalidParameterValue for name/type mismatches).
absl::StatusOr<QueueAttributes> AttributesForNewQueue(
    const std::string& queue_name, const AttributeMap& given);

// Applies SetQueueAttributes' map onto `current`, validated the same way;
// read-only names and FifoQueue changes are rejected. Returns the new value.
absl::StatusOr<QueueAttributes> ApplyAttributeChanges(
    const QueueAttributes& current, const AttributeMap& given);

// For CreateQueue on an existing queue: the first name in `given` whose value
// differs from `current`, or empty if all match.
std::string FirstDifferingAttribute(const QueueAttributes& current,
                                    const AttributeMap& given);

// The settable attributes in SQS's string form (only those SQS returns:
// FIFO ones only on FIFO queues, optional ones only when set).
AttributeMap RenderAttributes(const QueueAttributes& attributes);

// True if `name` is a queue attribute SQS knows (settable or read-only).
bool IsKnownQueueAttributeName(const std::string& name);

// Checks a queue name: 1-80 chars of [A-Za-z0-9_-], optional ".fifo".
bool IsValidQueueName(const std::string& name);

}  // namespace cortado

#endif  // CORTADO_SERVER_CORE_QUEUE_ATTRIBUTES_H_

// FanOutTarget is all that topics see of the queues: the narrow interface
// through which a publish plans its subscribers' copies into the same
// transaction (and so the same group commit) as the publish itself. The
// Broker implements it over its queues; a partitioned broker can implement
// it over queues that live elsewhere.
// Thread-safety: called only while planning, on the writer thread, with the
// implementation's lock held by the caller.
#ifndef CORTADO_SERVER_CORE_FAN_OUT_TARGET_H_
#define CORTADO_SERVER_CORE_FAN_OUT_TARGET_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "server/core/api.h"
#include "server/core/txn.h"

namespace cortado {

class FanOutTarget {
 public:
  virtual ~FanOutTarget() = default;

  // Plans `copy` into the queue named `queue_name` exactly as a SendMessage
  // would, FIFO queues taking `dedup_id` as its deduplication id. Answers
  // the queue's refusal (e.g. a body over its MaximumMessageSize) or
  // QueueDoesNotExist; nothing is planned then. A queue of another
  // partition (cluster mode) cannot answer now: the copy leaves through the
  // outbox, OK is answered, and there, if the queue refuses it or does not
  // exist, the copy goes to `fallback_queue` (if not "") marked as
  // MarkUndelivered does.
  virtual absl::Status PlanCopy(const std::string& queue_name,
                                SendMessageEntry copy,
                                const std::string& dedup_id,
                                const std::string& fallback_queue,
                                Txn& txn) = 0;

  // The next number of the broker-wide message sequence: durable, increasing
  // across restarts and never reused (FIFO topics' SequenceNumber).
  virtual uint64_t NextSequence(Txn& txn) = 0;
};

// Marks a copy that its queue refused (`why`) for the subscription's
// dead-letter queue, with the attributes SNS adds there (RequestID,
// ErrorCode, ErrorMessage).
void MarkUndelivered(SendMessageEntry& copy, const absl::Status& why);

}  // namespace cortado

#endif  // CORTADO_SERVER_CORE_FAN_OUT_TARGET_H_

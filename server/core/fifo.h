// FIFO queue bookkeeping that is not about message order: the 5-minute
// deduplication window, the SequenceNumber format and remembered receive
// attempts (ReceiveRequestAttemptId). Message groups live in Queue.
// Thread-safety: not thread-safe; the Broker guards these with its mu_.
#ifndef CORTADO_SERVER_CORE_FIFO_H_
#define CORTADO_SERVER_CORE_FIFO_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "server/core/api.h"
#include "server/core/expiring_map.h"
#include "server/core/queue_attributes.h"
#include "server/core/store.h"

namespace cortado {

// SQS's deduplication interval and the life of a receive attempt id.
inline constexpr absl::Duration kFifoDedupWindow = absl::Minutes(5);

// The SequenceNumber of the message with broker sequence `sequence`: a
// 20-digit decimal (128-bit in SQS's model), strictly increasing with the
// sequence, which is never reused.
std::string FifoSequenceNumber(uint64_t sequence);

// The window key of a send: the dedup id (DeduplicationScope=queue) or the
// group and dedup id (messageGroup). Ids never contain spaces.
std::string DedupScopeKey(absl::string_view scope,
                          absl::string_view message_group_id,
                          absl::string_view deduplication_id);

// MessageGroupId / MessageDeduplicationId / ReceiveRequestAttemptId: 1-128
// alphanumerics and ASCII punctuation.
bool IsValidFifoId(absl::string_view id);

// Checks a send's MessageGroupId, MessageDeduplicationId and DelaySeconds
// against the queue's type, with SQS's errors, and sets `deduplication_id`
// (FIFO: the explicit id, else the body's SHA-256 when the queue has
// ContentBasedDeduplication; standard: empty).
absl::Status CheckGroupAndDeduplication(const QueueAttributes& attributes,
                                        const SendMessageEntry& entry,
                                        std::string* deduplication_id);

// FIFO's stale-handle error: "The receipt handle has expired."
absl::Status ExpiredReceiptHandleError(absl::string_view handle);

// A deduplication window (of a queue, or of a FIFO topic): the MessageId and
// SequenceNumber answered for each deduplication key for 5 minutes.
struct DedupEntry {
  std::string message_id;
  std::string sequence_number;
  absl::Time expires;
};
class DedupWindow : public ExpiringMap<DedupEntry> {
 public:
  using Entry = DedupEntry;
};

// Receives made with a ReceiveRequestAttemptId, kept for 5 minutes so a
// retried receive gets the same messages and receipt handles. The Broker
// persists each one in the commit of its receive (ReceiveAttemptRecord), so
// a retry after a restart is answered too. Only the messages' sequences,
// receive counts and deadlines are kept: a replay renders the messages from
// the queue, as the first receive did.
struct ReceiveAttempt {
  std::vector<ReceiveAttemptRecord::Taken> taken;
  absl::Time expires;
};
class ReceiveAttempts : public ExpiringMap<ReceiveAttempt> {
 public:
  using Taken = ReceiveAttemptRecord::Taken;
  using Attempt = ReceiveAttempt;
};

}  // namespace cortado

#endif  // CORTADO_SERVER_CORE_FIFO_H_

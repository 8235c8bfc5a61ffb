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

#include "absl/container/btree_set.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "server/core/api.h"
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

// The deduplication window of one queue.
class DedupWindow {
 public:
  struct Entry {
    std::string message_id;
    std::string sequence_number;
    absl::Time expires;
  };

  // The entry for `key` if it is still in its window at `now`.
  const Entry* Find(const std::string& key, absl::Time now) const;
  // Adds or replaces the entry of `key`.
  void Put(const std::string& key, Entry entry);
  // Drops entries whose window ended at or before `now`; true if any did.
  bool ExpireUpTo(absl::Time now);
  // When the next entry expires, or InfiniteFuture.
  absl::Time NextExpiry() const;
  size_t size() const { return entries_.size(); }

 private:
  absl::flat_hash_map<std::string, Entry> entries_;
  absl::btree_set<std::pair<absl::Time, std::string>> by_expiry_;
};

// Receives made with a ReceiveRequestAttemptId, kept for 5 minutes so a
// retried receive gets the same messages and receipt handles. The Broker
// persists each one in the commit of its receive (ReceiveAttemptRecord), so
// a retry after a restart is answered too. Only the messages' sequences,
// receive counts and deadlines are kept: a replay renders the messages from
// the queue, as the first receive did.
class ReceiveAttempts {
 public:
  using Taken = ReceiveAttemptRecord::Taken;
  struct Attempt {
    std::vector<Taken> taken;
    absl::Time expires;
  };

  // The attempt recorded under `id` and still alive at `now`, or nullptr.
  Attempt* Find(const std::string& id, absl::Time now);
  // Adds or replaces the attempt of `id`.
  void Put(const std::string& id, Attempt attempt);
  // Drops attempts whose time ended at or before `now`; true if any did.
  bool ExpireUpTo(absl::Time now);
  // When the next attempt expires, or InfiniteFuture.
  absl::Time NextExpiry() const;
  size_t size() const { return attempts_.size(); }

 private:
  absl::flat_hash_map<std::string, Attempt> attempts_;
  absl::btree_set<std::pair<absl::Time, std::string>> by_expiry_;
};

}  // namespace cortado

#endif  // CORTADO_SERVER_CORE_FIFO_H_

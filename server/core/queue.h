// Queue holds the messages of one queue (compact Messages, see message.h)
// and the indexes that make every operation logarithmic: all messages by
// sequence, visible messages in send order, delayed and in-flight messages
// by the time they become visible, and all messages by enqueue time for
// retention (the send time, except after a move to a FIFO dead-letter
// queue: Message::enqueued). FIFO queues also index their message groups: a
// group can be received from when none of its messages is in flight and its
// oldest message is visible, and those groups are kept ordered by their
// oldest message, so a receive never scans blocked groups or backlogs.
// It knows no locks, stores or callbacks.
// Thread-safety: not thread-safe; the Broker guards every Queue with its mu_.
#ifndef CORTADO_SERVER_CORE_QUEUE_H_
#define CORTADO_SERVER_CORE_QUEUE_H_

#include <cstdint>
#include <limits>
#include <optional>
#include <utility>
#include <vector>

#include "absl/container/btree_map.h"
#include "absl/container/btree_set.h"
#include "absl/container/flat_hash_map.h"
#include "absl/time/time.h"
#include "server/core/fifo.h"
#include "server/core/message.h"
#include "server/core/metrics.h"
#include "server/core/redrive.h"
#include "server/core/store.h"

namespace cortado {

class Queue {
 public:
  explicit Queue(QueueRecord record) { SetRecord(std::move(record)); }

  uint64_t id() const { return record_.queue_id; }
  bool fifo() const { return record_.attributes.fifo_queue; }
  const std::string& name() const { return record_.name; }
  const QueueRecord& record() const { return record_; }
  void SetRecord(QueueRecord record) {
    record_ = std::move(record);
    redrive_ = ParseRedrivePolicy(record_.attributes.redrive_policy);
  }
  // The queue's dead-letter target, parsed from its RedrivePolicy.
  const std::optional<RedriveTarget>& redrive() const { return redrive_; }

  // Adds a message; its state follows from visible_at, receive_count and now.
  Message& Add(Message::Ptr message, absl::Time now);
  // nullptr if absent.
  Message* Find(uint64_t sequence);
  void Remove(uint64_t sequence);
  // Removes every message.
  void Clear();
  // The lowest and highest sequence of the queue's messages (what the store
  // needs to find them all without an index by queue).
  SequenceRange Sequences() const;

  // Puts a message in flight until `deadline` (its record's visible_at).
  void SetInFlight(Message& message, absl::Time deadline);
  // Makes a delayed or in-flight message visible now.
  void SetVisible(Message& message, absl::Time now);
  // After a receive at `now`: keeps `message` from other receives until
  // `deadline`. A deadline of `now` (a zero visibility timeout) leaves it
  // visible, with visible_at = now.
  void Hold(Message& message, absl::Time now, absl::Time deadline);

  // FIFO queues' DelaySeconds is retroactive (SQS): after it changes, every
  // message never received yet is delayed until its send time plus
  // `delay`, whether it was delayed or already visible; in-flight messages
  // and messages received before are left alone. Returns the messages whose
  // visible_at changed, for the caller to persist. Costs one pass over the
  // visible and delayed messages (queue_redelay.cc).
  std::vector<Message*> Redelay(absl::Duration delay, absl::Time now);

  // Makes delayed and in-flight messages whose time has come visible.
  // Returns how many became visible.
  int ReleaseDue(absl::Time now);
  // Removes messages past the retention period; returns their sequences.
  std::vector<uint64_t> RemoveExpired(absl::Time now);
  // The earliest time at which ReleaseDue or RemoveExpired has work, or a
  // deduplication entry or receive attempt expires; or InfiniteFuture.
  absl::Time NextDeadline() const;

  // Every message by sequence, whatever its state.
  const absl::btree_map<uint64_t, Message::Ptr>& messages() const {
    return messages_;
  }
  // Visible messages, oldest sequence first.
  const absl::btree_set<uint64_t>& visible() const { return visible_; }
  // FIFO: the oldest message of every group that can be received from now,
  // oldest first.
  const absl::btree_set<uint64_t>& ready_heads() const { return ready_heads_; }
  // FIFO: the messages of `group_id`, oldest first (empty if none).
  const absl::btree_set<uint64_t>& GroupMessages(
      const std::string& group_id) const;
  // Whether a receive could take a message now.
  bool HasReceivable() const {
    return fifo() ? !ready_heads_.empty() : !visible_.empty();
  }
  int64_t group_count() const { return groups_.size(); }
  // FIFO: the deduplication window and remembered receive attempts.
  DedupWindow& dedup() { return dedup_; }
  ReceiveAttempts& attempts() { return attempts_; }
  int64_t visible_count() const { return visible_.size(); }
  int64_t in_flight_count() const { return in_flight_.size(); }
  int64_t delayed_count() const { return delayed_.size(); }
  int64_t size() const { return messages_.size(); }
  // The enqueue time of the oldest message (retention's clock), if any.
  std::optional<absl::Time> OldestSentTime() const;
  // What happened to this queue's messages (metrics.h). The Broker counts.
  QueueCounters& counters() { return counters_; }
  const QueueCounters& counters() const { return counters_; }

  // Parked long polls (receive ids, oldest first). Owned by the Broker.
  absl::btree_set<uint64_t>& waiters() { return waiters_; }
  // The deadline under which the Broker indexed this queue.
  absl::Time scheduled_deadline = absl::InfiniteFuture();
  // Last PurgeQueue (60-second rule).
  absl::Time last_purge = absl::InfinitePast();

 private:
  // (time in nanoseconds, sequence): 16 bytes an entry.
  using TimeIndex = absl::btree_set<std::pair<int64_t, uint64_t>>;
  // A FIFO message group.
  struct Group {
    absl::btree_set<uint64_t> sequences;  // every message, oldest first
    int64_t in_flight = 0;
    uint64_t ready_head = 0;  // its entry in ready_heads_, 0 if none
  };
  void Unindex(const Message& message);
  // Moves `message` to `state` in the state indexes (not the group's).
  void Index(Message& message, MessageState state);
  // Retention: indexes `message` by its send time.
  void IndexSent(Message& message);
  void UnindexSent(const Message& message);
  // The (send time, sequence) of the message sent first, if any.
  std::optional<std::pair<int64_t, uint64_t>> OldestSent() const;
  // Re-derives whether `group_id` can be received from (FIFO).
  void RefreshGroup(const std::string& group_id);
  absl::Duration retention() const {
    return absl::Seconds(record_.attributes.message_retention_period);
  }

  QueueRecord record_;
  std::optional<RedriveTarget> redrive_;
  // An ordered map, not a hash map: 16 bytes an entry in full nodes (a
  // hash table at 1M entries sits at 2M slots).
  absl::btree_map<uint64_t, Message::Ptr> messages_;
  absl::btree_set<uint64_t> visible_;
  TimeIndex delayed_;    // (visible_at, sequence)
  TimeIndex in_flight_;  // (visible_at, sequence)
  // Retention wants the messages by send time ("send time" here and in the
  // names below is Message::enqueued, which is the send time unless a move
  // to a FIFO dead-letter queue restarted it). Messages are normally added
  // in send order: a message whose sequence and send time are both at least
  // those of every in-order message before it is "in order" (a bit in the
  // message), and among in-order messages sequence order is send order, so
  // messages_ itself indexes them and only the oldest one is remembered
  // (no index entry at all). The others (moved in with their original send
  // time, loaded out of order, a clock that stepped back) go to
  // sent_out_of_order_.
  TimeIndex sent_out_of_order_;  // (sent, sequence)
  // The lowest sequence of an in-order message, 0 if none. It only moves
  // forward (every new in-order message comes after it), so skipping the
  // out-of-order messages between two in-order ones costs each message at
  // most once.
  uint64_t oldest_in_order_ = 0;
  // The largest sequence and send time of any in-order message so far.
  uint64_t in_order_sequence_ = 0;
  int64_t in_order_sent_ = std::numeric_limits<int64_t>::min();
  absl::flat_hash_map<std::string, Group> groups_;  // FIFO only
  absl::btree_set<uint64_t> ready_heads_;           // FIFO only
  DedupWindow dedup_;
  ReceiveAttempts attempts_;
  absl::btree_set<uint64_t> waiters_;
  QueueCounters counters_;
};

}  // namespace cortado

#endif  // CORTADO_SERVER_CORE_QUEUE_H_

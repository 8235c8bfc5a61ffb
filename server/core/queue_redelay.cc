// Queue::Redelay: FIFO queues' retroactive DelaySeconds.
//
// SQS: "For FIFO queues, the per-queue delay setting is retroactive—changing
// the setting affects the delay of messages already in the queue." Cortado
// reads "messages already in the queue" as the messages not delivered yet:
// a message never received is visible at its send time plus the queue's
// current delay. Messages in flight, and messages that were received and
// came back, have been delivered already; no delay applies to them again.
//
// Cost: one pass over the visible and delayed messages (log n each) at
// SetQueueAttributes time, never on a receive, and one store row per
// message whose state or due time changes. A receive keeps its cost in
// the messages it returns because the indexes stay exact: each changed
// message moves between the delayed and visible indexes here, and its
// group's readiness is re-derived.
#include <vector>

#include "server/core/queue.h"

namespace cortado {

std::vector<Message*> Queue::Redelay(absl::Duration delay, absl::Time now) {
  const int64_t delay_nanos = absl::ToInt64Nanoseconds(delay);
  const int64_t now_nanos = ToNanos(now);
  // Collected first: re-indexing a message changes the sets walked here.
  // Delayed messages were never received (a received message that is not
  // visible is in flight); visible ones may have been.
  std::vector<Message*> candidates;
  candidates.reserve(delayed_.size() + visible_.size());
  for (const auto& [visible_at, sequence] : delayed_) {
    candidates.push_back(messages_.at(sequence).get());
  }
  for (uint64_t sequence : visible_) {
    Message* message = messages_.at(sequence).get();
    if (message->receive_count_ == 0) candidates.push_back(message);
  }
  std::vector<Message*> changed;
  for (Message* message : candidates) {
    const int64_t visible_at = message->sent_ + delay_nanos;
    // Due before and after: it stays visible and nothing reads its old
    // due time again, so a large visible backlog costs no writes.
    if (visible_at == message->visible_at_ ||
        (visible_at <= now_nanos && message->visible_at_ <= now_nanos)) {
      continue;
    }
    Unindex(*message);
    message->visible_at_ = visible_at;
    Index(*message, visible_at > now_nanos ? MessageState::kDelayed
                                           : MessageState::kVisible);
    // Neither state counts as in flight, so only the group's head may move.
    if (fifo()) RefreshGroup(message->message_group_id());
    changed.push_back(message);
  }
  return changed;
}

}  // namespace cortado

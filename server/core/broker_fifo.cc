// FIFO receive attempts of the Broker: a ReceiveMessage retried with the
// same ReceiveRequestAttemptId within 5 minutes gets the same messages and
// receipt handles, so a receive whose answer was lost is not lost work.
// Attempts are kept in memory only: after a restart a retried receive is
// simply a new receive (the messages become visible again at their
// deadline, as for any lost answer).
#include <utility>

#include "server/core/broker.h"
#include "server/core/fifo.h"

namespace cortado {

void Broker::RememberAttempt(Queue& queue, const std::string& attempt_id,
                             const std::vector<uint64_t>& taken,
                             const std::vector<ReceivedMessage>& messages,
                             absl::Time now) {
  ReceiveAttempts::Attempt attempt;
  attempt.expires = now + kFifoDedupWindow;
  attempt.messages = messages;
  for (uint64_t sequence : taken) {
    const Message& message = *queue.Find(sequence);
    attempt.taken.push_back(
        {sequence, message.receive_count(), message.visible_at()});
  }
  queue.attempts().Put(attempt_id, std::move(attempt), now);
}

std::optional<ReceiveMessageResult> Broker::ReplayAttempt(
    Queue& queue, const std::string& attempt_id, int32_t visibility_timeout,
    Txn& txn) {
  ReceiveAttempts::Attempt* attempt =
      queue.attempts().Find(attempt_id, txn.now());
  if (attempt == nullptr) return std::nullopt;
  for (const ReceiveAttempts::Taken& taken : attempt->taken) {
    const Message* message = queue.Find(taken.sequence);
    if (message == nullptr || message->receive_count() != taken.receive_count ||
        message->visible_at() != taken.visible_at) {
      return std::nullopt;  // deleted, received again or visibility changed
    }
  }
  const absl::Time deadline = txn.now() + absl::Seconds(visibility_timeout);
  for (ReceiveAttempts::Taken& taken : attempt->taken) {
    Message& message = *queue.Find(taken.sequence);
    queue.Hold(message, txn.now(), deadline);
    taken.visible_at = message.visible_at();
    txn.Write(UpdateMessageDelivery{message.DeliveryUpdate(queue.id())});
  }
  txn.Touch(queue.id());
  ReceiveMessageResult result;
  result.messages = attempt->messages;
  return result;
}

}  // namespace cortado

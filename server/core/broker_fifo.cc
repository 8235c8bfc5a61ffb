// FIFO-only behaviour of the Broker:
// - receive attempts: a ReceiveMessage retried with the same
//   ReceiveRequestAttemptId within 5 minutes gets the same messages and
//   receipt handles, so a receive whose answer was lost is not lost work.
//   Each attempt is written in the commit of its receive and reloaded at
//   start: receipt handles are derived from (queue, sequence, receive
//   count), all persisted, so a retry after a kill -9 is answered the same.
// - retroactive DelaySeconds (Queue::Redelay).
#include <utility>

#include "server/core/broker.h"
#include "server/core/fifo.h"

namespace cortado {

void Broker::RememberAttempt(Queue& queue, const std::string& attempt_id,
                             const std::vector<uint64_t>& taken, Txn& txn) {
  ReceiveAttempts::Attempt attempt;
  attempt.expires = txn.now() + kFifoDedupWindow;
  for (uint64_t sequence : taken) {
    const Message& message = *queue.Find(sequence);
    attempt.taken.push_back(
        {sequence, message.receive_count(), message.visible_at()});
  }
  txn.Write(PutReceiveAttempt{
      {queue.id(), attempt_id, attempt.taken, attempt.expires}});
  queue.attempts().Put(attempt_id, std::move(attempt));
  txn.Touch(queue.id());  // its expiry is a deadline of the queue
}

std::optional<ReceiveMessageResult> Broker::ReplayAttempt(
    Queue& queue, const ReceiveMessageRequest& request,
    int32_t visibility_timeout, Txn& txn) {
  const std::string& attempt_id = request.receive_request_attempt_id;
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
  ReceiveMessageResult result;
  for (ReceiveAttempts::Taken& taken : attempt->taken) {
    Message& message = *queue.Find(taken.sequence);
    queue.Hold(message, txn.now(), deadline);
    taken.visible_at = message.visible_at();
    txn.Write(UpdateMessageDelivery{message.DeliveryUpdate(queue.id())});
    // Receive count, first receive and send time are those of the first
    // answer, so this renders it again (with the attributes the retry asks
    // for, normally the same request).
    result.messages.push_back(Render(queue, message, request));
  }
  // The new deadlines are what a further retry must find.
  txn.Write(PutReceiveAttempt{
      {queue.id(), attempt_id, attempt->taken, attempt->expires}});
  txn.Touch(queue.id());
  return result;
}

void Broker::LoadReceiveAttempts(std::vector<ReceiveAttemptRecord>& records) {
  for (ReceiveAttemptRecord& record : records) {
    auto it = queues_by_id_.find(record.queue_id);
    if (it == queues_by_id_.end()) continue;
    // Expired ones too (Find ignores them): the first timer pass then
    // deletes their rows.

    it->second->attempts().Put(record.attempt_id,
                               {std::move(record.taken), record.expires});
  }
}

void Broker::PlanRetroactiveDelay(Queue& queue, Txn& txn) {
  const std::vector<Message*> changed = queue.Redelay(
      absl::Seconds(queue.record().attributes.delay_seconds), txn.now());
  if (changed.empty()) return;
  // One row per changed message in this commit, so a restart places each
  // message exactly as memory has it now (Queue::Add reads visible_at).
  for (const Message* message : changed) {
    txn.Write(UpdateMessageDelivery{message->DeliveryUpdate(queue.id())});
  }
  txn.Touch(queue.id());
  // A lower delay may have released messages to parked receives.
  ServeWaiters(queue, txn);
}

}  // namespace cortado

// Message actions of the Broker: send, receive (taking messages), delete and
// visibility changes, single and batched.
#include <algorithm>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "common/uuid.h"
#include "server/core/broker.h"
#include "server/core/errors.h"
#include "server/core/fifo.h"
#include "server/core/prepared_send.h"
#include "server/core/receipt_handle.h"
#include "server/core/status_macros.h"
#include "server/core/system_attributes.h"

namespace cortado {
namespace {

constexpr size_t kMaxBatchEntries = 10;
constexpr int64_t kMaxBatchBytes = 1048576;

bool IsValidBatchEntryId(const std::string& id) {
  if (id.empty() || id.size() > 80) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '-' || c == '_';
  });
}

// The checks SQS makes on a whole batch before looking at any entry.
absl::Status ValidateBatch(const std::vector<std::string>& ids,
                           absl::string_view entry_type) {
  if (ids.empty()) {
    return MakeError(ErrorKind::kEmptyBatchRequest,
                     absl::StrCat("There should be at least one ", entry_type,
                                  " in the request."));
  }
  if (ids.size() > kMaxBatchEntries) {
    return MakeError(ErrorKind::kTooManyEntriesInBatchRequest,
                     absl::StrCat("Maximum number of entries per request are "
                                  "10. You have sent ",
                                  ids.size(), "."));
  }
  absl::flat_hash_set<std::string> seen;
  for (const std::string& id : ids) {
    if (!IsValidBatchEntryId(id)) {
      return MakeError(ErrorKind::kInvalidBatchEntryId,
                       "A batch entry id can only contain alphanumeric "
                       "characters, hyphens and underscores. It can be at most "
                       "80 letters long.");
    }
    if (!seen.insert(id).second) {
      return MakeError(ErrorKind::kBatchEntryIdsNotDistinct,
                       absl::StrCat("Id ", id, " repeated."));
    }
  }
  return absl::OkStatus();
}

// FIFO: only the handle of the current receive, while the message is still
// in flight, may delete it or change its visibility.
bool HoldsFifoMessage(const ReceiptHandle& handle, const Message& message) {
  return handle.receive_count == message.receive_count() &&
         message.state() == MessageState::kInFlight;
}

}  // namespace

void Broker::SendMessage(std::string queue_name, SendMessageEntry entry,
                         Callback<SendMessageResult> done) {
  // On the caller's thread, not the writer's (see PreparedSend).
  PreparedSend prepared = PrepareSend(entry);
  SubmitCall<SendMessageResult>(
      std::move(done),
      [this, name = std::move(queue_name), entry = std::move(entry),
       prepared =
           std::move(prepared)](Txn& txn) -> absl::StatusOr<SendMessageResult> {
        mu_.AssertHeld();
        CORTADO_ASSIGN_OR_RETURN(Queue * queue, FindQueue(name));
        return PlanSend(*queue, entry, txn, &prepared);
      });
}

void Broker::SendMessageBatch(std::string queue_name,
                              std::vector<SendMessageEntry> entries,
                              Callback<SendMessageBatchResult> done) {
  std::vector<PreparedSend> prepared;
  if (entries.size() <= kMaxBatchEntries) {  // else refused whole anyway
    prepared.reserve(entries.size());
    for (const SendMessageEntry& entry : entries) {
      prepared.push_back(PrepareSend(entry));
    }
  }
  SubmitCall<SendMessageBatchResult>(
      std::move(done),
      [this, name = std::move(queue_name), entries = std::move(entries),
       prepared = std::move(prepared)](Txn& txn) {
        mu_.AssertHeld();
        return PlanSendBatch(name, entries, prepared, txn);
      });
}

absl::StatusOr<SendMessageBatchResult> Broker::PlanSendBatch(
    const std::string& name, const std::vector<SendMessageEntry>& entries,
    const std::vector<PreparedSend>& prepared, Txn& txn) {
  CORTADO_ASSIGN_OR_RETURN(Queue * queue, FindQueue(name));
  std::vector<std::string> ids;
  int64_t total = 0;
  for (const SendMessageEntry& entry : entries) {
    ids.push_back(entry.id);
    total += entry.body.size() + AttributesSize(entry.attributes);
  }
  CORTADO_RETURN_IF_ERROR(ValidateBatch(ids, "SendMessageBatchRequestEntry"));
  if (total > kMaxBatchBytes) {
    return MakeError(
        ErrorKind::kBatchRequestTooLong,
        absl::StrCat("Batch requests cannot be longer than 1048576 "
                     "bytes. You have sent ",
                     total, " bytes."));
  }
  if (queue->fifo()) {
    // SQS fails the whole FIFO batch, not the entry, for these two.
    for (const SendMessageEntry& entry : entries) {
      if (entry.message_group_id.empty()) {
        return InvalidParameterValueError(
            "The request must contain the parameter MessageGroupId.");
      }
      if (entry.message_deduplication_id.empty() &&
          !queue->record().attributes.content_based_deduplication) {
        return InvalidParameterValueError(
            "The queue should either have ContentBasedDeduplication enabled "
            "or MessageDeduplicationId provided explicitly");
      }
    }
  }
  SendMessageBatchResult result;
  for (size_t i = 0; i < entries.size(); ++i) {
    const SendMessageEntry& entry = entries[i];
    absl::StatusOr<SendMessageResult> sent = PlanSend(
        *queue, entry, txn, i < prepared.size() ? &prepared[i] : nullptr);
    if (sent.ok()) {
      sent->id = entry.id;
      result.successful.push_back(*std::move(sent));
    } else {
      result.failed.push_back(EntryError(entry.id, sent.status()));
    }
  }
  return result;
}

absl::StatusOr<SendMessageResult> Broker::PlanSend(
    Queue& queue, const SendMessageEntry& entry, Txn& txn,
    const PreparedSend* prepared) {
  PreparedSend here;
  if (prepared == nullptr) {
    here = PrepareSend(entry);
    prepared = &here;
  }
  const QueueAttributes& attributes = queue.record().attributes;
  CORTADO_RETURN_IF_ERROR(prepared->body_check);
  const int32_t delay = entry.delay_seconds.value_or(attributes.delay_seconds);
  if (delay < 0 || delay > kMaxDelaySeconds) {
    return InvalidParameterValueError(
        absl::StrCat("Value ", delay,
                     " for parameter DelaySeconds is invalid. Reason: "
                     "DelaySeconds must be >= 0 and <= 900."));
  }
  CORTADO_RETURN_IF_ERROR(ValidateMessageAttributes(entry.attributes));
  CORTADO_RETURN_IF_ERROR(ValidateSystemAttributes(entry.system_attributes));
  const int64_t size = entry.body.size() + AttributesSize(entry.attributes);
  if (size > attributes.maximum_message_size) {
    return InvalidParameterValueError(
        absl::StrCat("One or more parameters are invalid. Reason: Message "
                     "must be shorter than ",
                     attributes.maximum_message_size, " bytes."));
  }
  std::string deduplication_id;
  CORTADO_RETURN_IF_ERROR(
      CheckGroupAndDeduplication(attributes, entry, &deduplication_id));
  const DedupWindow::Entry* duplicate = nullptr;
  std::string scope_key;
  if (queue.fifo()) {
    scope_key = DedupScopeKey(attributes.deduplication_scope,
                              entry.message_group_id, deduplication_id);
    duplicate = queue.dedup().Find(scope_key, txn.now());
  }
  SendMessageResult result;
  result.md5_of_message_body = prepared->md5_of_message_body;
  result.md5_of_message_attributes = prepared->md5_of_message_attributes;
  result.md5_of_message_system_attributes =
      prepared->md5_of_message_system_attributes;
  if (duplicate != nullptr) {
    // Accepted but not enqueued again: the first send's id and number.
    result.message_id = duplicate->message_id;
    result.sequence_number = duplicate->sequence_number;
    return result;
  }

  MessageRecord record;
  record.queue_id = queue.id();
  record.sequence = NextId(IdKind::kSequence, txn);
  record.message_id = prepared->message_id;
  record.body = entry.body;
  record.attributes = entry.attributes;
  record.system_attributes = entry.system_attributes;
  record.sender_id =
      entry.sender_id.empty() ? options_.account_id : entry.sender_id;
  record.message_group_id = entry.message_group_id;
  record.message_deduplication_id = deduplication_id;
  record.sent = txn.now();
  record.visible_at = txn.now() + absl::Seconds(delay);
  result.message_id = record.message_id;

  if (queue.fifo()) {
    result.sequence_number = FifoSequenceNumber(record.sequence);
    DedupRecord window{queue.id(), scope_key, record.message_id,
                       result.sequence_number, txn.now() + kFifoDedupWindow};
    queue.dedup().Put(
        scope_key, {window.message_id, window.sequence_number, window.expires});
    txn.Write(PutDedup{std::move(window)});
  }
  const Message& stored =
      queue.Add(Message::Make(record, sender_ids_), txn.now());
  ++queue.counters().sent;
  txn.Write(InsertMessage{std::move(record)});
  txn.Touch(queue.id());
  if (stored.state() == MessageState::kVisible) ServeWaiters(queue, txn);
  return result;
}

std::vector<ReceivedMessage> Broker::PlanTake(
    Queue& queue, const ReceiveMessageRequest& request,
    int32_t visibility_timeout, Txn& txn) {
  // Never past the in-flight cap, even within one receive.
  const int64_t room =
      options_.max_inflight_per_queue - queue.in_flight_count();
  const size_t max = static_cast<size_t>(std::max<int64_t>(
      0, std::min<int64_t>(request.max_number_of_messages, room)));
  // Messages whose receives ran out go to the dead-letter queue instead.
  const std::string* dead_letter = nullptr;
  if (queue.redrive().has_value()) {
    const std::string& name = queue.redrive()->queue_name;
    auto it = queues_.find(name);
    if (it != queues_.end() ? it->second.get() != &queue
                            : OtherPartitionOf(name).has_value()) {
      dead_letter = &name;
    }
  }
  std::vector<uint64_t> taken;
  std::vector<uint64_t> to_move;
  // Returns false once the receive is full.
  auto consider = [&](uint64_t sequence) {
    if (taken.size() >= max) return false;
    const Message& message = *queue.Find(sequence);
    if (dead_letter != nullptr &&
        message.receive_count() >= queue.redrive()->max_receive_count &&
        txn.MarkMoved(message.message_id())) {
      to_move.push_back(sequence);
    } else {
      taken.push_back(sequence);
    }
    return true;
  };
  if (queue.fifo()) {
    // Oldest ready group first, and as many of its messages, in order, as
    // are visible: a receive gets runs of one group, possibly of several.
    for (uint64_t head : queue.ready_heads()) {
      if (taken.size() >= max) break;
      const absl::btree_set<uint64_t>& group =
          queue.GroupMessages(queue.Find(head)->message_group_id());
      for (auto it = group.find(head); it != group.end(); ++it) {
        if (queue.Find(*it)->state() != MessageState::kVisible) break;
        if (!consider(*it)) break;
      }
    }
  } else {
    for (uint64_t sequence : queue.visible()) {
      if (!consider(sequence)) break;
    }
  }
  for (uint64_t sequence : to_move) {
    MoveToDeadLetterQueue(queue, *dead_letter, sequence, txn);
  }
  std::vector<ReceivedMessage> out;
  out.reserve(taken.size());
  const absl::Time now = txn.now();
  for (uint64_t sequence : taken) {
    Message& message = *queue.Find(sequence);
    message.CountReceive(now);
    // A zero timeout leaves the message visible for the next receive.
    queue.Hold(message, now, now + absl::Seconds(visibility_timeout));
    txn.Write(UpdateMessageDelivery{message.DeliveryUpdate(queue.id())});

    out.push_back(Render(queue, message, request));
  }
  if (!taken.empty()) txn.Touch(queue.id());
  queue.counters().received += taken.size();
  if (queue.fifo() && !request.receive_request_attempt_id.empty() &&
      !out.empty()) {
    RememberAttempt(queue, request.receive_request_attempt_id, taken, txn);
  }
  return out;
}

ReceivedMessage Broker::Render(const Queue& queue, const Message& message,
                               const ReceiveMessageRequest& request) const {
  ReceivedMessage received;
  received.message_id = message.message_id();
  received.receipt_handle = EncodeReceiptHandle(
      {queue.id(), message.sequence(), message.receive_count()});
  received.body = std::string(message.body());
  received.md5_of_body = Md5Hex(message.body());
  received.attributes = SelectSystemAttributes(message, sender_ids_,
                                               request.system_attribute_names);
  received.message_attributes =
      SelectAttributes(message.attributes(), request.message_attribute_names);
  received.md5_of_message_attributes =
      Md5OfAttributes(received.message_attributes);
  return received;
}

void Broker::MoveToDeadLetterQueue(Queue& source,
                                   const std::string& dead_letter,
                                   uint64_t sequence, Txn& txn) {
  MessageRecord record =
      source.Find(sequence)->ToRecord(source.id(), sender_ids_);
  source.Remove(sequence);
  ++source.counters().dead_lettered;
  txn.Write(RemoveMessage{source.id(), sequence});
  txn.Touch(source.id());
  // Same id, body, attributes, send time and receive count; a new place in
  // the dead-letter queue, visible now. Retention keeps counting from the
  // original enqueue time on standard queues; a FIFO dead-letter queue
  // (the same type as its source) enqueues the message anew (SQS's rule;
  // SentTimestamp stays).
  record.dead_letter_source_arn = QueueArn(source.name());
  if (source.fifo()) record.enqueued = txn.now();
  // Across partitions, back to the source if the dead-letter queue is gone
  // by the time the message gets there: never lost.
  PlanMove(dead_letter, std::move(record), source.name(), txn);
}

void Broker::DeleteMessage(std::string queue_name, std::string receipt_handle,
                           Callback<Empty> done) {
  SubmitCall<Empty>(
      std::move(done),
      [this, name = std::move(queue_name),
       handle = std::move(receipt_handle)](Txn& txn) -> absl::StatusOr<Empty> {
        mu_.AssertHeld();
        CORTADO_ASSIGN_OR_RETURN(Queue * queue, FindQueue(name));
        CORTADO_RETURN_IF_ERROR(PlanDelete(*queue, handle, txn));
        return Empty{};
      });
}

absl::Status Broker::PlanDelete(Queue& queue, const std::string& receipt_handle,
                                Txn& txn) {
  std::optional<ReceiptHandle> handle = DecodeReceiptHandle(receipt_handle);
  if (!handle.has_value() || handle->queue_id != queue.id()) {
    return ReceiptHandleIsInvalidError(receipt_handle);
  }
  Message* message = queue.Find(handle->sequence);
  // Deleting a deleted message succeeds: SQS deletes are idempotent.
  if (message == nullptr) return absl::OkStatus();
  if (handle->receive_count > message->receive_count()) {
    return ReceiptHandleIsInvalidError(receipt_handle);
  }
  if (queue.fifo() && !HoldsFifoMessage(*handle, *message)) {
    return ExpiredReceiptHandleError(receipt_handle);
  }
  // Any handle ever issued for the message deletes it (standard queues).
  queue.Remove(handle->sequence);
  ++queue.counters().deleted;
  txn.Touch(queue.id());
  txn.Write(RemoveMessage{queue.id(), handle->sequence});
  // Deleting a FIFO group's in-flight message may unblock the group.
  if (queue.fifo()) ServeWaiters(queue, txn);
  return absl::OkStatus();
}

void Broker::ChangeMessageVisibility(std::string queue_name,
                                     std::string receipt_handle,
                                     int32_t visibility_timeout,
                                     Callback<Empty> done) {
  SubmitCall<Empty>(
      std::move(done),
      [this, name = std::move(queue_name), handle = std::move(receipt_handle),
       visibility_timeout](Txn& txn) -> absl::StatusOr<Empty> {
        mu_.AssertHeld();
        CORTADO_ASSIGN_OR_RETURN(Queue * queue, FindQueue(name));
        CORTADO_RETURN_IF_ERROR(
            PlanChangeVisibility(*queue, handle, visibility_timeout, txn));
        return Empty{};
      });
}

absl::Status Broker::PlanChangeVisibility(Queue& queue,
                                          const std::string& receipt_handle,
                                          int32_t visibility_timeout,
                                          Txn& txn) {
  std::optional<ReceiptHandle> handle = DecodeReceiptHandle(receipt_handle);
  if (!handle.has_value() || handle->queue_id != queue.id()) {
    return ReceiptHandleIsInvalidError(receipt_handle);
  }
  if (visibility_timeout < 0 ||
      visibility_timeout > kMaxVisibilityTimeoutSeconds) {
    return InvalidParameterValueError(absl::StrCat(
        "Value ", visibility_timeout,
        " for parameter VisibilityTimeout is invalid. Reason: Must be >= 0 "
        "and <= 43200, if provided."));
  }
  Message* message = queue.Find(handle->sequence);
  if (message == nullptr) {
    return InvalidParameterValueError(absl::StrCat(
        "Value ", receipt_handle,
        " for parameter ReceiptHandle is invalid. Reason: Message does not "
        "exist or is not available for visibility timeout change."));
  }
  if (handle->receive_count > message->receive_count()) {
    return ReceiptHandleIsInvalidError(receipt_handle);
  }
  if (queue.fifo() && !HoldsFifoMessage(*handle, *message)) {
    return ExpiredReceiptHandleError(receipt_handle);
  }
  // A message whose visibility already ran out is not in flight: SQS answers
  // success and changes nothing. On a standard queue any handle ever issued
  // for the message changes the current receive's timeout, as on SQS (an
  // older handle is as good as the newest one, like for DeleteMessage); a
  // FIFO queue only takes the newest one (checked above).
  if (message->state() != MessageState::kInFlight) return absl::OkStatus();
  const absl::Time now = txn.now();
  const absl::Duration total =
      (now - message->last_receive()) + absl::Seconds(visibility_timeout);
  if (total > absl::Seconds(kMaxVisibilityTimeoutSeconds)) {
    return InvalidParameterValueError(absl::StrCat(
        "Value ", visibility_timeout,
        " for parameter VisibilityTimeout is invalid. Reason: Total "
        "VisibilityTimeout for the message is beyond the limit [43200 "
        "seconds]"));
  }
  if (visibility_timeout == 0) {
    queue.SetVisible(*message, now);
  } else {
    queue.SetInFlight(*message, now + absl::Seconds(visibility_timeout));
  }
  txn.Touch(queue.id());
  txn.Write(UpdateMessageDelivery{message->DeliveryUpdate(queue.id())});
  if (visibility_timeout == 0) ServeWaiters(queue, txn);
  return absl::OkStatus();
}

void Broker::DeleteMessageBatch(std::string queue_name,
                                std::vector<BatchHandleEntry> entries,
                                Callback<BatchResult> done) {
  SubmitCall<BatchResult>(
      std::move(done), [this, name = std::move(queue_name),
                        entries = std::move(entries)](Txn& txn) {
        mu_.AssertHeld();
        return PlanHandleBatch(
            name, entries, "DeleteMessageBatchRequestEntry",
            [&](Queue& queue, const BatchHandleEntry& entry) {
              mu_.AssertHeld();
              return PlanDelete(queue, entry.receipt_handle, txn);
            });
      });
}

void Broker::ChangeMessageVisibilityBatch(std::string queue_name,
                                          std::vector<BatchHandleEntry> entries,
                                          Callback<BatchResult> done) {
  SubmitCall<BatchResult>(
      std::move(done), [this, name = std::move(queue_name),
                        entries = std::move(entries)](Txn& txn) {
        mu_.AssertHeld();
        return PlanHandleBatch(
            name, entries, "ChangeMessageVisibilityBatchRequestEntry",
            [&](Queue& queue, const BatchHandleEntry& entry) {
              mu_.AssertHeld();
              return PlanChangeVisibility(queue, entry.receipt_handle,
                                          entry.visibility_timeout, txn);
            });
      });
}

absl::StatusOr<BatchResult> Broker::PlanHandleBatch(
    const std::string& name, const std::vector<BatchHandleEntry>& entries,
    absl::string_view entry_type,
    absl::FunctionRef<absl::Status(Queue&, const BatchHandleEntry&)> one) {
  CORTADO_ASSIGN_OR_RETURN(Queue * queue, FindQueue(name));
  std::vector<std::string> ids;
  for (const BatchHandleEntry& entry : entries) ids.push_back(entry.id);
  CORTADO_RETURN_IF_ERROR(ValidateBatch(ids, entry_type));
  BatchResult result;
  for (const BatchHandleEntry& entry : entries) {
    absl::Status status = one(*queue, entry);
    if (status.ok()) {
      result.successful.push_back(entry.id);
    } else {
      result.failed.push_back(EntryError(entry.id, status));
    }
  }
  return result;
}

}  // namespace cortado

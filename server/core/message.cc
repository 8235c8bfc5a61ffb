#include "server/core/message.h"

#include <cstring>
#include <new>
#include <utility>

#include "common/uuid.h"

namespace cortado {
namespace {

const std::string& EmptyString() {
  static const std::string* const kEmpty = new std::string();
  return *kEmpty;
}

const MessageAttributes& EmptyAttributes() {
  static const MessageAttributes* const kEmpty = new MessageAttributes();
  return *kEmpty;
}

}  // namespace

void Message::Deleter::operator()(Message* message) const {
  message->~Message();
  ::operator delete(message);
}

Message::Ptr Message::Make(const MessageRecord& record, SenderIds& senders) {
  void* memory = ::operator new(sizeof(Message) + record.body.size());
  Ptr message(new (memory) Message());
  Message& m = *message;
  m.sequence_ = record.sequence;
  m.sent_ = ToNanos(record.sent);
  m.visible_at_ = ToNanos(record.visible_at);
  m.first_receive_ = ToNanos(record.first_receive);
  m.last_receive_ = ToNanos(record.last_receive);
  m.receive_count_ = record.receive_count;
  m.body_size_ = static_cast<uint32_t>(record.body.size());
  std::memcpy(reinterpret_cast<char*>(&m + 1), record.body.data(),
              record.body.size());

  m.sender_ = senders.Intern(record.sender_id);
  const bool uuid = ParseUuid(record.message_id, m.id_);
  if (uuid) m.flags_ |= kUuidId;
  if (uuid && record.attributes.empty() && record.system_attributes.empty() &&
      record.message_group_id.empty() &&
      record.message_deduplication_id.empty() &&
      record.dead_letter_source_arn.empty() &&
      record.enqueued == absl::UnixEpoch()) {
    return message;  // the common case: no extras at all
  }
  auto extras = std::make_unique<MessageExtras>();
  if (!uuid) extras->message_id = record.message_id;
  extras->attributes = record.attributes;
  extras->system_attributes = record.system_attributes;
  extras->message_group_id = record.message_group_id;
  extras->message_deduplication_id = record.message_deduplication_id;
  extras->dead_letter_source_arn = record.dead_letter_source_arn;
  if (record.enqueued != absl::UnixEpoch()) {
    extras->enqueued = ToNanos(record.enqueued);
  }
  m.extras_ = std::move(extras);
  return message;
}

MessageRecord Message::ToRecord(uint64_t queue_id,
                                const SenderIds& senders) const {
  MessageRecord record;
  record.queue_id = queue_id;
  record.sequence = sequence_;
  record.message_id = message_id();
  record.body = std::string(body());
  record.attributes = attributes();
  record.system_attributes = system_attributes();
  record.sender_id = sender_id(senders);
  record.message_group_id = message_group_id();
  record.message_deduplication_id = message_deduplication_id();
  record.dead_letter_source_arn = dead_letter_source_arn();
  record.sent = sent();
  if (extras_ && extras_->enqueued != 0) {
    record.enqueued = FromNanos(extras_->enqueued);
  }
  record.visible_at = visible_at();
  record.receive_count = receive_count_;
  record.first_receive = first_receive();
  record.last_receive = last_receive();
  return record;
}

MessageDeliveryUpdate Message::DeliveryUpdate(uint64_t queue_id) const {
  return {queue_id,       sequence_,       visible_at(),
          receive_count_, first_receive(), last_receive()};
}

std::string Message::message_id() const {
  if (flags_ & kUuidId) return FormatUuid(id_);
  return extras_->message_id;
}

const MessageAttributes& Message::attributes() const {
  return extras_ ? extras_->attributes : EmptyAttributes();
}

const MessageAttributes& Message::system_attributes() const {
  return extras_ ? extras_->system_attributes : EmptyAttributes();
}

const std::string& Message::message_group_id() const {
  return extras_ ? extras_->message_group_id : EmptyString();
}

const std::string& Message::message_deduplication_id() const {
  return extras_ ? extras_->message_deduplication_id : EmptyString();
}

const std::string& Message::dead_letter_source_arn() const {
  return extras_ ? extras_->dead_letter_source_arn : EmptyString();
}

void Message::CountReceive(absl::Time now) {
  ++receive_count_;
  if (first_receive_ == 0) first_receive_ = ToNanos(now);
  last_receive_ = ToNanos(now);
}

}  // namespace cortado

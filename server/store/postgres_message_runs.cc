#include "server/store/postgres_message_runs.h"

#include "server/core/status_macros.h"
#include "server/store/record_codec.h"
#include "server/store/store_micros.h"

namespace cortado::store {
namespace {

constexpr const char* kInsert = "insert_messages";
constexpr const char* kUpdate = "update_deliveries";
constexpr const char* kRemove = "delete_messages";

}  // namespace

std::vector<std::pair<const char*, const char*>> PgMessageRuns::Statements() {
  return {
      {kInsert,
       "INSERT INTO messages (sequence, queue_id, message_id, body,"
       " attributes, system_attributes, sender_id, message_group_id,"
       " message_deduplication_id, sent_us, visible_at_us, receive_count,"
       " first_receive_us, last_receive_us, dead_letter_source_arn,"
       " enqueued_us)"
       " SELECT * FROM unnest($1::int8[], $2::int8[], $3::text[],"
       " $4::bytea[], $5::bytea[], $6::bytea[], $7::text[], $8::text[],"
       " $9::text[], $10::int8[], $11::int8[], $12::int4[], $13::int8[],"
       " $14::int8[], $15::text[], $16::int8[])"},
      {kUpdate,
       "UPDATE messages SET visible_at_us = u.visible_at_us,"
       " receive_count = u.receive_count,"
       " first_receive_us = u.first_receive_us,"
       " last_receive_us = u.last_receive_us"
       " FROM unnest($1::int8[], $2::int8[], $3::int4[], $4::int8[],"
       " $5::int8[]) AS u(sequence, visible_at_us, receive_count,"
       " first_receive_us, last_receive_us)"
       " WHERE messages.sequence = u.sequence"},
      {kRemove, "DELETE FROM messages WHERE sequence = ANY($1::int8[])"},
  };
}

absl::Status PgMessageRuns::Continue(Kind kind) {
  if (kind_ == kind) return absl::OkStatus();
  CORTADO_RETURN_IF_ERROR(Flush());
  kind_ = kind;
  return absl::OkStatus();
}

absl::Status PgMessageRuns::Add(const InsertMessage& m) {
  CORTADO_RETURN_IF_ERROR(Continue(Kind::kInsert));
  const MessageRecord& r = m.message;
  sequence_.AddInt64(static_cast<int64_t>(r.sequence));
  queue_id_.AddInt64(static_cast<int64_t>(r.queue_id));
  message_id_.AddBytes(r.message_id);
  body_.AddBytes(r.body);
  attributes_.AddBytes(EncodeAttributes(r.attributes));
  system_attributes_.AddBytes(EncodeAttributes(r.system_attributes));
  sender_id_.AddBytes(r.sender_id);
  group_id_.AddBytes(r.message_group_id);
  dedup_id_.AddBytes(r.message_deduplication_id);
  sent_.AddInt64(Micros(r.sent));
  visible_at_.AddInt64(Micros(r.visible_at));
  receive_count_.AddInt32(r.receive_count);
  first_receive_.AddInt64(Micros(r.first_receive));
  last_receive_.AddInt64(Micros(r.last_receive));
  dead_letter_source_.AddBytes(r.dead_letter_source_arn);
  enqueued_.AddInt64(Micros(r.enqueued));
  return absl::OkStatus();
}

absl::Status PgMessageRuns::Add(const UpdateMessageDelivery& m) {
  const MessageDeliveryUpdate& u = m.update;
  if (kind_ == Kind::kUpdate && updated_.contains(u.sequence)) {
    CORTADO_RETURN_IF_ERROR(Flush());
  }
  CORTADO_RETURN_IF_ERROR(Continue(Kind::kUpdate));
  updated_.insert(u.sequence);
  sequence_.AddInt64(static_cast<int64_t>(u.sequence));
  visible_at_.AddInt64(Micros(u.visible_at));
  receive_count_.AddInt32(u.receive_count);
  first_receive_.AddInt64(Micros(u.first_receive));
  last_receive_.AddInt64(Micros(u.last_receive));
  return absl::OkStatus();
}

absl::Status PgMessageRuns::Add(const RemoveMessage& m) {
  CORTADO_RETURN_IF_ERROR(Continue(Kind::kRemove));
  sequence_.AddInt64(static_cast<int64_t>(m.sequence));
  return absl::OkStatus();
}

absl::Status PgMessageRuns::Flush() {
  PgParams params;
  const char* statement = nullptr;
  switch (kind_) {
    case Kind::kNone:
      return absl::OkStatus();
    case Kind::kInsert:
      statement = kInsert;
      for (const PgArray* column :
           {&sequence_, &queue_id_, &message_id_, &body_, &attributes_,
            &system_attributes_, &sender_id_, &group_id_, &dedup_id_, &sent_,
            &visible_at_, &receive_count_, &first_receive_, &last_receive_,
            &dead_letter_source_, &enqueued_}) {
        params.AddArray(*column);
      }
      break;
    case Kind::kUpdate:
      statement = kUpdate;
      for (const PgArray* column : {&sequence_, &visible_at_, &receive_count_,
                                    &first_receive_, &last_receive_}) {
        params.AddArray(*column);
      }
      break;
    case Kind::kRemove:
      statement = kRemove;
      params.AddArray(sequence_);
      break;
  }
  for (PgArray* column :
       {&sequence_, &queue_id_, &message_id_, &body_, &attributes_,
        &system_attributes_, &sender_id_, &group_id_, &dedup_id_, &sent_,
        &visible_at_, &receive_count_, &first_receive_, &last_receive_,
        &dead_letter_source_, &enqueued_}) {
    column->Clear();
  }
  updated_.clear();
  kind_ = Kind::kNone;
  return pipeline_->Send(statement, params);
}

}  // namespace cortado::store

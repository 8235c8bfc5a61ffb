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

absl::Status PgMessageRuns::Add(const InsertMessage& m) {
  inserted_.emplace(m.message.sequence, inserts_.size());
  inserts_.push_back(Insert{&m.message});
  return absl::OkStatus();
}

absl::Status PgMessageRuns::Add(const UpdateMessageDelivery& m) {
  const uint64_t sequence = m.update.sequence;
  if (auto it = inserted_.find(sequence); it != inserted_.end()) {
    inserts_[it->second].delivery = &m.update;
  } else if (auto [it2, added] = updated_.emplace(sequence, updates_.size());
             added) {
    updates_.push_back(&m.update);
  } else {
    updates_[it2->second] = &m.update;
  }
  return absl::OkStatus();
}

absl::Status PgMessageRuns::Add(const RemoveMessage& m) {
  if (auto it = inserted_.find(m.sequence); it != inserted_.end()) {
    inserts_[it->second].removed = true;
    return absl::OkStatus();
  }
  if (auto it = updated_.find(m.sequence); it != updated_.end()) {
    updates_[it->second] = nullptr;
  }
  removes_.push_back(m.sequence);
  return absl::OkStatus();
}

absl::Status PgMessageRuns::Flush() {
  absl::Status status = FlushInserts();
  if (status.ok()) status = FlushUpdates();
  if (status.ok()) status = FlushRemoves();
  Discard();
  return status;
}

void PgMessageRuns::Discard() {
  inserts_.clear();
  inserted_.clear();
  updates_.clear();
  updated_.clear();
  removes_.clear();
}

absl::Status PgMessageRuns::FlushInserts() {
  PgArray sequence(PgElement::kInt8), queue_id(PgElement::kInt8);
  PgArray message_id(PgElement::kText), body(PgElement::kBytea);
  PgArray attributes(PgElement::kBytea), system_attributes(PgElement::kBytea);
  PgArray sender_id(PgElement::kText), group_id(PgElement::kText);
  PgArray dedup_id(PgElement::kText), sent(PgElement::kInt8);
  PgArray visible_at(PgElement::kInt8), receive_count(PgElement::kInt4);
  PgArray first_receive(PgElement::kInt8), last_receive(PgElement::kInt8);
  PgArray dead_letter_source(PgElement::kText), enqueued(PgElement::kInt8);
  for (const Insert& insert : inserts_) {
    if (insert.removed) continue;
    const MessageRecord& r = *insert.record;
    sequence.AddInt64(static_cast<int64_t>(r.sequence));
    queue_id.AddInt64(static_cast<int64_t>(r.queue_id));
    message_id.AddBytes(r.message_id);
    body.AddBytes(r.body);
    attributes.AddBytes(EncodeAttributes(r.attributes));
    system_attributes.AddBytes(EncodeAttributes(r.system_attributes));
    sender_id.AddBytes(r.sender_id);
    group_id.AddBytes(r.message_group_id);
    dedup_id.AddBytes(r.message_deduplication_id);
    sent.AddInt64(Micros(r.sent));
    enqueued.AddInt64(Micros(r.enqueued));
    dead_letter_source.AddBytes(r.dead_letter_source_arn);
    // The delivery state as the run left it.
    const MessageDeliveryUpdate* d = insert.delivery;
    visible_at.AddInt64(Micros(d ? d->visible_at : r.visible_at));
    receive_count.AddInt32(d ? d->receive_count : r.receive_count);
    first_receive.AddInt64(Micros(d ? d->first_receive : r.first_receive));
    last_receive.AddInt64(Micros(d ? d->last_receive : r.last_receive));
  }
  if (sequence.size() == 0) return absl::OkStatus();
  PgParams params;
  for (const PgArray* column :
       {&sequence, &queue_id, &message_id, &body, &attributes,
        &system_attributes, &sender_id, &group_id, &dedup_id, &sent,
        &visible_at, &receive_count, &first_receive, &last_receive,
        &dead_letter_source, &enqueued}) {
    params.AddArray(*column);
  }
  return pipeline_->Send(kInsert, params);
}

absl::Status PgMessageRuns::FlushUpdates() {
  PgArray sequence(PgElement::kInt8), visible_at(PgElement::kInt8);
  PgArray receive_count(PgElement::kInt4);
  PgArray first_receive(PgElement::kInt8), last_receive(PgElement::kInt8);
  for (const MessageDeliveryUpdate* u : updates_) {
    if (u == nullptr) continue;
    sequence.AddInt64(static_cast<int64_t>(u->sequence));
    visible_at.AddInt64(Micros(u->visible_at));
    receive_count.AddInt32(u->receive_count);
    first_receive.AddInt64(Micros(u->first_receive));
    last_receive.AddInt64(Micros(u->last_receive));
  }
  if (sequence.size() == 0) return absl::OkStatus();
  PgParams params;
  for (const PgArray* column : {&sequence, &visible_at, &receive_count,
                                &first_receive, &last_receive}) {
    params.AddArray(*column);
  }
  return pipeline_->Send(kUpdate, params);
}

absl::Status PgMessageRuns::FlushRemoves() {
  if (removes_.empty()) return absl::OkStatus();
  PgArray sequence(PgElement::kInt8);
  for (uint64_t s : removes_) sequence.AddInt64(static_cast<int64_t>(s));
  PgParams params;
  params.AddArray(sequence);
  return pipeline_->Send(kRemove, params);
}

}  // namespace cortado::store

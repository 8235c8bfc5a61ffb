#include "server/store/postgres_message_runs.h"

#include <initializer_list>

#include "server/core/status_macros.h"
#include "server/store/record_codec.h"
#include "server/store/store_micros.h"

namespace cortado::store {
namespace {

constexpr const char* kWrite = "write_messages";

}  // namespace

std::vector<std::pair<const char*, const char*>> PgMessageRuns::Statements() {
  // One statement a run (one parse-free Bind/Execute, one executor start and
  // snapshot) instead of three. Its parts see the same snapshot and run in
  // no defined order, which is safe because the folding in Add leaves them
  // disjoint rows: no sequence is in two of the three sets. An empty array
  // makes its part a no-op.
  return {
      {kWrite,
       "WITH inserted AS ("
       "INSERT INTO messages (sequence, queue_id, message_id, body,"
       " attributes, system_attributes, sender_id, message_group_id,"
       " message_deduplication_id, sent_us, visible_at_us, receive_count,"
       " first_receive_us, last_receive_us, dead_letter_source_arn,"
       " enqueued_us)"
       " SELECT * FROM unnest($1::int8[], $2::int8[], $3::text[],"
       " $4::bytea[], $5::bytea[], $6::bytea[], $7::text[], $8::text[],"
       " $9::text[], $10::int8[], $11::int8[], $12::int4[], $13::int8[],"
       " $14::int8[], $15::text[], $16::int8[])),"
       " updated AS ("
       "UPDATE messages SET visible_at_us = u.visible_at_us,"
       " receive_count = u.receive_count,"
       " first_receive_us = u.first_receive_us,"
       " last_receive_us = u.last_receive_us"
       " FROM unnest($17::int8[], $18::int8[], $19::int4[], $20::int8[],"
       " $21::int8[]) AS u(sequence, visible_at_us, receive_count,"
       " first_receive_us, last_receive_us)"
       " WHERE messages.sequence = u.sequence)"
       " DELETE FROM messages WHERE sequence = ANY($22::int8[])"},
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
  PgParams params;
  size_t rows = AddInserts(params);
  rows += AddUpdates(params);
  rows += AddRemoves(params);
  Discard();
  // A run whose inserts were all cancelled by removes writes nothing.
  return rows == 0 ? absl::OkStatus() : pipeline_->Send(kWrite, params);
}

void PgMessageRuns::Discard() {
  inserts_.clear();
  inserted_.clear();
  updates_.clear();
  updated_.clear();
  removes_.clear();
}

size_t PgMessageRuns::AddInserts(PgParams& params) {
  for (const Insert& insert : inserts_) {
    if (insert.removed) continue;
    const MessageRecord& r = *insert.record;
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
    enqueued_.AddInt64(Micros(r.enqueued));
    dead_letter_source_.AddBytes(r.dead_letter_source_arn);
    // The delivery state as the run left it.
    const MessageDeliveryUpdate* d = insert.delivery;
    visible_at_.AddInt64(Micros(d ? d->visible_at : r.visible_at));
    receive_count_.AddInt32(d ? d->receive_count : r.receive_count);
    first_receive_.AddInt64(Micros(d ? d->first_receive : r.first_receive));
    last_receive_.AddInt64(Micros(d ? d->last_receive : r.last_receive));
  }
  const size_t rows = sequence_.size();
  AddColumns(params,
             {&sequence_, &queue_id_, &message_id_, &body_, &attributes_,
              &system_attributes_, &sender_id_, &group_id_, &dedup_id_, &sent_,
              &visible_at_, &receive_count_, &first_receive_, &last_receive_,
              &dead_letter_source_, &enqueued_});
  return rows;
}

size_t PgMessageRuns::AddUpdates(PgParams& params) {
  for (const MessageDeliveryUpdate* u : updates_) {
    if (u == nullptr) continue;
    sequence_.AddInt64(static_cast<int64_t>(u->sequence));
    visible_at_.AddInt64(Micros(u->visible_at));
    receive_count_.AddInt32(u->receive_count);
    first_receive_.AddInt64(Micros(u->first_receive));
    last_receive_.AddInt64(Micros(u->last_receive));
  }
  const size_t rows = sequence_.size();
  AddColumns(params, {&sequence_, &visible_at_, &receive_count_,
                      &first_receive_, &last_receive_});
  return rows;
}

size_t PgMessageRuns::AddRemoves(PgParams& params) {
  for (uint64_t s : removes_) sequence_.AddInt64(static_cast<int64_t>(s));
  const size_t rows = sequence_.size();
  AddColumns(params, {&sequence_});
  return rows;
}

void PgMessageRuns::AddColumns(PgParams& params,
                               std::initializer_list<PgArray*> columns) {
  for (PgArray* column : columns) {
    params.AddArray(*column);
    column->Clear();  // keeps its capacity for the next part and commit
  }
}

}  // namespace cortado::store

#include "server/store/sqlite_writer.h"

#include <utility>
#include <variant>

#include "absl/strings/str_cat.h"
#include "server/core/status_macros.h"
#include "server/store/record_codec.h"
#include "server/store/sqlite_dedup_rows.h"

namespace cortado::store {

absl::string_view ReservationKey(IdKind kind) {
  return kind == IdKind::kQueue ? "reserved_queue_ids" : "reserved_sequences";
}

absl::StatusOr<std::unique_ptr<SqliteWriter>> SqliteWriter::Prepare(
    sqlite3* db, SqliteFifoTables* fifo_tables) {
  std::unique_ptr<SqliteWriter> w(new SqliteWriter(db, fifo_tables));
  const std::pair<Statement*, const char*> all[] = {
      {&w->put_queue_,
       "INSERT OR REPLACE INTO queues (queue_id, name, fifo, delay_seconds,"
       " maximum_message_size, message_retention_period,"
       " receive_message_wait_time_seconds, visibility_timeout, policy,"
       " redrive_policy, redrive_allow_policy, kms_master_key_id,"
       " kms_data_key_reuse_period_seconds, sqs_managed_sse_enabled,"
       " content_based_deduplication, deduplication_scope,"
       " fifo_throughput_limit, tags, created_us, last_modified_us)"
       " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,"
       " ?15, ?16, ?17, ?18, ?19, ?20)"},
      {&w->delete_queue_, "DELETE FROM queues WHERE queue_id = ?1"},
      // A range of rowids: the table has no index by queue (migration 0004).
      {&w->delete_queue_messages_,
       "DELETE FROM messages WHERE sequence BETWEEN ?2 AND ?3"
       " AND queue_id = ?1"},
      {&w->insert_message_,
       "INSERT INTO messages (sequence, queue_id, message_id, body,"
       " attributes, system_attributes, sender_id, message_group_id,"
       " message_deduplication_id, sent_us, visible_at_us, receive_count,"
       " first_receive_us, last_receive_us, dead_letter_source_arn,"
       " enqueued_us)"
       " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,"
       " ?15, ?16)"},
      {&w->update_delivery_,
       "UPDATE messages SET visible_at_us = ?2, receive_count = ?3,"
       " first_receive_us = ?4, last_receive_us = ?5 WHERE sequence = ?1"},
      {&w->delete_message_, "DELETE FROM messages WHERE sequence = ?1"},
      {&w->reserve_ids_,
       "INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)"},
      {&w->put_dedup_,
       "INSERT OR REPLACE INTO fifo_dedup (queue_id, scope_key, message_id,"
       " fifo_sequence_number, expires_us) VALUES (?1, ?2, ?3, ?4, ?5)"},
      {&w->expire_dedup_,
       "DELETE FROM fifo_dedup WHERE queue_id = ?1 AND expires_us <= ?2"},
      {&w->delete_queue_dedup_, "DELETE FROM fifo_dedup WHERE queue_id = ?1"},
      {&w->put_move_task_,
       "INSERT OR REPLACE INTO move_tasks (task_handle, source_queue_id,"
       " source_arn, destination_arn, max_per_second, status, moved, to_move,"
       " last_sequence, failure_reason, started_us)"
       " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"},
      {&w->put_topic_,
       "INSERT OR REPLACE INTO topics (topic_id, name, fifo, attributes, tags,"
       " created_us) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"},
      {&w->delete_topic_, "DELETE FROM topics WHERE topic_id = ?1"},
      {&w->delete_topic_subscriptions_,
       "DELETE FROM subscriptions WHERE topic_id = ?1"},
      {&w->put_subscription_,
       "INSERT OR REPLACE INTO subscriptions (subscription_id, topic_id,"
       " protocol, endpoint, attributes, created_us, pending_confirmation,"
       " confirmation_token, confirmation_authenticated,"
       " authenticate_on_unsubscribe)"
       " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"},
      {&w->delete_subscription_,
       "DELETE FROM subscriptions WHERE subscription_id = ?1"},
  };
  for (const auto& [statement, sql] : all) {
    if (statement->Prepare(db, sql) != SQLITE_OK) {
      return SqliteError(db, absl::StrCat("preparing \"", sql, "\""));
    }
  }
  return w;
}

absl::Status SqliteWriter::Write(const StoreMutation& mutation) {
  return std::visit([this](const auto& m) { return Apply(m); }, mutation);
}

absl::Status SqliteWriter::Apply(const PutQueue& m) {
  const QueueRecord& r = m.queue;
  const QueueAttributes& a = r.attributes;
  sqlite3_stmt* stmt = put_queue_.Begin();
  sqlite3_bind_int64(stmt, 1, r.queue_id);
  BindText(stmt, 2, r.name);
  sqlite3_bind_int(stmt, 3, a.fifo_queue);
  sqlite3_bind_int(stmt, 4, a.delay_seconds);
  sqlite3_bind_int(stmt, 5, a.maximum_message_size);
  sqlite3_bind_int(stmt, 6, a.message_retention_period);
  sqlite3_bind_int(stmt, 7, a.receive_message_wait_time_seconds);
  sqlite3_bind_int(stmt, 8, a.visibility_timeout);
  BindText(stmt, 9, a.policy);
  BindText(stmt, 10, a.redrive_policy);
  BindText(stmt, 11, a.redrive_allow_policy);
  BindText(stmt, 12, a.kms_master_key_id);
  sqlite3_bind_int(stmt, 13, a.kms_data_key_reuse_period_seconds);
  sqlite3_bind_int(stmt, 14, a.sqs_managed_sse_enabled);
  sqlite3_bind_int(stmt, 15, a.content_based_deduplication);
  BindText(stmt, 16, a.deduplication_scope);
  BindText(stmt, 17, a.fifo_throughput_limit);
  scratch_[0] = EncodeTags(r.tags);
  BindBlob(stmt, 18, scratch_[0]);
  sqlite3_bind_int64(stmt, 19, Micros(r.created));
  sqlite3_bind_int64(stmt, 20, Micros(r.last_modified));
  return StepWrite(db_, stmt);
}

absl::Status SqliteWriter::DeleteMessages(uint64_t queue_id,
                                          const SequenceRange& range) {
  sqlite3_stmt* stmt = delete_queue_messages_.Begin();
  sqlite3_bind_int64(stmt, 1, queue_id);
  sqlite3_bind_int64(stmt, 2, static_cast<int64_t>(range.first));
  sqlite3_bind_int64(stmt, 3, static_cast<int64_t>(range.last));
  return StepWrite(db_, stmt);
}

absl::Status SqliteWriter::Apply(const RemoveQueue& m) {
  CORTADO_RETURN_IF_ERROR(fifo_tables_->Apply(m));
  CORTADO_RETURN_IF_ERROR(StepWrite(db_, delete_queue_, m.queue_id));
  CORTADO_RETURN_IF_ERROR(StepWrite(db_, delete_queue_dedup_, m.queue_id));
  return DeleteMessages(m.queue_id, m.messages);
}

absl::Status SqliteWriter::Apply(const PurgeQueueMessages& m) {
  return DeleteMessages(m.queue_id, m.messages);
}

absl::Status SqliteWriter::Apply(const InsertMessage& m) {
  const MessageRecord& r = m.message;
  sqlite3_stmt* stmt = insert_message_.Begin();
  sqlite3_bind_int64(stmt, 1, r.sequence);
  sqlite3_bind_int64(stmt, 2, r.queue_id);
  BindText(stmt, 3, r.message_id);
  BindBlob(stmt, 4, r.body);
  scratch_[0] = EncodeAttributes(r.attributes);
  scratch_[1] = EncodeAttributes(r.system_attributes);
  BindBlob(stmt, 5, scratch_[0]);
  BindBlob(stmt, 6, scratch_[1]);
  BindText(stmt, 7, r.sender_id);
  BindText(stmt, 8, r.message_group_id);
  BindText(stmt, 9, r.message_deduplication_id);
  sqlite3_bind_int64(stmt, 10, Micros(r.sent));
  sqlite3_bind_int64(stmt, 11, Micros(r.visible_at));
  sqlite3_bind_int(stmt, 12, r.receive_count);
  sqlite3_bind_int64(stmt, 13, Micros(r.first_receive));
  sqlite3_bind_int64(stmt, 14, Micros(r.last_receive));
  BindText(stmt, 15, r.dead_letter_source_arn);
  sqlite3_bind_int64(stmt, 16, Micros(r.enqueued));
  return StepWrite(db_, stmt);
}

absl::Status SqliteWriter::Apply(const UpdateMessageDelivery& m) {
  const MessageDeliveryUpdate& u = m.update;
  sqlite3_stmt* stmt = update_delivery_.Begin();
  sqlite3_bind_int64(stmt, 1, u.sequence);
  sqlite3_bind_int64(stmt, 2, Micros(u.visible_at));
  sqlite3_bind_int(stmt, 3, u.receive_count);
  sqlite3_bind_int64(stmt, 4, Micros(u.first_receive));
  sqlite3_bind_int64(stmt, 5, Micros(u.last_receive));
  return StepWrite(db_, stmt);
}

absl::Status SqliteWriter::Apply(const RemoveMessage& m) {
  return StepWrite(db_, delete_message_, m.sequence);
}

absl::Status SqliteWriter::Apply(const ReserveIds& m) {
  sqlite3_stmt* stmt = reserve_ids_.Begin();
  BindText(stmt, 1, ReservationKey(m.kind));
  scratch_[0] = absl::StrCat(m.up_to);
  BindText(stmt, 2, scratch_[0]);
  return StepWrite(db_, stmt);
}

absl::Status SqliteWriter::Apply(const PutDedup& m) {
  sqlite3_stmt* stmt = put_dedup_.Begin();
  BindDedupRow(stmt, m.entry.queue_id, m.entry);
  return StepWrite(db_, stmt);
}

absl::Status SqliteWriter::Apply(const ExpireDedup& m) {
  return StepWrite(db_, expire_dedup_, m.queue_id, m.up_to);
}

absl::Status SqliteWriter::Apply(const PutMoveTask& m) {
  const MoveTaskRecord& r = m.task;
  sqlite3_stmt* stmt = put_move_task_.Begin();
  BindText(stmt, 1, r.task_handle);
  sqlite3_bind_int64(stmt, 2, r.source_queue_id);
  BindText(stmt, 3, r.source_arn);
  BindText(stmt, 4, r.destination_arn);
  sqlite3_bind_int(stmt, 5, r.max_per_second);
  BindText(stmt, 6, r.status);
  sqlite3_bind_int64(stmt, 7, r.moved);
  sqlite3_bind_int64(stmt, 8, r.to_move);
  sqlite3_bind_int64(stmt, 9, r.last_sequence);
  BindText(stmt, 10, r.failure_reason);
  sqlite3_bind_int64(stmt, 11, Micros(r.started));
  return StepWrite(db_, stmt);
}

absl::Status SqliteWriter::Apply(const PutTopic& m) {
  const TopicRecord& r = m.topic;
  sqlite3_stmt* stmt = put_topic_.Begin();
  sqlite3_bind_int64(stmt, 1, r.topic_id);
  BindText(stmt, 2, r.name);
  sqlite3_bind_int(stmt, 3, r.fifo);
  // Topic attributes are a string map like tags: same encoding.
  scratch_[0] = EncodeTags(r.attributes);
  scratch_[1] = EncodeTags(r.tags);
  BindBlob(stmt, 4, scratch_[0]);
  BindBlob(stmt, 5, scratch_[1]);
  sqlite3_bind_int64(stmt, 6, Micros(r.created));
  return StepWrite(db_, stmt);
}

absl::Status SqliteWriter::Apply(const RemoveTopic& m) {
  CORTADO_RETURN_IF_ERROR(fifo_tables_->Apply(m));
  CORTADO_RETURN_IF_ERROR(StepWrite(db_, delete_topic_, m.topic_id));
  return StepWrite(db_, delete_topic_subscriptions_, m.topic_id);
}

absl::Status SqliteWriter::Apply(const PutSubscription& m) {
  const SubscriptionRecord& r = m.subscription;
  sqlite3_stmt* stmt = put_subscription_.Begin();
  BindText(stmt, 1, r.subscription_id);
  sqlite3_bind_int64(stmt, 2, r.topic_id);
  BindText(stmt, 3, r.protocol);
  BindText(stmt, 4, r.endpoint);
  scratch_[0] = EncodeTags(r.attributes);
  BindBlob(stmt, 5, scratch_[0]);
  sqlite3_bind_int64(stmt, 6, Micros(r.created));
  sqlite3_bind_int(stmt, 7, r.pending_confirmation ? 1 : 0);
  BindText(stmt, 8, r.confirmation_token);
  sqlite3_bind_int(stmt, 9, r.confirmation_authenticated ? 1 : 0);
  sqlite3_bind_int(stmt, 10, r.authenticate_on_unsubscribe ? 1 : 0);
  return StepWrite(db_, stmt);
}

absl::Status SqliteWriter::Apply(const RemoveSubscription& m) {
  sqlite3_stmt* stmt = delete_subscription_.Begin();
  BindText(stmt, 1, m.subscription_id);
  return StepWrite(db_, stmt);
}

// The FIFO bookkeeping tables have their own writer.
absl::Status SqliteWriter::Apply(const PutReceiveAttempt& m) {
  return fifo_tables_->Apply(m);
}
absl::Status SqliteWriter::Apply(const ExpireReceiveAttempts& m) {
  return fifo_tables_->Apply(m);
}
absl::Status SqliteWriter::Apply(const PutTopicDedup& m) {
  return fifo_tables_->Apply(m);
}
absl::Status SqliteWriter::Apply(const ExpireTopicDedup& m) {
  return fifo_tables_->Apply(m);
}

absl::Status SqliteWriter::Apply(const PutTransfer&) {
  return TransfersNeedACluster("sqlite");
}

absl::Status SqliteWriter::Apply(const RemoveTransfers&) {
  return TransfersNeedACluster("sqlite");
}

}  // namespace cortado::store

// SqliteStore::LoadState: every table read once at start, each by its own
// function below; the FIFO bookkeeping tables by SqliteFifoTables::Load.
#include <utility>

#include "absl/strings/numbers.h"
#include "server/core/status_macros.h"
#include "server/store/record_codec.h"
#include "server/store/sql_queries.h"
#include "server/store/sqlite_dedup_rows.h"
#include "server/store/sqlite_fifo_tables.h"
#include "server/store/sqlite_helpers.h"
#include "server/store/sqlite_store.h"
#include "server/store/sqlite_writer.h"

namespace cortado::store {
namespace {

absl::Status LoadQueues(sqlite3* db, StoreSnapshot& snapshot) {
  return ForEachRow(
      db, kSelectQueues, "queues", [&](sqlite3_stmt* q) -> absl::Status {
        QueueRecord r;
        r.queue_id = sqlite3_column_int64(q, 0);
        r.name = Column(q, 1);
        QueueAttributes& a = r.attributes;
        a.fifo_queue = sqlite3_column_int(q, 2) != 0;
        a.delay_seconds = sqlite3_column_int(q, 3);
        a.maximum_message_size = sqlite3_column_int(q, 4);
        a.message_retention_period = sqlite3_column_int(q, 5);
        a.receive_message_wait_time_seconds = sqlite3_column_int(q, 6);
        a.visibility_timeout = sqlite3_column_int(q, 7);
        a.policy = Column(q, 8);
        a.redrive_policy = Column(q, 9);
        a.redrive_allow_policy = Column(q, 10);
        a.kms_master_key_id = Column(q, 11);
        a.kms_data_key_reuse_period_seconds = sqlite3_column_int(q, 12);
        a.sqs_managed_sse_enabled = sqlite3_column_int(q, 13) != 0;
        a.content_based_deduplication = sqlite3_column_int(q, 14) != 0;
        a.deduplication_scope = Column(q, 15);
        a.fifo_throughput_limit = Column(q, 16);
        CORTADO_ASSIGN_OR_RETURN(r.tags, DecodeTags(Column(q, 17)));
        r.created = FromMicros(sqlite3_column_int64(q, 18));
        r.last_modified = FromMicros(sqlite3_column_int64(q, 19));
        snapshot.queues.push_back(std::move(r));
        return absl::OkStatus();
      });
}

// Hands each message to `on_message`, in sequence order (rowid order, so no
// sort).
absl::Status LoadMessages(sqlite3* db, Store::MessageVisitor on_message) {
  // One scratch record for every row (see AssignColumn).
  MessageRecord r;
  return ForEachRow(
      db,
      "SELECT sequence, queue_id, message_id, body, attributes,"
      " system_attributes, sender_id, message_group_id,"
      " message_deduplication_id, sent_us, visible_at_us, receive_count,"
      " first_receive_us, last_receive_us, dead_letter_source_arn,"
      " enqueued_us FROM messages ORDER BY sequence",
      "messages", [&](sqlite3_stmt* m) -> absl::Status {
        r.sequence = sqlite3_column_int64(m, 0);
        r.queue_id = sqlite3_column_int64(m, 1);
        AssignColumn(m, 2, r.message_id);
        AssignColumn(m, 3, r.body);
        CORTADO_RETURN_IF_ERROR(
            DecodeAttributesInto(ColumnView(m, 4), r.attributes));
        CORTADO_RETURN_IF_ERROR(
            DecodeAttributesInto(ColumnView(m, 5), r.system_attributes));
        AssignColumn(m, 6, r.sender_id);
        AssignColumn(m, 7, r.message_group_id);
        AssignColumn(m, 8, r.message_deduplication_id);
        r.sent = FromMicros(sqlite3_column_int64(m, 9));
        r.visible_at = FromMicros(sqlite3_column_int64(m, 10));
        r.receive_count = sqlite3_column_int(m, 11);
        r.first_receive = FromMicros(sqlite3_column_int64(m, 12));
        r.last_receive = FromMicros(sqlite3_column_int64(m, 13));
        AssignColumn(m, 14, r.dead_letter_source_arn);
        r.enqueued = FromMicros(sqlite3_column_int64(m, 15));
        return on_message(r);
      });
}

// The id reservations (ReserveIds) kept in `meta`.
absl::Status LoadMeta(sqlite3* db, StoreSnapshot& snapshot) {
  return ForEachRow(db, "SELECT key, value FROM meta", "meta",
                    [&](sqlite3_stmt* k) -> absl::Status {
                      const std::string key = Column(k, 0);
                      uint64_t value = 0;
                      if (!absl::SimpleAtoi(Column(k, 1), &value))
                        return absl::OkStatus();
                      if (key == ReservationKey(IdKind::kQueue)) {
                        snapshot.reserved_queue_ids = value;
                      } else if (key == ReservationKey(IdKind::kSequence)) {
                        snapshot.reserved_sequences = value;
                      }
                      return absl::OkStatus();
                    });
}

absl::Status LoadDedup(sqlite3* db, StoreSnapshot& snapshot) {
  return ForEachRow(
      db,
      "SELECT queue_id, scope_key, message_id, fifo_sequence_number,"
      " expires_us FROM fifo_dedup",
      "fifo_dedup", [&](sqlite3_stmt* d) -> absl::Status {
        DedupRecord r = ReadDedupRow<DedupRecord>(d);
        r.queue_id = sqlite3_column_int64(d, 0);
        snapshot.dedup.push_back(std::move(r));
        return absl::OkStatus();
      });
}

absl::Status LoadMoveTasks(sqlite3* db, StoreSnapshot& snapshot) {
  return ForEachRow(
      db,
      "SELECT task_handle, source_queue_id, source_arn, destination_arn,"
      " max_per_second, status, moved, to_move, last_sequence,"
      " failure_reason, started_us FROM move_tasks ORDER BY started_us",
      "move_tasks", [&](sqlite3_stmt* t) -> absl::Status {
        MoveTaskRecord r;
        r.task_handle = Column(t, 0);
        r.source_queue_id = sqlite3_column_int64(t, 1);
        r.source_arn = Column(t, 2);
        r.destination_arn = Column(t, 3);
        r.max_per_second = sqlite3_column_int(t, 4);
        r.status = Column(t, 5);
        r.moved = sqlite3_column_int64(t, 6);
        r.to_move = sqlite3_column_int64(t, 7);
        r.last_sequence = sqlite3_column_int64(t, 8);
        r.failure_reason = Column(t, 9);
        r.started = FromMicros(sqlite3_column_int64(t, 10));
        snapshot.move_tasks.push_back(std::move(r));
        return absl::OkStatus();
      });
}

absl::Status LoadTopics(sqlite3* db, StoreSnapshot& snapshot) {
  return ForEachRow(
      db,
      "SELECT topic_id, name, fifo, attributes, tags, created_us"
      " FROM topics ORDER BY topic_id",
      "topics", [&](sqlite3_stmt* t) -> absl::Status {
        TopicRecord r;
        r.topic_id = sqlite3_column_int64(t, 0);
        r.name = Column(t, 1);
        r.fifo = sqlite3_column_int(t, 2) != 0;
        // Topic attributes are a string map like tags: same encoding.
        CORTADO_ASSIGN_OR_RETURN(r.attributes, DecodeTags(Column(t, 3)));
        CORTADO_ASSIGN_OR_RETURN(r.tags, DecodeTags(Column(t, 4)));
        r.created = FromMicros(sqlite3_column_int64(t, 5));
        snapshot.topics.push_back(std::move(r));
        return absl::OkStatus();
      });
}

absl::Status LoadSubscriptions(sqlite3* db, StoreSnapshot& snapshot) {
  return ForEachRow(
      db,
      "SELECT subscription_id, topic_id, protocol, endpoint, attributes,"
      " created_us, pending_confirmation, confirmation_token,"
      " confirmation_authenticated, authenticate_on_unsubscribe"
      " FROM subscriptions ORDER BY created_us, subscription_id",
      "subscriptions", [&](sqlite3_stmt* u) -> absl::Status {
        SubscriptionRecord r;
        r.subscription_id = Column(u, 0);
        r.topic_id = sqlite3_column_int64(u, 1);
        r.protocol = Column(u, 2);
        r.endpoint = Column(u, 3);
        CORTADO_ASSIGN_OR_RETURN(r.attributes, DecodeTags(Column(u, 4)));
        r.created = FromMicros(sqlite3_column_int64(u, 5));
        r.pending_confirmation = sqlite3_column_int(u, 6) != 0;
        r.confirmation_token = Column(u, 7);
        r.confirmation_authenticated = sqlite3_column_int(u, 8) != 0;
        r.authenticate_on_unsubscribe = sqlite3_column_int(u, 9) != 0;
        snapshot.subscriptions.push_back(std::move(r));
        return absl::OkStatus();
      });
}

}  // namespace

absl::StatusOr<StoreSnapshot> SqliteStore::LoadState(
    MessageVisitor on_message) {
  sqlite3* db = db_.get();
  StoreSnapshot snapshot;
  CORTADO_RETURN_IF_ERROR(LoadQueues(db, snapshot));
  CORTADO_RETURN_IF_ERROR(LoadMessages(db, on_message));
  CORTADO_RETURN_IF_ERROR(LoadMeta(db, snapshot));
  CORTADO_RETURN_IF_ERROR(LoadDedup(db, snapshot));
  CORTADO_RETURN_IF_ERROR(LoadMoveTasks(db, snapshot));
  CORTADO_RETURN_IF_ERROR(LoadTopics(db, snapshot));
  CORTADO_RETURN_IF_ERROR(LoadSubscriptions(db, snapshot));
  CORTADO_RETURN_IF_ERROR(fifo_tables_->Load(snapshot));
  return snapshot;
}

}  // namespace cortado::store

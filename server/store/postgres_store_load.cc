// PostgresStore::LoadState: every table read once at start, in one
// read-only REPEATABLE READ transaction (one consistent snapshot), each
// streamed row by row (postgres_helpers.h PgForEachRow), never held whole.
#include <utility>

#include "server/core/status_macros.h"
#include "server/store/postgres_helpers.h"
#include "server/store/postgres_schema.h"
#include "server/store/postgres_session.h"
#include "server/store/postgres_store.h"
#include "server/store/record_codec.h"
#include "server/store/sql_queries.h"
#include "server/store/sqlite_writer.h"  // ReservationKey
#include "server/store/store_micros.h"

namespace cortado::store {
namespace {

absl::Status LoadQueues(PGconn* c, StoreSnapshot& snapshot) {
  return PgForEachRow(
      c, kSelectQueues, {}, "queues", [&](const PgRow& q) -> absl::Status {
        QueueRecord r;
        r.queue_id = q.Int64(0);
        r.name = q.Text(1);
        QueueAttributes& a = r.attributes;
        a.fifo_queue = q.Bool(2);
        a.delay_seconds = q.Int32(3);
        a.maximum_message_size = q.Int32(4);
        a.message_retention_period = q.Int32(5);
        a.receive_message_wait_time_seconds = q.Int32(6);
        a.visibility_timeout = q.Int32(7);
        a.policy = q.Text(8);
        a.redrive_policy = q.Text(9);
        a.redrive_allow_policy = q.Text(10);
        a.kms_master_key_id = q.Text(11);
        a.kms_data_key_reuse_period_seconds = q.Int32(12);
        a.sqs_managed_sse_enabled = q.Bool(13);
        a.content_based_deduplication = q.Bool(14);
        a.deduplication_scope = q.Text(15);
        a.fifo_throughput_limit = q.Text(16);
        CORTADO_ASSIGN_OR_RETURN(r.tags, DecodeTags(q.View(17)));
        r.created = FromMicros(q.Int64(18));
        r.last_modified = FromMicros(q.Int64(19));
        snapshot.queues.push_back(std::move(r));
        return absl::OkStatus();
      });
}

// Hands each message to `on_message` in sequence order (the primary key).
absl::Status LoadMessages(PGconn* c, Store::MessageVisitor on_message) {
  MessageRecord r;  // one scratch record for every row
  return PgForEachRow(
      c,
      "SELECT sequence, queue_id, message_id, body, attributes,"
      " system_attributes, sender_id, message_group_id,"
      " message_deduplication_id, sent_us, visible_at_us, receive_count,"
      " first_receive_us, last_receive_us, dead_letter_source_arn,"
      " enqueued_us FROM messages ORDER BY sequence",
      {}, "messages", [&](const PgRow& m) -> absl::Status {
        r.sequence = m.Int64(0);
        r.queue_id = m.Int64(1);
        m.Assign(2, r.message_id);
        m.Assign(3, r.body);
        CORTADO_RETURN_IF_ERROR(DecodeAttributesInto(m.View(4), r.attributes));
        CORTADO_RETURN_IF_ERROR(
            DecodeAttributesInto(m.View(5), r.system_attributes));
        m.Assign(6, r.sender_id);
        m.Assign(7, r.message_group_id);
        m.Assign(8, r.message_deduplication_id);
        r.sent = FromMicros(m.Int64(9));
        r.visible_at = FromMicros(m.Int64(10));
        r.receive_count = m.Int32(11);
        r.first_receive = FromMicros(m.Int64(12));
        r.last_receive = FromMicros(m.Int64(13));
        m.Assign(14, r.dead_letter_source_arn);
        r.enqueued = FromMicros(m.Int64(15));
        return on_message(r);
      });
}

absl::Status LoadMeta(PGconn* c, StoreSnapshot& snapshot) {
  return PgForEachRow(c, "SELECT key, value FROM meta", {}, "meta",
                      [&](const PgRow& k) -> absl::Status {
                        const absl::string_view key = k.View(0);
                        const uint64_t value = k.Int64(1);
                        if (key == ReservationKey(IdKind::kQueue)) {
                          snapshot.reserved_queue_ids = value;
                        } else if (key == ReservationKey(IdKind::kSequence)) {
                          snapshot.reserved_sequences = value;
                        }
                        return absl::OkStatus();
                      });
}

// The two deduplication windows share their row after the owner's id.
template <typename Record>
Record ReadDedupRow(const PgRow& row) {
  Record r;
  r.scope_key = row.Text(1);
  r.message_id = row.Text(2);
  r.sequence_number = row.Text(3);
  r.expires = FromMicros(row.Int64(4));
  return r;
}

absl::Status LoadDedupWindows(PGconn* c, StoreSnapshot& snapshot) {
  CORTADO_RETURN_IF_ERROR(PgForEachRow(
      c,
      "SELECT queue_id, scope_key, message_id, sequence_number, expires_us"
      " FROM fifo_dedup",
      {}, "fifo_dedup", [&](const PgRow& d) -> absl::Status {
        DedupRecord r = ReadDedupRow<DedupRecord>(d);
        r.queue_id = d.Int64(0);
        snapshot.dedup.push_back(std::move(r));
        return absl::OkStatus();
      }));
  return PgForEachRow(
      c,
      "SELECT topic_id, scope_key, message_id, sequence_number, expires_us"
      " FROM topic_dedup",
      {}, "topic_dedup", [&](const PgRow& d) -> absl::Status {
        TopicDedupRecord r = ReadDedupRow<TopicDedupRecord>(d);
        r.topic_id = d.Int64(0);
        snapshot.topic_dedup.push_back(std::move(r));
        return absl::OkStatus();
      });
}

absl::Status LoadMoveTasksAndAttempts(PGconn* c, StoreSnapshot& snapshot) {
  CORTADO_RETURN_IF_ERROR(PgForEachRow(
      c,
      "SELECT task_handle, source_queue_id, source_arn, destination_arn,"
      " max_per_second, status, moved, to_move, last_sequence,"
      " failure_reason, started_us FROM move_tasks ORDER BY started_us",
      {}, "move_tasks", [&](const PgRow& t) -> absl::Status {
        MoveTaskRecord r;
        r.task_handle = t.Text(0);
        r.source_queue_id = t.Int64(1);
        r.source_arn = t.Text(2);
        r.destination_arn = t.Text(3);
        r.max_per_second = t.Int32(4);
        r.status = t.Text(5);
        r.moved = t.Int64(6);
        r.to_move = t.Int64(7);
        r.last_sequence = t.Int64(8);
        r.failure_reason = t.Text(9);
        r.started = FromMicros(t.Int64(10));
        snapshot.move_tasks.push_back(std::move(r));
        return absl::OkStatus();
      }));
  return PgForEachRow(
      c,
      "SELECT queue_id, attempt_id, taken, expires_us"
      " FROM fifo_receive_attempts",
      {}, "fifo_receive_attempts", [&](const PgRow& a) -> absl::Status {
        ReceiveAttemptRecord r;
        r.queue_id = a.Int64(0);
        r.attempt_id = a.Text(1);
        CORTADO_ASSIGN_OR_RETURN(r.taken, DecodeTakenMessages(a.View(2)));
        r.expires = FromMicros(a.Int64(3));
        snapshot.receive_attempts.push_back(std::move(r));
        return absl::OkStatus();
      });
}

absl::Status LoadTopics(PGconn* c, StoreSnapshot& snapshot) {
  CORTADO_RETURN_IF_ERROR(PgForEachRow(
      c,
      "SELECT topic_id, name, fifo, attributes, tags, created_us"
      " FROM topics ORDER BY topic_id",
      {}, "topics", [&](const PgRow& t) -> absl::Status {
        TopicRecord r;
        r.topic_id = t.Int64(0);
        r.name = t.Text(1);
        r.fifo = t.Bool(2);
        CORTADO_ASSIGN_OR_RETURN(r.attributes, DecodeTags(t.View(3)));
        CORTADO_ASSIGN_OR_RETURN(r.tags, DecodeTags(t.View(4)));
        r.created = FromMicros(t.Int64(5));
        snapshot.topics.push_back(std::move(r));
        return absl::OkStatus();
      }));
  return PgForEachRow(
      c,
      "SELECT subscription_id, topic_id, protocol, endpoint, attributes,"
      " created_us, pending_confirmation, confirmation_token,"
      " confirmation_authenticated, authenticate_on_unsubscribe"
      " FROM subscriptions ORDER BY created_us, subscription_id",
      {}, "subscriptions", [&](const PgRow& u) -> absl::Status {
        SubscriptionRecord r;
        r.subscription_id = u.Text(0);
        r.topic_id = u.Int64(1);
        r.protocol = u.Text(2);
        r.endpoint = u.Text(3);
        CORTADO_ASSIGN_OR_RETURN(r.attributes, DecodeTags(u.View(4)));
        r.created = FromMicros(u.Int64(5));
        r.pending_confirmation = u.Bool(6);
        r.confirmation_token = u.Text(7);
        r.confirmation_authenticated = u.Bool(8);
        r.authenticate_on_unsubscribe = u.Bool(9);
        snapshot.subscriptions.push_back(std::move(r));
        return absl::OkStatus();
      });
}

}  // namespace

absl::StatusOr<StoreSnapshot> PostgresStore::LoadState(
    MessageVisitor on_message) {
  if (!failure_.ok()) return failure_;
  if (session_ == nullptr) {
    return absl::UnavailableError("the PostgreSQL store is not connected");
  }
  PGconn* c = session_->connection.get();
  CORTADO_RETURN_IF_ERROR(session_->pipeline.Exit());
  // The load reads whole tables: let the planner scan them again (a reload
  // follows commits that pinned the plans).
  CORTADO_RETURN_IF_ERROR(PinIndexPlans(c, false));
  CORTADO_RETURN_IF_ERROR(
      PgExec(c, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"));
  StoreSnapshot snapshot;
  absl::Status status = LoadQueues(c, snapshot);
  if (status.ok()) status = LoadMessages(c, on_message);
  if (status.ok()) status = LoadMeta(c, snapshot);
  if (status.ok()) status = LoadDedupWindows(c, snapshot);
  if (status.ok()) status = LoadMoveTasksAndAttempts(c, snapshot);
  if (status.ok()) status = LoadTopics(c, snapshot);
  // Read-only: COMMIT and ROLLBACK alike end it.
  absl::Status ended = PgExec(c, "COMMIT");
  if (!status.ok()) return status;
  if (!ended.ok()) return ended;
  CORTADO_RETURN_IF_ERROR(PinIndexPlans(c, true));
  return snapshot;
}

}  // namespace cortado::store

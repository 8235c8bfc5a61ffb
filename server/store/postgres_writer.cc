#include "server/store/postgres_writer.h"

#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "server/core/status_macros.h"
#include "server/store/record_codec.h"
#include "server/store/sqlite_writer.h"  // ReservationKey, shared with SQLite
#include "server/store/store_micros.h"

namespace cortado::store {
namespace {

// "INSERT ... VALUES ($1..$n) ON CONFLICT (the first `keys` columns) DO
// UPDATE" every other column: SQLite's INSERT OR REPLACE.
std::string Upsert(const char* table, const std::vector<const char*>& columns,
                   size_t keys) {
  std::vector<std::string> placeholders, updates;
  for (size_t i = 0; i < columns.size(); ++i) {
    placeholders.push_back(absl::StrCat("$", i + 1));
    if (i >= keys) {
      updates.push_back(absl::StrCat(columns[i], " = EXCLUDED.", columns[i]));
    }
  }
  const std::vector<const char*> key_columns(columns.begin(),
                                             columns.begin() + keys);
  return absl::StrCat("INSERT INTO ", table, " (", absl::StrJoin(columns, ", "),
                      ") VALUES (", absl::StrJoin(placeholders, ", "),
                      ") ON CONFLICT (", absl::StrJoin(key_columns, ", "),
                      ") DO UPDATE SET ", absl::StrJoin(updates, ", "));
}

// The two deduplication windows have the same row after the owner's id.
template <typename Record>
PgParams DedupRow(uint64_t owner_id, const Record& r) {
  PgParams params;
  params.AddInt64(static_cast<int64_t>(owner_id))
      .AddBytes(r.scope_key)
      .AddBytes(r.message_id)
      .AddBytes(r.sequence_number)
      .AddInt64(Micros(r.expires));
  return params;
}

}  // namespace

absl::StatusOr<std::unique_ptr<PostgresWriter>> PostgresWriter::Prepare(
    PGconn* connection, PgPipeline* pipeline,
    std::optional<TransferScope> transfers) {
  if (transfers.has_value()) {
    CORTADO_RETURN_IF_ERROR(PrepareTransferStatements(connection, *transfers));
  }
  std::unique_ptr<PostgresWriter> w(
      new PostgresWriter(pipeline, std::move(transfers)));
  std::vector<std::pair<const char*, std::string>> all = {
      {"put_queue", Upsert("queues",
                           {"queue_id",
                            "name",
                            "fifo",
                            "delay_seconds",
                            "maximum_message_size",
                            "message_retention_period",
                            "receive_message_wait_time_seconds",
                            "visibility_timeout",
                            "policy",
                            "redrive_policy",
                            "redrive_allow_policy",
                            "kms_master_key_id",
                            "kms_data_key_reuse_period_seconds",
                            "sqs_managed_sse_enabled",
                            "content_based_deduplication",
                            "deduplication_scope",
                            "fifo_throughput_limit",
                            "tags",
                            "created_us",
                            "last_modified_us"},
                           1)},
      {"delete_queue", "DELETE FROM queues WHERE queue_id = $1"},
      // A range of the primary key: no index by queue, as on SQLite.
      {"delete_queue_messages",
       "DELETE FROM messages WHERE sequence BETWEEN $2 AND $3"
       " AND queue_id = $1"},
      {"reserve_ids", Upsert("meta", {"key", "value"}, 1)},
      {"put_dedup", Upsert("fifo_dedup",
                           {"queue_id", "scope_key", "message_id",
                            "sequence_number", "expires_us"},
                           2)},
      {"expire_dedup",
       "DELETE FROM fifo_dedup WHERE queue_id = $1 AND expires_us <= $2"},
      {"delete_queue_dedup", "DELETE FROM fifo_dedup WHERE queue_id = $1"},
      {"put_move_task",
       Upsert("move_tasks",
              {"task_handle", "source_queue_id", "source_arn",
               "destination_arn", "max_per_second", "status", "moved",
               "to_move", "last_sequence", "failure_reason", "started_us"},
              1)},
      {"put_topic",
       Upsert("topics",
              {"topic_id", "name", "fifo", "attributes", "tags", "created_us"},
              1)},
      {"delete_topic", "DELETE FROM topics WHERE topic_id = $1"},
      {"delete_topic_subscriptions",
       "DELETE FROM subscriptions WHERE topic_id = $1"},
      {"put_subscription",
       Upsert(
           "subscriptions",
           {"subscription_id", "topic_id", "protocol", "endpoint", "attributes",
            "created_us", "pending_confirmation", "confirmation_token",
            "confirmation_authenticated", "authenticate_on_unsubscribe"},
           1)},
      {"delete_subscription",
       "DELETE FROM subscriptions WHERE subscription_id = $1"},
      {"put_attempt",
       Upsert("fifo_receive_attempts",
              {"queue_id", "attempt_id", "taken", "expires_us"}, 2)},
      {"expire_attempts",
       "DELETE FROM fifo_receive_attempts WHERE queue_id = $1"
       " AND expires_us <= $2"},
      {"delete_queue_attempts",
       "DELETE FROM fifo_receive_attempts WHERE queue_id = $1"},
      {"put_topic_dedup", Upsert("topic_dedup",
                                 {"topic_id", "scope_key", "message_id",
                                  "sequence_number", "expires_us"},
                                 2)},
      {"expire_topic_dedup",
       "DELETE FROM topic_dedup WHERE topic_id = $1 AND expires_us <= $2"},
      {"delete_topic_dedup", "DELETE FROM topic_dedup WHERE topic_id = $1"},
  };
  for (const auto& [name, sql] : PgMessageRuns::Statements()) {
    all.emplace_back(name, sql);
  }
  for (const auto& [name, sql] : all) {
    PgResult result(PQprepare(connection, name, sql.c_str(), 0, nullptr));
    if (PQresultStatus(result.get()) != PGRES_COMMAND_OK) {
      return PgResultError(result.get(),
                           absl::StrCat("preparing \"", sql, "\""));
    }
  }
  return w;
}

absl::Status PostgresWriter::Write(const WriteBatch& batch) {
  for (const StoreMutation& mutation : batch.mutations) {
    if (absl::Status status = WriteOne(mutation); !status.ok()) {
      runs_.Discard();  // it points into this batch
      return status;
    }
  }
  return runs_.Flush();
}

absl::Status PostgresWriter::WriteOne(const StoreMutation& mutation) {
  // A message mutation continues the current run; any other kind ends it
  // first, so the statements apply in the batch's order.
  const bool message =
      std::holds_alternative<InsertMessage>(mutation) ||
      std::holds_alternative<UpdateMessageDelivery>(mutation) ||
      std::holds_alternative<RemoveMessage>(mutation);
  if (!message) CORTADO_RETURN_IF_ERROR(runs_.Flush());
  return std::visit([this](const auto& m) { return Apply(m); }, mutation);
}

absl::Status PostgresWriter::SendForId(const char* statement, int64_t id) {
  PgParams params;
  params.AddInt64(id);
  return pipeline_->Send(statement, params);
}

absl::Status PostgresWriter::SendForId(const char* statement, int64_t id,
                                       absl::Time up_to) {
  PgParams params;
  params.AddInt64(id).AddInt64(Micros(up_to));
  return pipeline_->Send(statement, params);
}

absl::Status PostgresWriter::Apply(const PutQueue& m) {
  const QueueRecord& r = m.queue;
  const QueueAttributes& a = r.attributes;
  PgParams params;
  params.AddInt64(static_cast<int64_t>(r.queue_id))
      .AddBytes(r.name)
      .AddBool(a.fifo_queue)
      .AddInt32(a.delay_seconds)
      .AddInt32(a.maximum_message_size)
      .AddInt32(a.message_retention_period)
      .AddInt32(a.receive_message_wait_time_seconds)
      .AddInt32(a.visibility_timeout)
      .AddBytes(a.policy)
      .AddBytes(a.redrive_policy)
      .AddBytes(a.redrive_allow_policy)
      .AddBytes(a.kms_master_key_id)
      .AddInt32(a.kms_data_key_reuse_period_seconds)
      .AddBool(a.sqs_managed_sse_enabled)
      .AddBool(a.content_based_deduplication)
      .AddBytes(a.deduplication_scope)
      .AddBytes(a.fifo_throughput_limit)
      .AddBytes(EncodeTags(r.tags))
      .AddInt64(Micros(r.created))
      .AddInt64(Micros(r.last_modified));
  return pipeline_->Send("put_queue", params);
}

absl::Status PostgresWriter::DeleteMessages(uint64_t queue_id,
                                            const SequenceRange& range) {
  if (range.empty()) return absl::OkStatus();
  PgParams params;
  params.AddInt64(static_cast<int64_t>(queue_id))
      .AddInt64(static_cast<int64_t>(range.first))
      .AddInt64(static_cast<int64_t>(range.last));
  return pipeline_->Send("delete_queue_messages", params);
}

absl::Status PostgresWriter::Apply(const RemoveQueue& m) {
  const int64_t id = static_cast<int64_t>(m.queue_id);
  CORTADO_RETURN_IF_ERROR(SendForId("delete_queue", id));
  CORTADO_RETURN_IF_ERROR(SendForId("delete_queue_dedup", id));
  CORTADO_RETURN_IF_ERROR(SendForId("delete_queue_attempts", id));
  return DeleteMessages(m.queue_id, m.messages);
}

absl::Status PostgresWriter::Apply(const PurgeQueueMessages& m) {
  return DeleteMessages(m.queue_id, m.messages);
}

absl::Status PostgresWriter::Apply(const ReserveIds& m) {
  PgParams params;
  params.AddBytes(ReservationKey(m.kind))
      .AddInt64(static_cast<int64_t>(m.up_to));
  return pipeline_->Send("reserve_ids", params);
}

absl::Status PostgresWriter::Apply(const PutDedup& m) {
  return pipeline_->Send("put_dedup", DedupRow(m.entry.queue_id, m.entry));
}

absl::Status PostgresWriter::Apply(const ExpireDedup& m) {
  return SendForId("expire_dedup", static_cast<int64_t>(m.queue_id), m.up_to);
}

absl::Status PostgresWriter::Apply(const PutMoveTask& m) {
  const MoveTaskRecord& r = m.task;
  PgParams params;
  params.AddBytes(r.task_handle)
      .AddInt64(static_cast<int64_t>(r.source_queue_id))
      .AddBytes(r.source_arn)
      .AddBytes(r.destination_arn)
      .AddInt32(r.max_per_second)
      .AddBytes(r.status)
      .AddInt64(r.moved)
      .AddInt64(r.to_move)
      .AddInt64(static_cast<int64_t>(r.last_sequence))
      .AddBytes(r.failure_reason)
      .AddInt64(Micros(r.started));
  return pipeline_->Send("put_move_task", params);
}

absl::Status PostgresWriter::Apply(const PutTopic& m) {
  const TopicRecord& r = m.topic;
  PgParams params;
  // Topic attributes are a string map like tags: same encoding.
  params.AddInt64(static_cast<int64_t>(r.topic_id))
      .AddBytes(r.name)
      .AddBool(r.fifo)
      .AddBytes(EncodeTags(r.attributes))
      .AddBytes(EncodeTags(r.tags))
      .AddInt64(Micros(r.created));
  return pipeline_->Send("put_topic", params);
}

absl::Status PostgresWriter::Apply(const RemoveTopic& m) {
  const int64_t id = static_cast<int64_t>(m.topic_id);
  CORTADO_RETURN_IF_ERROR(SendForId("delete_topic", id));
  CORTADO_RETURN_IF_ERROR(SendForId("delete_topic_subscriptions", id));
  return SendForId("delete_topic_dedup", id);
}

absl::Status PostgresWriter::Apply(const PutSubscription& m) {
  const SubscriptionRecord& r = m.subscription;
  PgParams params;
  params.AddBytes(r.subscription_id)
      .AddInt64(static_cast<int64_t>(r.topic_id))
      .AddBytes(r.protocol)
      .AddBytes(r.endpoint)
      .AddBytes(EncodeTags(r.attributes))
      .AddInt64(Micros(r.created))
      .AddBool(r.pending_confirmation)
      .AddBytes(r.confirmation_token)
      .AddBool(r.confirmation_authenticated)
      .AddBool(r.authenticate_on_unsubscribe);
  return pipeline_->Send("put_subscription", params);
}

absl::Status PostgresWriter::Apply(const RemoveSubscription& m) {
  PgParams params;
  params.AddBytes(m.subscription_id);
  return pipeline_->Send("delete_subscription", params);
}

absl::Status PostgresWriter::Apply(const PutReceiveAttempt& m) {
  const ReceiveAttemptRecord& r = m.attempt;
  PgParams params;
  params.AddInt64(static_cast<int64_t>(r.queue_id))
      .AddBytes(r.attempt_id)
      .AddBytes(EncodeTakenMessages(r.taken))
      .AddInt64(Micros(r.expires));
  return pipeline_->Send("put_attempt", params);
}

absl::Status PostgresWriter::Apply(const ExpireReceiveAttempts& m) {
  return SendForId("expire_attempts", static_cast<int64_t>(m.queue_id),
                   m.up_to);
}

absl::Status PostgresWriter::Apply(const PutTopicDedup& m) {
  return pipeline_->Send("put_topic_dedup",
                         DedupRow(m.entry.topic_id, m.entry));
}

absl::Status PostgresWriter::Apply(const ExpireTopicDedup& m) {
  return SendForId("expire_topic_dedup", static_cast<int64_t>(m.topic_id),
                   m.up_to);
}

absl::Status PostgresWriter::Apply(const PutTransfer& m) {
  if (!transfers_.has_value()) return TransfersNeedACluster("PostgreSQL");
  return pipeline_->Send("put_transfer", PutTransferParams(m.transfer));
}

absl::Status PostgresWriter::Apply(const RemoveTransfers& m) {
  if (!transfers_.has_value()) return TransfersNeedACluster("PostgreSQL");
  if (m.transfer_ids.empty()) return absl::OkStatus();
  return pipeline_->Send("take_transfers",
                         TakeTransfersParams(*transfers_, m.transfer_ids));
}

}  // namespace cortado::store

#include "server/store/sqlite_fifo_tables.h"

#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "server/core/status_macros.h"
#include "server/store/record_codec.h"
#include "server/store/sqlite_dedup_rows.h"

namespace cortado::store {

absl::StatusOr<std::unique_ptr<SqliteFifoTables>> SqliteFifoTables::Prepare(
    sqlite3* db) {
  std::unique_ptr<SqliteFifoTables> t(new SqliteFifoTables(db));
  const std::pair<Statement*, const char*> all[] = {
      {&t->put_attempt_,
       "INSERT OR REPLACE INTO fifo_receive_attempts (queue_id, attempt_id,"
       " taken, expires_us) VALUES (?1, ?2, ?3, ?4)"},
      {&t->expire_attempts_,
       "DELETE FROM fifo_receive_attempts WHERE queue_id = ?1"
       " AND expires_us <= ?2"},
      {&t->delete_queue_attempts_,
       "DELETE FROM fifo_receive_attempts WHERE queue_id = ?1"},
      {&t->put_topic_dedup_,
       "INSERT OR REPLACE INTO topic_dedup (topic_id, scope_key, message_id,"
       " sequence_number, expires_us) VALUES (?1, ?2, ?3, ?4, ?5)"},
      {&t->expire_topic_dedup_,
       "DELETE FROM topic_dedup WHERE topic_id = ?1 AND expires_us <= ?2"},
      {&t->delete_topic_dedup_, "DELETE FROM topic_dedup WHERE topic_id = ?1"},
  };
  for (const auto& [statement, sql] : all) {
    if (statement->Prepare(db, sql) != SQLITE_OK) {
      return SqliteError(db, absl::StrCat("preparing \"", sql, "\""));
    }
  }
  return t;
}

absl::Status SqliteFifoTables::Apply(const PutReceiveAttempt& m) {
  const ReceiveAttemptRecord& r = m.attempt;
  sqlite3_stmt* stmt = put_attempt_.Begin();
  sqlite3_bind_int64(stmt, 1, r.queue_id);
  BindText(stmt, 2, r.attempt_id);
  const std::string taken = EncodeTakenMessages(r.taken);  // bound until Step
  BindBlob(stmt, 3, taken);
  sqlite3_bind_int64(stmt, 4, Micros(r.expires));
  return StepWrite(db_, stmt);
}

absl::Status SqliteFifoTables::Apply(const ExpireReceiveAttempts& m) {
  return StepWrite(db_, expire_attempts_, m.queue_id, m.up_to);
}

absl::Status SqliteFifoTables::Apply(const PutTopicDedup& m) {
  sqlite3_stmt* stmt = put_topic_dedup_.Begin();
  BindDedupRow(stmt, m.entry.topic_id, m.entry);
  return StepWrite(db_, stmt);
}

absl::Status SqliteFifoTables::Apply(const ExpireTopicDedup& m) {
  return StepWrite(db_, expire_topic_dedup_, m.topic_id, m.up_to);
}

absl::Status SqliteFifoTables::Apply(const RemoveQueue& m) {
  return StepWrite(db_, delete_queue_attempts_, m.queue_id);
}

absl::Status SqliteFifoTables::Apply(const RemoveTopic& m) {
  return StepWrite(db_, delete_topic_dedup_, m.topic_id);
}

absl::Status SqliteFifoTables::Load(StoreSnapshot& snapshot) {
  // Small tables (5 minutes of entries).
  CORTADO_RETURN_IF_ERROR(
      ForEachRow(db_,
                 "SELECT queue_id, attempt_id, taken, expires_us"
                 " FROM fifo_receive_attempts",
                 "fifo_receive_attempts", [&](sqlite3_stmt* a) -> absl::Status {
                   ReceiveAttemptRecord r;
                   r.queue_id = sqlite3_column_int64(a, 0);
                   r.attempt_id = Column(a, 1);
                   CORTADO_ASSIGN_OR_RETURN(
                       r.taken, DecodeTakenMessages(ColumnView(a, 2)));
                   r.expires = FromMicros(sqlite3_column_int64(a, 3));
                   snapshot.receive_attempts.push_back(std::move(r));
                   return absl::OkStatus();
                 }));
  return ForEachRow(
      db_,
      "SELECT topic_id, scope_key, message_id, sequence_number, expires_us"
      " FROM topic_dedup",
      "topic_dedup", [&](sqlite3_stmt* d) -> absl::Status {
        TopicDedupRecord r = ReadDedupRow<TopicDedupRecord>(d);
        r.topic_id = sqlite3_column_int64(d, 0);
        snapshot.topic_dedup.push_back(std::move(r));
        return absl::OkStatus();
      });
}

}  // namespace cortado::store

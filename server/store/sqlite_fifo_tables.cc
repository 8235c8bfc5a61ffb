#include "server/store/sqlite_fifo_tables.h"

#include <string>
#include <type_traits>
#include <utility>
#include <variant>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "server/core/status_macros.h"
#include "server/store/record_codec.h"

namespace cortado::store {
namespace {

// As SqliteStore: microseconds, the epoch as 0.
int64_t Micros(absl::Time t) {
  return t == absl::UnixEpoch() ? 0 : absl::ToUnixMicros(t);
}

void BindText(sqlite3_stmt* s, int i, absl::string_view v) {
  sqlite3_bind_text(s, i, v.data(), static_cast<int>(v.size()),
                    SQLITE_TRANSIENT);
}

absl::string_view ColumnView(sqlite3_stmt* s, int i) {
  const void* data = sqlite3_column_blob(s, i);
  return data == nullptr ? absl::string_view()
                         : absl::string_view(static_cast<const char*>(data),
                                             sqlite3_column_bytes(s, i));
}

std::string Column(sqlite3_stmt* s, int i) {
  return std::string(ColumnView(s, i));
}

constexpr const char* kSql[] = {
    // kPutAttempt
    "INSERT OR REPLACE INTO fifo_receive_attempts (queue_id, attempt_id,"
    " taken, expires_us) VALUES (?1, ?2, ?3, ?4)",
    // kExpireAttempts
    "DELETE FROM fifo_receive_attempts WHERE queue_id = ?1"
    " AND expires_us <= ?2",
    // kDeleteQueueAttempts
    "DELETE FROM fifo_receive_attempts WHERE queue_id = ?1",
    // kPutTopicDedup
    "INSERT OR REPLACE INTO topic_dedup (topic_id, scope_key, message_id,"
    " sequence_number, expires_us) VALUES (?1, ?2, ?3, ?4, ?5)",
    // kExpireTopicDedup
    "DELETE FROM topic_dedup WHERE topic_id = ?1 AND expires_us <= ?2",
    // kDeleteTopicDedup
    "DELETE FROM topic_dedup WHERE topic_id = ?1",
};

}  // namespace

absl::StatusOr<std::unique_ptr<SqliteFifoTables>> SqliteFifoTables::Prepare(
    sqlite3* db) {
  static_assert(std::size(kSql) == kStatementCount);
  std::unique_ptr<SqliteFifoTables> tables(new SqliteFifoTables(db));
  for (int i = 0; i < kStatementCount; ++i) {
    if (sqlite3_prepare_v3(db, kSql[i], -1, SQLITE_PREPARE_PERSISTENT,
                           &tables->statements_[i], nullptr) != SQLITE_OK) {
      return tables->Error(kSql[i]);
    }
  }
  return tables;
}

SqliteFifoTables::~SqliteFifoTables() {
  for (sqlite3_stmt* statement : statements_) sqlite3_finalize(statement);
}

bool SqliteFifoTables::Owns(const StoreMutation& mutation) {
  return std::holds_alternative<PutReceiveAttempt>(mutation) ||
         std::holds_alternative<ExpireReceiveAttempts>(mutation) ||
         std::holds_alternative<PutTopicDedup>(mutation) ||
         std::holds_alternative<ExpireTopicDedup>(mutation);
}

sqlite3_stmt* SqliteFifoTables::Begin(Statement statement) {
  sqlite3_stmt* stmt = statements_[statement];
  sqlite3_reset(stmt);
  sqlite3_clear_bindings(stmt);
  return stmt;
}

absl::Status SqliteFifoTables::Step(sqlite3_stmt* stmt) {
  if (sqlite3_step(stmt) != SQLITE_DONE) return Error("writing");
  return absl::OkStatus();
}

absl::Status SqliteFifoTables::Error(const char* what) const {
  return absl::UnavailableError(
      absl::StrCat(what, ": ", sqlite3_errmsg(db_), " (sqlite error ",
                   sqlite3_extended_errcode(db_), ")"));
}

absl::Status SqliteFifoTables::Apply(const StoreMutation& mutation) {
  return std::visit(
      [&](const auto& m) -> absl::Status {
        using T = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<T, PutReceiveAttempt>) {
          const ReceiveAttemptRecord& r = m.attempt;
          sqlite3_stmt* stmt = Begin(kPutAttempt);
          sqlite3_bind_int64(stmt, 1, r.queue_id);
          BindText(stmt, 2, r.attempt_id);
          const std::string taken = EncodeTakenMessages(r.taken);
          sqlite3_bind_blob(stmt, 3, taken.data(),
                            static_cast<int>(taken.size()), SQLITE_TRANSIENT);
          sqlite3_bind_int64(stmt, 4, Micros(r.expires));
          return Step(stmt);
        } else if constexpr (std::is_same_v<T, ExpireReceiveAttempts>) {
          sqlite3_stmt* stmt = Begin(kExpireAttempts);
          sqlite3_bind_int64(stmt, 1, m.queue_id);
          sqlite3_bind_int64(stmt, 2, Micros(m.up_to));
          return Step(stmt);
        } else if constexpr (std::is_same_v<T, RemoveQueue>) {
          sqlite3_stmt* stmt = Begin(kDeleteQueueAttempts);
          sqlite3_bind_int64(stmt, 1, m.queue_id);
          return Step(stmt);
        } else if constexpr (std::is_same_v<T, PutTopicDedup>) {
          const TopicDedupRecord& r = m.entry;
          sqlite3_stmt* stmt = Begin(kPutTopicDedup);
          sqlite3_bind_int64(stmt, 1, r.topic_id);
          BindText(stmt, 2, r.scope_key);
          BindText(stmt, 3, r.message_id);
          BindText(stmt, 4, r.sequence_number);
          sqlite3_bind_int64(stmt, 5, Micros(r.expires));
          return Step(stmt);
        } else if constexpr (std::is_same_v<T, ExpireTopicDedup>) {
          sqlite3_stmt* stmt = Begin(kExpireTopicDedup);
          sqlite3_bind_int64(stmt, 1, m.topic_id);
          sqlite3_bind_int64(stmt, 2, Micros(m.up_to));
          return Step(stmt);
        } else if constexpr (std::is_same_v<T, RemoveTopic>) {
          sqlite3_stmt* stmt = Begin(kDeleteTopicDedup);
          sqlite3_bind_int64(stmt, 1, m.topic_id);
          return Step(stmt);
        } else {
          return absl::OkStatus();
        }
      },
      mutation);
}

absl::Status SqliteFifoTables::Load(StoreSnapshot& snapshot) {
  // Small tables (5 minutes of entries): plain one-off statements.
  auto for_each_row = [&](const char* sql, auto row) -> absl::Status {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db_, sql, -1, &stmt, nullptr) != SQLITE_OK) {
      return Error(sql);
    }
    absl::Status status = absl::OkStatus();
    int rc;
    while (status.ok() && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      status = row(stmt);
    }
    if (status.ok() && rc != SQLITE_DONE) status = Error(sql);
    sqlite3_finalize(stmt);
    return status;
  };
  CORTADO_RETURN_IF_ERROR(for_each_row(
      "SELECT queue_id, attempt_id, taken, expires_us"
      " FROM fifo_receive_attempts",
      [&](sqlite3_stmt* a) -> absl::Status {
        ReceiveAttemptRecord r;
        r.queue_id = sqlite3_column_int64(a, 0);
        r.attempt_id = Column(a, 1);
        CORTADO_ASSIGN_OR_RETURN(r.taken,
                                 DecodeTakenMessages(ColumnView(a, 2)));
        r.expires = absl::FromUnixMicros(sqlite3_column_int64(a, 3));
        snapshot.receive_attempts.push_back(std::move(r));
        return absl::OkStatus();
      }));
  return for_each_row(
      "SELECT topic_id, scope_key, message_id, sequence_number, expires_us"
      " FROM topic_dedup",
      [&](sqlite3_stmt* d) -> absl::Status {
        TopicDedupRecord r;
        r.topic_id = sqlite3_column_int64(d, 0);
        r.scope_key = Column(d, 1);
        r.message_id = Column(d, 2);
        r.sequence_number = Column(d, 3);
        r.expires = absl::FromUnixMicros(sqlite3_column_int64(d, 4));
        snapshot.topic_dedup.push_back(std::move(r));
        return absl::OkStatus();
      });
}

}  // namespace cortado::store

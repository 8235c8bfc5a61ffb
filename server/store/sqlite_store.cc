#include "server/store/sqlite_store.h"

#include <type_traits>
#include <utility>

#include "absl/functional/function_ref.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "server/core/status_macros.h"
#include "server/store/migrations.h"
#include "server/store/record_codec.h"
#include "server/store/sqlite_fifo_tables.h"

namespace cortado::store {
namespace {

int64_t Micros(absl::Time t) {
  return t == absl::UnixEpoch() ? 0 : absl::ToUnixMicros(t);
}
absl::Time FromMicros(int64_t us) { return absl::FromUnixMicros(us); }

// Finalizes on destruction; resets and clears bindings before each use.
class Statement {
 public:
  Statement() = default;
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  int Prepare(sqlite3* db, const char* sql) {
    return sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt_,
                              nullptr);
  }
  // Every use binds every parameter of the statement, so the bindings of the
  // previous use need no clearing (sqlite3_clear_bindings was ≈ 5 % of a
  // commit's instructions).
  sqlite3_stmt* Begin() {
    sqlite3_reset(stmt_);
    return stmt_;
  }
  sqlite3_stmt* get() const { return stmt_; }

 private:
  sqlite3_stmt* stmt_ = nullptr;
};

// Values are bound without a copy (SQLITE_STATIC): SQLite reads them only
// while the statement steps, which Apply does before the value (a field of
// the mutation, or a string in Statements::scratch) can change or go away.
// Copying every bound string (SQLITE_TRANSIENT) cost a malloc, a memcpy and
// a free per value.
void BindText(sqlite3_stmt* s, int i, absl::string_view v) {
  sqlite3_bind_text(s, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
}
void BindBlob(sqlite3_stmt* s, int i, absl::string_view v) {
  sqlite3_bind_blob(s, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
}
absl::string_view ColumnView(sqlite3_stmt* s, int i) {
  const void* data = sqlite3_column_blob(s, i);
  const int size = sqlite3_column_bytes(s, i);
  return data == nullptr
             ? absl::string_view()
             : absl::string_view(static_cast<const char*>(data), size);
}
std::string Column(sqlite3_stmt* s, int i) {
  return std::string(ColumnView(s, i));
}
// Into an existing string: reuses its capacity, so a record read row after
// row allocates only when a value is longer than any before it.
void AssignColumn(sqlite3_stmt* s, int i, std::string& out) {
  const absl::string_view value = ColumnView(s, i);
  out.assign(value.data(), value.size());
}
// Attributes are empty on most messages: skip the decoder (and the map's
// clear) for those.
absl::Status AssignAttributes(sqlite3_stmt* s, int i, MessageAttributes& out) {
  const absl::string_view encoded = ColumnView(s, i);
  if (encoded.empty()) {
    if (!out.empty()) out.clear();
    return absl::OkStatus();
  }
  CORTADO_ASSIGN_OR_RETURN(out, DecodeAttributes(encoded));
  return absl::OkStatus();
}

// Binds "the messages of `queue_id` within `range`" (?1, ?2, ?3).
sqlite3_stmt* BindQueueMessages(Statement& statement, uint64_t queue_id,
                                const SequenceRange& range) {
  sqlite3_stmt* stmt = statement.Begin();
  sqlite3_bind_int64(stmt, 1, queue_id);
  sqlite3_bind_int64(stmt, 2, static_cast<int64_t>(range.first));
  sqlite3_bind_int64(stmt, 3, static_cast<int64_t>(range.last));
  return stmt;
}

absl::string_view ReservationKey(IdKind kind) {
  return kind == IdKind::kQueue ? "reserved_queue_ids" : "reserved_sequences";
}

// SQLite keeps statistics of its memory use unless told not to, and every
// malloc and free then takes a global mutex (≈ 12 % of a small commit's
// instructions). Nothing here reads those statistics. The setting is
// process-wide and only accepted before SQLite initialises, so the first
// store opened makes it; if SQLite was already in use, it is left as is.
void TurnOffMemoryStatistics() {
  static const int once = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  (void)once;
}

}  // namespace

struct SqliteStore::Statements {
  Statement begin, commit, rollback;
  Statement put_queue, delete_queue, delete_queue_messages;
  Statement insert_message, update_delivery, delete_message;
  Statement reserve_ids;
  Statement put_dedup, expire_dedup, delete_queue_dedup;
  Statement put_move_task;
  Statement put_topic, delete_topic, delete_topic_subscriptions;
  Statement put_subscription, delete_subscription;
  // Encoded values bound to the statement being stepped (see BindText).
  std::string scratch[2];
};

absl::StatusOr<std::unique_ptr<SqliteStore>> SqliteStore::Open(
    const SqliteStoreOptions& options) {
  TurnOffMemoryStatistics();
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(
      options.path.c_str(), &db,
      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
      nullptr);
  if (rc != SQLITE_OK) {
    std::string message = db != nullptr ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    return absl::UnavailableError(
        absl::StrCat("cannot open ", options.path, ": ", message));
  }
  std::unique_ptr<SqliteStore> store(new SqliteStore(options, db));
  const std::string pragmas =
      absl::StrCat("PRAGMA journal_mode=WAL; PRAGMA synchronous=",
                   options.sync == SyncMode::kFull ? "FULL" : "NORMAL",
                   "; PRAGMA foreign_keys=OFF; PRAGMA cache_size=-65536;"
                   " PRAGMA wal_autocheckpoint=4096;");
  char* error = nullptr;
  if (sqlite3_exec(db, pragmas.c_str(), nullptr, nullptr, &error) !=
      SQLITE_OK) {
    std::string message = error != nullptr ? error : "";
    sqlite3_free(error);
    return absl::UnavailableError(absl::StrCat("sqlite: ", message));
  }
  CORTADO_RETURN_IF_ERROR(Migrate(db, BrokerMigrations()));
  CORTADO_RETURN_IF_ERROR(store->Prepare());
  return store;
}

SqliteStore::SqliteStore(SqliteStoreOptions options, sqlite3* db)
    : options_(std::move(options)), db_(db) {}

SqliteStore::~SqliteStore() {
  statements_.reset();  // finalize before closing
  fifo_tables_.reset();
  sqlite3_close(db_);
}

std::string SqliteStore::Describe() const {
  return absl::StrCat("sqlite ", options_.path, " (synchronous=",
                      options_.sync == SyncMode::kFull ? "full" : "normal",
                      ")");
}

absl::Status SqliteStore::Error(absl::string_view what) const {
  const int code = sqlite3_extended_errcode(db_);
  return absl::UnavailableError(absl::StrCat(what, ": ", sqlite3_errmsg(db_),
                                             " (sqlite error ", code, ")"));
}

absl::Status SqliteStore::Prepare() {
  statements_ = std::make_unique<Statements>();
  Statements& s = *statements_;
  const std::pair<Statement*, const char*> all[] = {
      {&s.begin, "BEGIN"},
      {&s.commit, "COMMIT"},
      {&s.rollback, "ROLLBACK"},
      {&s.put_queue,
       "INSERT OR REPLACE INTO queues (queue_id, name, fifo, delay_seconds,"
       " maximum_message_size, message_retention_period,"
       " receive_message_wait_time_seconds, visibility_timeout, policy,"
       " redrive_policy, redrive_allow_policy, kms_master_key_id,"
       " kms_data_key_reuse_period_seconds, sqs_managed_sse_enabled,"
       " content_based_deduplication, deduplication_scope,"
       " fifo_throughput_limit, tags, created_us, last_modified_us)"
       " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,"
       " ?15, ?16, ?17, ?18, ?19, ?20)"},
      {&s.delete_queue, "DELETE FROM queues WHERE queue_id = ?1"},
      // A range of rowids: the table has no index by queue (migration 0004).
      {&s.delete_queue_messages,
       "DELETE FROM messages WHERE sequence BETWEEN ?2 AND ?3"
       " AND queue_id = ?1"},
      {&s.insert_message,
       "INSERT INTO messages (sequence, queue_id, message_id, body,"
       " attributes, system_attributes, sender_id, message_group_id,"
       " message_deduplication_id, sent_us, visible_at_us, receive_count,"
       " first_receive_us, last_receive_us, dead_letter_source_arn,"
       " enqueued_us)"
       " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,"
       " ?15, ?16)"},
      {&s.update_delivery,
       "UPDATE messages SET visible_at_us = ?2, receive_count = ?3,"
       " first_receive_us = ?4, last_receive_us = ?5 WHERE sequence = ?1"},
      {&s.delete_message, "DELETE FROM messages WHERE sequence = ?1"},
      {&s.reserve_ids,
       "INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)"},
      {&s.put_dedup,
       "INSERT OR REPLACE INTO fifo_dedup (queue_id, scope_key, message_id,"
       " fifo_sequence_number, expires_us) VALUES (?1, ?2, ?3, ?4, ?5)"},
      {&s.expire_dedup,
       "DELETE FROM fifo_dedup WHERE queue_id = ?1 AND expires_us <= ?2"},
      {&s.delete_queue_dedup, "DELETE FROM fifo_dedup WHERE queue_id = ?1"},
      {&s.put_move_task,
       "INSERT OR REPLACE INTO move_tasks (task_handle, source_queue_id,"
       " source_arn, destination_arn, max_per_second, status, moved, to_move,"
       " last_sequence, failure_reason, started_us)"
       " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"},
      {&s.put_topic,
       "INSERT OR REPLACE INTO topics (topic_id, name, fifo, attributes, tags,"
       " created_us) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"},
      {&s.delete_topic, "DELETE FROM topics WHERE topic_id = ?1"},
      {&s.delete_topic_subscriptions,
       "DELETE FROM subscriptions WHERE topic_id = ?1"},
      {&s.put_subscription,
       "INSERT OR REPLACE INTO subscriptions (subscription_id, topic_id,"
       " protocol, endpoint, attributes, created_us)"
       " VALUES (?1, ?2, ?3, ?4, ?5, ?6)"},
      {&s.delete_subscription,
       "DELETE FROM subscriptions WHERE subscription_id = ?1"},
  };
  for (const auto& [statement, sql] : all) {
    if (statement->Prepare(db_, sql) != SQLITE_OK) {
      return Error(absl::StrCat("preparing \"", sql, "\""));
    }
  }
  CORTADO_ASSIGN_OR_RETURN(fifo_tables_, SqliteFifoTables::Prepare(db_));
  return absl::OkStatus();
}

absl::Status SqliteStore::ForEachRow(
    const char* sql, absl::string_view table,
    absl::FunctionRef<absl::Status(sqlite3_stmt*)> row) {
  Statement statement;
  if (statement.Prepare(db_, sql) != SQLITE_OK) {
    return Error(absl::StrCat("loading ", table));
  }
  sqlite3_stmt* stmt = statement.Begin();
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    CORTADO_RETURN_IF_ERROR(row(stmt));
  }
  if (rc != SQLITE_DONE) return Error(absl::StrCat("loading ", table));
  return absl::OkStatus();
}

absl::StatusOr<StoreSnapshot> SqliteStore::LoadState(
    MessageVisitor on_message) {
  StoreSnapshot snapshot;
  CORTADO_RETURN_IF_ERROR(ForEachRow(
      "SELECT queue_id, name, fifo, delay_seconds, maximum_message_size,"
      " message_retention_period, receive_message_wait_time_seconds,"
      " visibility_timeout, policy, redrive_policy, redrive_allow_policy,"
      " kms_master_key_id, kms_data_key_reuse_period_seconds,"
      " sqs_managed_sse_enabled, content_based_deduplication,"
      " deduplication_scope, fifo_throughput_limit, tags, created_us,"
      " last_modified_us FROM queues ORDER BY queue_id",
      "queues", [&](sqlite3_stmt* q) -> absl::Status {
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
      }));
  // One scratch record for every row (see AssignColumn); rowid order is
  // sequence order, so no sort.
  MessageRecord r;
  CORTADO_RETURN_IF_ERROR(ForEachRow(
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
        CORTADO_RETURN_IF_ERROR(AssignAttributes(m, 4, r.attributes));
        CORTADO_RETURN_IF_ERROR(AssignAttributes(m, 5, r.system_attributes));
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
      }));
  CORTADO_RETURN_IF_ERROR(
      ForEachRow("SELECT key, value FROM meta", "meta",
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
                 }));
  CORTADO_RETURN_IF_ERROR(
      ForEachRow("SELECT queue_id, scope_key, message_id, fifo_sequence_number,"
                 " expires_us FROM fifo_dedup",
                 "fifo_dedup", [&](sqlite3_stmt* d) -> absl::Status {
                   DedupRecord r;
                   r.queue_id = sqlite3_column_int64(d, 0);
                   r.scope_key = Column(d, 1);
                   r.message_id = Column(d, 2);
                   r.sequence_number = Column(d, 3);
                   r.expires = FromMicros(sqlite3_column_int64(d, 4));
                   snapshot.dedup.push_back(std::move(r));
                   return absl::OkStatus();
                 }));
  CORTADO_RETURN_IF_ERROR(ForEachRow(
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
      }));
  CORTADO_RETURN_IF_ERROR(ForEachRow(
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
      }));
  CORTADO_RETURN_IF_ERROR(ForEachRow(
      "SELECT subscription_id, topic_id, protocol, endpoint, attributes,"
      " created_us FROM subscriptions ORDER BY created_us, subscription_id",
      "subscriptions", [&](sqlite3_stmt* u) -> absl::Status {
        SubscriptionRecord r;
        r.subscription_id = Column(u, 0);
        r.topic_id = sqlite3_column_int64(u, 1);
        r.protocol = Column(u, 2);
        r.endpoint = Column(u, 3);
        CORTADO_ASSIGN_OR_RETURN(r.attributes, DecodeTags(Column(u, 4)));
        r.created = FromMicros(sqlite3_column_int64(u, 5));
        snapshot.subscriptions.push_back(std::move(r));
        return absl::OkStatus();
      }));
  CORTADO_RETURN_IF_ERROR(fifo_tables_->Load(snapshot));
  return snapshot;
}

absl::Status SqliteStore::Apply(const StoreMutation& mutation) {
  CORTADO_RETURN_IF_ERROR(fifo_tables_->Apply(mutation));
  if (SqliteFifoTables::Owns(mutation)) return absl::OkStatus();
  Statements& s = *statements_;
  sqlite3_stmt* stmt = nullptr;
  std::visit(
      [&](const auto& m) {
        using T = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<T, PutQueue>) {
          const QueueRecord& r = m.queue;
          const QueueAttributes& a = r.attributes;
          stmt = s.put_queue.Begin();
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
          s.scratch[0] = EncodeTags(r.tags);
          BindBlob(stmt, 18, s.scratch[0]);
          sqlite3_bind_int64(stmt, 19, Micros(r.created));
          sqlite3_bind_int64(stmt, 20, Micros(r.last_modified));
        } else if constexpr (std::is_same_v<T, RemoveQueue>) {
          stmt = s.delete_queue.Begin();
          sqlite3_bind_int64(stmt, 1, m.queue_id);
          if (sqlite3_step(stmt) != SQLITE_DONE) return;
          stmt = s.delete_queue_dedup.Begin();
          sqlite3_bind_int64(stmt, 1, m.queue_id);
          if (sqlite3_step(stmt) != SQLITE_DONE) return;
          stmt = BindQueueMessages(s.delete_queue_messages, m.queue_id,
                                   m.messages);
        } else if constexpr (std::is_same_v<T, PurgeQueueMessages>) {
          stmt = BindQueueMessages(s.delete_queue_messages, m.queue_id,
                                   m.messages);
        } else if constexpr (std::is_same_v<T, InsertMessage>) {
          const MessageRecord& r = m.message;
          stmt = s.insert_message.Begin();
          sqlite3_bind_int64(stmt, 1, r.sequence);
          sqlite3_bind_int64(stmt, 2, r.queue_id);
          BindText(stmt, 3, r.message_id);
          BindBlob(stmt, 4, r.body);
          s.scratch[0] = EncodeAttributes(r.attributes);
          s.scratch[1] = EncodeAttributes(r.system_attributes);
          BindBlob(stmt, 5, s.scratch[0]);
          BindBlob(stmt, 6, s.scratch[1]);
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
        } else if constexpr (std::is_same_v<T, UpdateMessageDelivery>) {
          const MessageDeliveryUpdate& u = m.update;
          stmt = s.update_delivery.Begin();
          sqlite3_bind_int64(stmt, 1, u.sequence);
          sqlite3_bind_int64(stmt, 2, Micros(u.visible_at));
          sqlite3_bind_int(stmt, 3, u.receive_count);
          sqlite3_bind_int64(stmt, 4, Micros(u.first_receive));
          sqlite3_bind_int64(stmt, 5, Micros(u.last_receive));
        } else if constexpr (std::is_same_v<T, RemoveMessage>) {
          stmt = s.delete_message.Begin();
          sqlite3_bind_int64(stmt, 1, m.sequence);
        } else if constexpr (std::is_same_v<T, ReserveIds>) {
          stmt = s.reserve_ids.Begin();
          BindText(stmt, 1, ReservationKey(m.kind));
          s.scratch[0] = absl::StrCat(m.up_to);
          BindText(stmt, 2, s.scratch[0]);
        } else if constexpr (std::is_same_v<T, PutDedup>) {
          const DedupRecord& r = m.entry;
          stmt = s.put_dedup.Begin();
          sqlite3_bind_int64(stmt, 1, r.queue_id);
          BindText(stmt, 2, r.scope_key);
          BindText(stmt, 3, r.message_id);
          BindText(stmt, 4, r.sequence_number);
          sqlite3_bind_int64(stmt, 5, Micros(r.expires));
        } else if constexpr (std::is_same_v<T, ExpireDedup>) {
          stmt = s.expire_dedup.Begin();
          sqlite3_bind_int64(stmt, 1, m.queue_id);
          sqlite3_bind_int64(stmt, 2, Micros(m.up_to));
        } else if constexpr (std::is_same_v<T, PutMoveTask>) {
          const MoveTaskRecord& r = m.task;
          stmt = s.put_move_task.Begin();
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
        } else if constexpr (std::is_same_v<T, PutTopic>) {
          const TopicRecord& r = m.topic;
          stmt = s.put_topic.Begin();
          sqlite3_bind_int64(stmt, 1, r.topic_id);
          BindText(stmt, 2, r.name);
          sqlite3_bind_int(stmt, 3, r.fifo);
          s.scratch[0] = EncodeTags(r.attributes);
          s.scratch[1] = EncodeTags(r.tags);
          BindBlob(stmt, 4, s.scratch[0]);
          BindBlob(stmt, 5, s.scratch[1]);
          sqlite3_bind_int64(stmt, 6, Micros(r.created));
        } else if constexpr (std::is_same_v<T, RemoveTopic>) {
          stmt = s.delete_topic.Begin();
          sqlite3_bind_int64(stmt, 1, m.topic_id);
          if (sqlite3_step(stmt) != SQLITE_DONE) return;
          stmt = s.delete_topic_subscriptions.Begin();
          sqlite3_bind_int64(stmt, 1, m.topic_id);
        } else if constexpr (std::is_same_v<T, PutSubscription>) {
          const SubscriptionRecord& r = m.subscription;
          stmt = s.put_subscription.Begin();
          BindText(stmt, 1, r.subscription_id);
          sqlite3_bind_int64(stmt, 2, r.topic_id);
          BindText(stmt, 3, r.protocol);
          BindText(stmt, 4, r.endpoint);
          s.scratch[0] = EncodeTags(r.attributes);
          BindBlob(stmt, 5, s.scratch[0]);
          sqlite3_bind_int64(stmt, 6, Micros(r.created));
        } else if constexpr (std::is_same_v<T, RemoveSubscription>) {
          stmt = s.delete_subscription.Begin();
          BindText(stmt, 1, m.subscription_id);
        }
      },
      mutation);
  if (stmt == nullptr || sqlite3_step(stmt) != SQLITE_DONE) {
    return Error("writing");
  }
  return absl::OkStatus();
}

absl::Status SqliteStore::Commit(const WriteBatch& batch) {
  if (batch.empty()) return absl::OkStatus();
  Statements& s = *statements_;
  if (sqlite3_step(s.begin.Begin()) != SQLITE_DONE) return Error("BEGIN");
  for (const StoreMutation& mutation : batch.mutations) {
    absl::Status status = Apply(mutation);
    if (!status.ok()) {
      sqlite3_step(s.rollback.Begin());
      return status;
    }
  }
  if (sqlite3_step(s.commit.Begin()) != SQLITE_DONE) {
    absl::Status status = Error("COMMIT");
    // A failed COMMIT may leave the transaction open; end it.
    if (!sqlite3_get_autocommit(db_)) sqlite3_step(s.rollback.Begin());
    return status;
  }
  commits_.fetch_add(1, std::memory_order_relaxed);
  rows_.fetch_add(batch.mutations.size(), std::memory_order_relaxed);
  return absl::OkStatus();
}

SqliteStoreStats SqliteStore::Stats() const {
  return {commits_.load(std::memory_order_relaxed),
          rows_.load(std::memory_order_relaxed)};
}

}  // namespace cortado::store

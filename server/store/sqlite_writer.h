// SqliteWriter writes the mutations of a commit into SQLite with prepared
// statements, inside the transaction SqliteStore opened: one Apply overload
// per StoreMutation kind, dispatched by std::visit, so a new kind without
// its overload does not compile (it cannot be silently skipped). The FIFO
// bookkeeping tables are written by SqliteFifoTables, to which the matching
// overloads hand over.
// Thread-safety: as SqliteStore (one thread at a time).
#ifndef CORTADO_SERVER_STORE_SQLITE_WRITER_H_
#define CORTADO_SERVER_STORE_SQLITE_WRITER_H_

#include <sqlite3.h>

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "server/core/store.h"
#include "server/store/sqlite_fifo_tables.h"
#include "server/store/sqlite_helpers.h"

namespace cortado::store {

class SqliteWriter {
 public:
  // Prepares the statements on `db`; `db` and `fifo_tables` must outlive
  // the writer.
  static absl::StatusOr<std::unique_ptr<SqliteWriter>> Prepare(
      sqlite3* db, SqliteFifoTables* fifo_tables);

  // Writes one mutation. Named apart from the Apply overloads so that a
  // kind missing its overload fails to compile instead of converting back
  // to a StoreMutation.
  absl::Status Write(const StoreMutation& mutation);

 private:
  SqliteWriter(sqlite3* db, SqliteFifoTables* fifo_tables)
      : db_(db), fifo_tables_(fifo_tables) {}

  absl::Status Apply(const PutQueue& m);
  absl::Status Apply(const RemoveQueue& m);
  absl::Status Apply(const PurgeQueueMessages& m);
  absl::Status Apply(const InsertMessage& m);
  absl::Status Apply(const UpdateMessageDelivery& m);
  absl::Status Apply(const RemoveMessage& m);
  absl::Status Apply(const ReserveIds& m);
  absl::Status Apply(const PutDedup& m);
  absl::Status Apply(const ExpireDedup& m);
  absl::Status Apply(const PutMoveTask& m);
  absl::Status Apply(const PutTopic& m);
  absl::Status Apply(const RemoveTopic& m);
  absl::Status Apply(const PutSubscription& m);
  absl::Status Apply(const RemoveSubscription& m);
  absl::Status Apply(const PutReceiveAttempt& m);
  absl::Status Apply(const ExpireReceiveAttempts& m);
  absl::Status Apply(const PutTopicDedup& m);
  absl::Status Apply(const ExpireTopicDedup& m);
  // Transfers exist only in cluster mode, on PostgreSQL.
  absl::Status Apply(const PutTransfer& m);
  absl::Status Apply(const RemoveTransfers& m);

  // Deletes the messages of `queue_id` within `range`.
  absl::Status DeleteMessages(uint64_t queue_id, const SequenceRange& range);

  sqlite3* const db_;
  SqliteFifoTables* const fifo_tables_;
  Statement put_queue_, delete_queue_, delete_queue_messages_;
  Statement insert_message_, update_delivery_, delete_message_;
  Statement reserve_ids_;
  Statement put_dedup_, expire_dedup_, delete_queue_dedup_;
  Statement put_move_task_;
  Statement put_topic_, delete_topic_, delete_topic_subscriptions_;
  Statement put_subscription_, delete_subscription_;
  // Encoded values bound to the statement being stepped (see BindText).
  std::string scratch_[2];
};

// The `meta` key under which the last ReserveIds of `kind` is kept.
absl::string_view ReservationKey(IdKind kind);

}  // namespace cortado::store

#endif  // CORTADO_SERVER_STORE_SQLITE_WRITER_H_

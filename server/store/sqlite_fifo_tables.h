// SqliteFifoTables writes and loads the FIFO bookkeeping that lives beside
// the messages in SQLite (migration 0003): receive attempts of FIFO queues
// (ReceiveRequestAttemptId) and the deduplication window of FIFO topics. It
// is part of SqliteStore, whose writer (sqlite_writer.h) hands it, inside its
// transaction, the mutations of these tables and the removals of queues and
// topics whose rows live here.
// Thread-safety: as SqliteStore (one thread at a time).
#ifndef CORTADO_SERVER_STORE_SQLITE_FIFO_TABLES_H_
#define CORTADO_SERVER_STORE_SQLITE_FIFO_TABLES_H_

#include <sqlite3.h>

#include <memory>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "server/core/store.h"
#include "server/store/sqlite_helpers.h"

namespace cortado::store {

class SqliteFifoTables {
 public:
  // Prepares the statements on `db`, which must outlive this object.
  static absl::StatusOr<std::unique_ptr<SqliteFifoTables>> Prepare(sqlite3* db);

  absl::Status Apply(const PutReceiveAttempt& m);
  absl::Status Apply(const ExpireReceiveAttempts& m);
  absl::Status Apply(const PutTopicDedup& m);
  absl::Status Apply(const ExpireTopicDedup& m);
  // The rows of a removed queue (its receive attempts) or topic (its
  // deduplication window).
  absl::Status Apply(const RemoveQueue& m);
  absl::Status Apply(const RemoveTopic& m);

  // Adds the rows to `snapshot` (expired ones included).
  absl::Status Load(StoreSnapshot& snapshot);

 private:
  explicit SqliteFifoTables(sqlite3* db) : db_(db) {}

  sqlite3* const db_;
  Statement put_attempt_, expire_attempts_, delete_queue_attempts_;
  Statement put_topic_dedup_, expire_topic_dedup_, delete_topic_dedup_;
};

}  // namespace cortado::store

#endif  // CORTADO_SERVER_STORE_SQLITE_FIFO_TABLES_H_

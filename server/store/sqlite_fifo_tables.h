// SqliteFifoTables writes and loads the FIFO bookkeeping that lives beside
// the messages in SQLite (migration 0003): receive attempts of FIFO queues
// (ReceiveRequestAttemptId) and the deduplication window of FIFO topics. It
// is part of SqliteStore, which hands it every mutation of a commit inside
// its transaction.
// Thread-safety: as SqliteStore (one thread at a time).
#ifndef CORTADO_SERVER_STORE_SQLITE_FIFO_TABLES_H_
#define CORTADO_SERVER_STORE_SQLITE_FIFO_TABLES_H_

#include <sqlite3.h>

#include <memory>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "server/core/store.h"

namespace cortado::store {

class SqliteFifoTables {
 public:
  // Prepares the statements on `db`, which must outlive this object.
  static absl::StatusOr<std::unique_ptr<SqliteFifoTables>> Prepare(sqlite3* db);
  ~SqliteFifoTables();

  // Whether `mutation` is one of this class's kinds (SqliteStore writes
  // nothing else for those).
  static bool Owns(const StoreMutation& mutation);
  // Writes this class's part of `mutation`: its own kinds, and the rows of
  // a removed queue or topic. Nothing for other kinds.
  absl::Status Apply(const StoreMutation& mutation);
  // Adds the rows to `snapshot` (expired ones included).
  absl::Status Load(StoreSnapshot& snapshot);

 private:
  enum Statement {
    kPutAttempt,
    kExpireAttempts,
    kDeleteQueueAttempts,
    kPutTopicDedup,
    kExpireTopicDedup,
    kDeleteTopicDedup,
    kStatementCount
  };
  explicit SqliteFifoTables(sqlite3* db) : db_(db) {}
  // Resets `statement` for new bindings.
  sqlite3_stmt* Begin(Statement statement);
  absl::Status Step(sqlite3_stmt* stmt);
  absl::Status Error(const char* what) const;

  sqlite3* const db_;
  sqlite3_stmt* statements_[kStatementCount] = {};
};

}  // namespace cortado::store

#endif  // CORTADO_SERVER_STORE_SQLITE_FIFO_TABLES_H_

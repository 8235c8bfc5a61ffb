// SqliteStore is the durable Store: one SQLite database in WAL mode, written
// by the broker's single writer thread, one transaction per group commit with
// prepared statements. `kNormal` (synchronous=NORMAL) survives a crash of the
// process; `kFull` (synchronous=FULL) also survives power loss.
// Thread-safety: Load and Commit are called by one thread at a time (the
// broker guarantees it); Stats may be called from any thread.
#ifndef CORTADO_SERVER_STORE_SQLITE_STORE_H_
#define CORTADO_SERVER_STORE_SQLITE_STORE_H_

#include <sqlite3.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "server/core/store.h"

namespace cortado::store {

class SqliteFifoTables;

enum class SyncMode { kNormal, kFull };

struct SqliteStoreOptions {
  std::string path;  // the database file
  SyncMode sync = SyncMode::kNormal;
};

struct SqliteStoreStats {
  uint64_t commits = 0;
  uint64_t rows = 0;  // mutations written
};

class SqliteStore final : public Store {
 public:
  // Opens (creating if needed) and migrates the database.
  static absl::StatusOr<std::unique_ptr<SqliteStore>> Open(
      const SqliteStoreOptions& options);
  ~SqliteStore() override;

  absl::StatusOr<StoreSnapshot> LoadState(MessageVisitor on_message) override;
  absl::Status Commit(const WriteBatch& batch) override;
  std::string Describe() const override;

  SqliteStoreStats Stats() const;

 private:
  struct Statements;
  SqliteStore(SqliteStoreOptions options, sqlite3* db);
  absl::Status Prepare();
  absl::Status Apply(const StoreMutation& mutation);
  // Runs `sql` and calls `row` for each result row; `table` names it in
  // errors. Stops at the first error `row` returns.
  absl::Status ForEachRow(const char* sql, absl::string_view table,
                          absl::FunctionRef<absl::Status(sqlite3_stmt*)> row);
  absl::Status Error(absl::string_view what) const;

  const SqliteStoreOptions options_;
  sqlite3* const db_;
  std::unique_ptr<Statements> statements_;
  // Receive attempts and topic deduplication (sqlite_fifo_tables.h).
  std::unique_ptr<SqliteFifoTables> fifo_tables_;
  std::atomic<uint64_t> commits_{0};
  std::atomic<uint64_t> rows_{0};
};

}  // namespace cortado::store

#endif  // CORTADO_SERVER_STORE_SQLITE_STORE_H_

// SqliteStore is the durable Store: one SQLite database in WAL mode, written
// by the broker's single writer thread, one transaction per group commit with
// prepared statements. `kNormal` (synchronous=NORMAL) survives a crash of the
// process; `kFull` (synchronous=FULL) also survives power loss.
// Thread-safety: Load and Commit are called by one thread at a time (the
// broker guarantees it); Stats may be called from any thread. LoadState is
// defined in sqlite_store_load.cc; each mutation is written by SqliteWriter.
#ifndef CORTADO_SERVER_STORE_SQLITE_STORE_H_
#define CORTADO_SERVER_STORE_SQLITE_STORE_H_

#include <sqlite3.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "server/core/store.h"
#include "server/store/sqlite_helpers.h"

namespace cortado::store {

class SqliteFifoTables;
class SqliteWriter;

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
  SqliteStore(SqliteStoreOptions options, sqlite3* db);
  absl::Status Prepare();

  // Closes the database: a member declared before every statement, so it
  // is destroyed after them (sqlite3_close fails while statements are
  // unfinalized).
  struct Closer {
    void operator()(sqlite3* db) const { sqlite3_close(db); }
  };

  const SqliteStoreOptions options_;
  const std::unique_ptr<sqlite3, Closer> db_;
  Statement begin_, commit_, rollback_;
  // Receive attempts and topic deduplication (sqlite_fifo_tables.h).
  std::unique_ptr<SqliteFifoTables> fifo_tables_;
  // Writes each mutation of a commit (sqlite_writer.h); uses fifo_tables_.
  std::unique_ptr<SqliteWriter> writer_;
  std::atomic<uint64_t> commits_{0};
  std::atomic<uint64_t> rows_{0};
};

}  // namespace cortado::store

#endif  // CORTADO_SERVER_STORE_SQLITE_STORE_H_

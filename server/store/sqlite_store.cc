#include "server/store/sqlite_store.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "server/core/status_macros.h"
#include "server/store/migrations.h"
#include "server/store/sqlite_fifo_tables.h"
#include "server/store/sqlite_writer.h"

namespace cortado::store {
namespace {

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

// Members go in reverse order: the writer's and the FIFO tables' statements,
// then BEGIN/COMMIT/ROLLBACK, then the database itself (see Closer).
SqliteStore::~SqliteStore() = default;

std::string SqliteStore::Describe() const {
  return absl::StrCat("sqlite ", options_.path, " (synchronous=",
                      options_.sync == SyncMode::kFull ? "full" : "normal",
                      ")");
}

absl::Status SqliteStore::Prepare() {
  sqlite3* db = db_.get();
  const std::pair<Statement*, const char*> all[] = {
      {&begin_, "BEGIN"}, {&commit_, "COMMIT"}, {&rollback_, "ROLLBACK"}};
  for (const auto& [statement, sql] : all) {
    if (statement->Prepare(db, sql) != SQLITE_OK) {
      return SqliteError(db, absl::StrCat("preparing \"", sql, "\""));
    }
  }
  CORTADO_ASSIGN_OR_RETURN(fifo_tables_, SqliteFifoTables::Prepare(db));
  CORTADO_ASSIGN_OR_RETURN(writer_,
                           SqliteWriter::Prepare(db, fifo_tables_.get()));
  return absl::OkStatus();
}

absl::Status SqliteStore::Commit(const WriteBatch& batch) {
  if (batch.empty()) return absl::OkStatus();
  if (sqlite3_step(begin_.Begin()) != SQLITE_DONE) {
    return SqliteError(db_.get(), "BEGIN");
  }
  for (const StoreMutation& mutation : batch.mutations) {
    absl::Status status = writer_->Write(mutation);
    if (!status.ok()) {
      sqlite3_step(rollback_.Begin());
      return status;
    }
  }
  if (sqlite3_step(commit_.Begin()) != SQLITE_DONE) {
    absl::Status status = SqliteError(db_.get(), "COMMIT");
    // A failed COMMIT may leave the transaction open; end it.
    if (!sqlite3_get_autocommit(db_.get())) sqlite3_step(rollback_.Begin());
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

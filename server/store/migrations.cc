#include "server/store/migrations.h"

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "server/core/status_macros.h"

namespace cortado::store {
namespace {

absl::Status Exec(sqlite3* db, const std::string& sql) {
  char* error = nullptr;
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
    std::string message = error != nullptr ? error : sqlite3_errmsg(db);
    sqlite3_free(error);
    return absl::InternalError(absl::StrCat("sqlite: ", message));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<int> SchemaVersion(sqlite3* db) {
  CORTADO_RETURN_IF_ERROR(
      Exec(db,
           "CREATE TABLE IF NOT EXISTS schema_migrations ("
           " version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
           " applied_at_us INTEGER NOT NULL)"));
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db,
                         "SELECT COALESCE(MAX(version), 0) FROM "
                         "schema_migrations",
                         -1, &stmt, nullptr) != SQLITE_OK) {
    return absl::InternalError(absl::StrCat("sqlite: ", sqlite3_errmsg(db)));
  }
  int version = 0;
  if (sqlite3_step(stmt) == SQLITE_ROW) version = sqlite3_column_int(stmt, 0);
  sqlite3_finalize(stmt);
  return version;
}

absl::Status Migrate(sqlite3* db, const std::vector<Migration>& migrations) {
  CORTADO_ASSIGN_OR_RETURN(const int current, SchemaVersion(db));
  const int latest = migrations.empty() ? 0 : migrations.back().version;
  if (current > latest) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the database has schema version ", current,
        " but this cortado-server only knows versions up to ", latest,
        ": it was written by a newer release. Run that release (or newer) on "
        "this data directory."));
  }
  for (const Migration& migration : migrations) {
    if (migration.version <= current) continue;
    CORTADO_RETURN_IF_ERROR(Exec(db, "BEGIN IMMEDIATE"));
    absl::Status status = Exec(db, std::string(migration.sql));
    if (status.ok()) {
      status = Exec(db, absl::StrCat("INSERT INTO schema_migrations VALUES (",
                                     migration.version, ", '", migration.name,
                                     "', CAST((julianday('now') - 2440587.5) * "
                                     "86400000000 AS INTEGER))"));
    }
    if (!status.ok()) {
      Exec(db, "ROLLBACK").IgnoreError();
      return absl::InternalError(absl::StrCat("migration ", migration.name,
                                              " failed: ", status.message()));
    }
    CORTADO_RETURN_IF_ERROR(Exec(db, "COMMIT"));
  }
  return absl::OkStatus();
}

}  // namespace cortado::store

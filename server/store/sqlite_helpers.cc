#include "server/store/sqlite_helpers.h"

#include "absl/strings/str_cat.h"

namespace cortado::store {

absl::string_view ColumnView(sqlite3_stmt* s, int i) {
  const void* data = sqlite3_column_blob(s, i);
  const int size = sqlite3_column_bytes(s, i);
  return data == nullptr
             ? absl::string_view()
             : absl::string_view(static_cast<const char*>(data), size);
}

absl::Status SqliteError(sqlite3* db, absl::string_view what) {
  const int code = sqlite3_extended_errcode(db);
  return absl::UnavailableError(absl::StrCat(what, ": ", sqlite3_errmsg(db),
                                             " (sqlite error ", code, ")"));
}

absl::Status StepWrite(sqlite3* db, sqlite3_stmt* stmt) {
  if (sqlite3_step(stmt) != SQLITE_DONE) return SqliteError(db, "writing");
  return absl::OkStatus();
}

absl::Status StepWrite(sqlite3* db, Statement& statement, int64_t id) {
  sqlite3_stmt* stmt = statement.Begin();
  sqlite3_bind_int64(stmt, 1, id);
  return StepWrite(db, stmt);
}

absl::Status StepWrite(sqlite3* db, Statement& statement, int64_t id,
                       absl::Time up_to) {
  sqlite3_stmt* stmt = statement.Begin();
  sqlite3_bind_int64(stmt, 1, id);
  sqlite3_bind_int64(stmt, 2, Micros(up_to));
  return StepWrite(db, stmt);
}

absl::Status ForEachRow(sqlite3* db, const char* sql, absl::string_view table,
                        absl::FunctionRef<absl::Status(sqlite3_stmt*)> row) {
  // A one-off statement, not persistent: each table is read once, at start.
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr) != SQLITE_OK) {
    return SqliteError(db, absl::StrCat("loading ", table));
  }
  absl::Status status = absl::OkStatus();
  int rc = SQLITE_DONE;
  while (status.ok() && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    status = row(stmt);
  }
  if (status.ok() && rc != SQLITE_DONE) {
    status = SqliteError(db, absl::StrCat("loading ", table));
  }
  sqlite3_finalize(stmt);
  return status;
}

}  // namespace cortado::store

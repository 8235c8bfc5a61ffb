// The SQLite plumbing every table writer and loader of SqliteStore shares:
// prepared statements, how values are bound and read back, how times are
// stored, and how errors are reported. One copy, so that every table binds
// the same way (text as TEXT, encoded records and bodies as BLOB, times as
// integer microseconds) and a new store file cannot drift from it.
// Thread-safety: none; used by SqliteStore's one thread at a time.
#ifndef CORTADO_SERVER_STORE_SQLITE_HELPERS_H_
#define CORTADO_SERVER_STORE_SQLITE_HELPERS_H_

#include <sqlite3.h>

#include <cstdint>
#include <string>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "server/store/store_micros.h"  // times as microseconds

namespace cortado::store {

// A prepared statement: finalized on destruction, reset before each use.
class Statement {
 public:
  Statement() = default;
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Prepares `sql` on `db` for repeated use (SQLITE_PREPARE_PERSISTENT).
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

 private:
  sqlite3_stmt* stmt_ = nullptr;
};

// Values are bound without a copy (SQLITE_STATIC): SQLite reads them only
// while the statement steps, and every writer steps before the value (a
// field of the mutation, or a local encoding of one) can change or go away.
// Copying every bound string (SQLITE_TRANSIENT) cost a malloc, a memcpy and
// a free per value.
inline void BindText(sqlite3_stmt* s, int i, absl::string_view v) {
  sqlite3_bind_text(s, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
}
inline void BindBlob(sqlite3_stmt* s, int i, absl::string_view v) {
  sqlite3_bind_blob(s, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
}

// Column `i` of the current row as bytes, TEXT or BLOB alike (NULL reads as
// empty); valid until the statement steps again.
absl::string_view ColumnView(sqlite3_stmt* s, int i);
inline std::string Column(sqlite3_stmt* s, int i) {
  return std::string(ColumnView(s, i));
}
// Into an existing string: reuses its capacity, so a record read row after
// row allocates only when a value is longer than any before it.
inline void AssignColumn(sqlite3_stmt* s, int i, std::string& out) {
  const absl::string_view value = ColumnView(s, i);
  out.assign(value.data(), value.size());
}

// Unavailable: "`what`: <SQLite's message> (sqlite error <extended code>)".
absl::Status SqliteError(sqlite3* db, absl::string_view what);

// Steps a statement that returns no rows; the error names "writing".
absl::Status StepWrite(sqlite3* db, sqlite3_stmt* stmt);

// Steps `statement` with ?1 = `id`, or with ?1 = `id` and ?2 = `up_to`: the
// shape of every delete by key and every expiry of a window.
absl::Status StepWrite(sqlite3* db, Statement& statement, int64_t id);
absl::Status StepWrite(sqlite3* db, Statement& statement, int64_t id,
                       absl::Time up_to);

// Runs `sql` once and calls `row` for each result row; `table` names it in
// errors. Stops at the first error `row` returns.
absl::Status ForEachRow(sqlite3* db, const char* sql, absl::string_view table,
                        absl::FunctionRef<absl::Status(sqlite3_stmt*)> row);

}  // namespace cortado::store

#endif  // CORTADO_SERVER_STORE_SQLITE_HELPERS_H_

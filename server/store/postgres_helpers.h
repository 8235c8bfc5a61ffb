// The libpq plumbing PostgresStore's files share, as sqlite_helpers.h is for
// SQLite: owned connections and results, parameters and rows in libpq's
// binary format (integers in network order, text and bytea as raw bytes, so
// a body with NUL bytes needs no escaping and nothing is parsed from text),
// one-dimensional arrays for set-based writes (`unnest`), rows streamed one
// at a time (single-row mode), and errors as absl::Status.
// Thread-safety: none; a connection is used by one thread at a time.
#ifndef CORTADO_SERVER_STORE_POSTGRES_HELPERS_H_
#define CORTADO_SERVER_STORE_POSTGRES_HELPERS_H_

#include <libpq-fe.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace cortado::store {

struct PgConnectionCloser {
  void operator()(PGconn* connection) const { PQfinish(connection); }
};
using PgConnection = std::unique_ptr<PGconn, PgConnectionCloser>;

struct PgResultClearer {
  void operator()(PGresult* result) const { PQclear(result); }
};
using PgResult = std::unique_ptr<PGresult, PgResultClearer>;

// Type oids of the array parameters the writers send (pg_type.dat).
enum class PgElement : uint32_t {
  kBool = 16,
  kBytea = 17,
  kInt8 = 20,
  kInt4 = 23,
  kText = 25,
};

// Unavailable: "`what`: <libpq's message>". Every PostgreSQL failure is
// Unavailable, the retryable kind: the server or the network went away.
absl::Status PgError(PGconn* connection, absl::string_view what);
// The error of a failed result (its primary message and SQLSTATE). Aborted
// when the SQLSTATE is kFencedSqlState, Unavailable otherwise.
absl::Status PgResultError(const PGresult* result, absl::string_view what);

// Raised by cluster mode's fence() (migrations/cluster/): the commit's node
// no longer owns its partition at its epoch. Not retryable on this node.
inline constexpr char kFencedSqlState[] = "CR001";

// Connects to `url`, any libpq connection string (expanded as dbname, so a
// postgresql:// URL and every key=value option work); application_name
// falls back to `application_name`. Unavailable when unreachable.
absl::StatusOr<PgConnection> PgConnect(const std::string& url,
                                       const std::string& application_name);
// Reopens `connection` with its own parameters (PQreset: a multi-host URL
// finds the new primary) if it was lost. True when it did, so the caller
// sets its session settings again; Unavailable when it cannot.
absl::StatusOr<bool> PgReconnectIfLost(PGconn* connection);

// `identifier` quoted for SQL text ("" if libpq cannot).
std::string PgQuoteIdentifier(PGconn* connection, absl::string_view identifier);

// Runs `sql` (one or more statements, no parameters) outside a pipeline.
absl::Status PgExec(PGconn* connection, absl::string_view sql);

// A one-dimensional array in the binary format: element values are added in
// order, then Finish() gives the parameter.
class PgArray {
 public:
  explicit PgArray(PgElement element) : element_(element) {}
  void AddInt64(int64_t value);
  void AddInt32(int32_t value);
  void AddBytes(absl::string_view value);  // text or bytea alike
  size_t size() const { return count_; }
  void Clear() {
    elements_.clear();
    count_ = 0;
  }
  std::string Finish() const;

 private:
  PgElement element_;
  std::string elements_;  // (int32 length, bytes) per element
  size_t count_ = 0;
};

// The parameters of one statement, all in the binary format. Each value's
// type must be the one the statement infers for its placeholder (bigint:
// AddInt64, integer: AddInt32, boolean: AddBool, text and bytea: AddBytes).
class PgParams {
 public:
  PgParams& AddInt64(int64_t value);
  PgParams& AddInt32(int32_t value);
  PgParams& AddBool(bool value);
  PgParams& AddBytes(absl::string_view value);
  PgParams& AddArray(const PgArray& array);

  // Queues the prepared statement `name` with these parameters (a pipeline
  // query when the connection is in pipeline mode); results in binary.
  bool SendPrepared(PGconn* connection, const char* name) const;
  // Queues `sql` with these parameters, results in binary.
  bool SendQuery(PGconn* connection, const char* sql) const;
  // Runs `sql` once and waits for its result (outside a pipeline).
  PgResult Exec(PGconn* connection, const char* sql) const;

 private:
  std::vector<std::string> values_;
};

// One row of a binary-format result.
class PgRow {
 public:
  PgRow(const PGresult* result, int row) : result_(result), row_(row) {}
  absl::string_view View(int column) const;
  std::string Text(int column) const { return std::string(View(column)); }
  // Into an existing string, reusing its capacity.
  void Assign(int column, std::string& out) const;
  int64_t Int64(int column) const;
  int32_t Int32(int column) const;
  bool Bool(int column) const;

 private:
  const PGresult* result_;
  int row_;
};

// Runs `sql` (with `params`) and calls `row` for each result row as it
// arrives (single-row mode: the result is never held whole); `table` names
// it in errors. After an error from `row` the remaining rows are read and
// dropped, and that error is returned.
absl::Status PgForEachRow(PGconn* connection, const char* sql,
                          const PgParams& params, absl::string_view table,
                          absl::FunctionRef<absl::Status(const PgRow&)> row);

}  // namespace cortado::store

#endif  // CORTADO_SERVER_STORE_POSTGRES_HELPERS_H_

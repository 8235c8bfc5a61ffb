// What PostgresStore does on a fresh connection before it writes: puts its
// schema first on the search_path (creating it if needed), takes the
// one-writer lock of that schema, and applies the versioned migrations of
// migrations/postgres/ under a transaction-scoped advisory lock, refusing a
// schema newer than this binary (as Migrate does for SQLite).
// Thread-safety: call on a connection no other thread uses.
#ifndef CORTADO_SERVER_STORE_POSTGRES_SCHEMA_H_
#define CORTADO_SERVER_STORE_POSTGRES_SCHEMA_H_

#include <libpq-fe.h>

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "server/store/embedded_migrations.h"

namespace cortado::store {

// CREATE SCHEMA (if missing) and SET search_path to it alone.
absl::Status UseSchema(PGconn* connection, const std::string& schema);

// Takes the session-level advisory lock of `schema` in this database,
// trying for up to `patience` while another session holds it (a writer
// killed a moment ago holds it until its backend notices). Then
// FailedPrecondition naming the holder (its application_name, address and
// backend pid).
absl::Status LockWriter(PGconn* connection, const std::string& schema,
                        absl::Duration patience);

// Releases it (before closing: the server would release it only once its
// backend noticed the closed connection, and a reopening writer could be
// refused in between).
absl::Status UnlockWriter(PGconn* connection);

// Applies the migrations the schema lacks, all in one transaction.
absl::Status MigratePostgres(PGconn* connection, const std::string& schema,
                             const std::vector<Migration>& migrations);

// The highest applied version (0 for a new schema).
absl::StatusOr<int> PostgresSchemaVersion(PGconn* connection);

// With `pin`, the planner of this session may not use sequential scans,
// hash joins or merge joins (`enable_* = off`) and plans each prepared
// statement once (`plan_cache_mode`); without, the defaults come back. The
// writer touches rows only by primary key, in tables whose every row is
// inserted, updated and deleted within seconds: their statistics are always
// stale and mostly dead tuples, and a planner that believes a table is small
// chooses a scan of the whole heap per commit (measured: 4x slower commits with
// a few thousand dead rows).
absl::Status PinIndexPlans(PGconn* connection, bool pin);

}  // namespace cortado::store

#endif  // CORTADO_SERVER_STORE_POSTGRES_SCHEMA_H_

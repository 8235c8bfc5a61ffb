#include "server/store/postgres_schema.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "server/core/status_macros.h"
#include "server/store/postgres_helpers.h"

namespace cortado::store {
namespace {

// Advisory lock keys (two int4s): a fixed class ("Cort") and the schema's
// hash. Locks are per database, so the schema tells writers apart.
constexpr const char* kWriterLockKey = "1131377268, hashtext($1) & 2147483647";
// Serialises migrations (of servers sharing the database in cluster mode).
constexpr const char* kMigrationLockKey =
    "1131377269, hashtext($1) & 2147483647";

// Runs a query of one row and one boolean column.
absl::StatusOr<bool> QueryBool(PGconn* connection, const std::string& sql,
                               const std::string& schema) {
  PgParams params;
  params.AddBytes(schema);
  PgResult result = params.Exec(connection, sql.c_str());
  if (PQresultStatus(result.get()) != PGRES_TUPLES_OK ||
      PQntuples(result.get()) != 1) {
    return result == nullptr ? PgError(connection, sql)
                             : PgResultError(result.get(), sql);
  }
  return PgRow(result.get(), 0).Bool(0);
}

// Who holds the writer lock of `schema`, as pg_stat_activity shows it.
std::string WriterLockHolder(PGconn* connection, const std::string& schema) {
  PgParams params;
  params.AddBytes(schema);
  PgResult result = params.Exec(
      connection,
      "SELECT a.application_name, COALESCE(host(a.client_addr), 'local'),"
      " a.pid::text FROM pg_locks l JOIN pg_stat_activity a USING (pid)"
      " WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2"
      " AND l.database = (SELECT oid FROM pg_database"
      "  WHERE datname = current_database())"
      " AND l.classid = 1131377268"
      " AND l.objid = (hashtext($1) & 2147483647)::oid");
  if (PQresultStatus(result.get()) != PGRES_TUPLES_OK ||
      PQntuples(result.get()) == 0) {
    return "an unknown session";
  }
  const PgRow row(result.get(), 0);
  return absl::StrCat("\"", row.View(0), "\" (from ", row.View(1),
                      ", backend pid ", row.View(2), ")");
}

}  // namespace

absl::Status UseSchema(PGconn* connection, const std::string& schema) {
  // "relation already exists, skipping" and the like are not worth a line
  // on stderr.
  CORTADO_RETURN_IF_ERROR(
      PgExec(connection, "SET client_min_messages TO warning"));
  // Only when missing: a user with no CREATE right on the database can use
  // a schema made for it beforehand.
  CORTADO_ASSIGN_OR_RETURN(
      const bool exists,
      QueryBool(connection,
                "SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1)",
                schema));
  const std::string quoted = PgQuoteIdentifier(connection, schema);
  if (!exists) {
    CORTADO_RETURN_IF_ERROR(PgExec(
        connection, absl::StrCat("CREATE SCHEMA IF NOT EXISTS ", quoted)));
  }
  return PgExec(connection, absl::StrCat("SET search_path TO ", quoted));
}

absl::Status LockWriter(PGconn* connection, const std::string& schema,
                        absl::Duration patience) {
  const absl::Time deadline = absl::Now() + patience;
  while (true) {
    CORTADO_ASSIGN_OR_RETURN(
        const bool locked,
        QueryBool(
            connection,
            absl::StrCat("SELECT pg_try_advisory_lock(", kWriterLockKey, ")"),
            schema));
    if (locked) return absl::OkStatus();
    if (absl::Now() >= deadline) break;
    absl::SleepFor(absl::Milliseconds(100));
  }
  return absl::FailedPreconditionError(absl::StrCat(
      "another cortado-server is already writing to schema \"", schema,
      "\" of database \"", PQdb(connection),
      "\": ", WriterLockHolder(connection, schema),
      ". One server per database and schema: stop it, or give this one "
      "another --database-schema."));
}

absl::Status UnlockWriter(PGconn* connection) {
  return PgExec(connection, "SELECT pg_advisory_unlock_all()");
}

namespace {

// The version recorded in schema_migrations; an error if it is missing.
absl::StatusOr<int> ReadSchemaVersion(PGconn* connection) {
  PgResult result(PQexecParams(
      connection, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations", 0,
      nullptr, nullptr, nullptr, nullptr, /*resultFormat=*/1));
  if (PQresultStatus(result.get()) != PGRES_TUPLES_OK ||
      PQntuples(result.get()) != 1) {
    return PgResultError(result.get(), "reading schema_migrations");
  }
  return PgRow(result.get(), 0).Int32(0);
}

}  // namespace

absl::StatusOr<int> PostgresSchemaVersion(PGconn* connection) {
  CORTADO_RETURN_IF_ERROR(
      PgExec(connection,
             "CREATE TABLE IF NOT EXISTS schema_migrations ("
             " version integer PRIMARY KEY, name text NOT NULL,"
             " applied_at timestamptz NOT NULL DEFAULT now())"));
  return ReadSchemaVersion(connection);
}

absl::Status MigratePostgres(PGconn* connection, const std::string& schema,
                             const std::vector<Migration>& migrations) {
  // The common case, a schema already at this binary's version, is one
  // read without the migration lock: a migration commits with its version
  // row (DDL is transactional here), so that version means the schema is
  // complete. The locked path costs a transaction and five round trips,
  // paid at every partition open of a takeover or handoff (whose pause it
  // lengthens). A missing table fails the read: the locked path then.
  const int latest = migrations.empty() ? 0 : migrations.back().version;
  if (absl::StatusOr<int> seen = ReadSchemaVersion(connection);
      seen.ok() && *seen == latest) {
    return absl::OkStatus();
  }
  CORTADO_RETURN_IF_ERROR(PgExec(connection, "BEGIN"));
  absl::Status status = [&]() -> absl::Status {
    CORTADO_RETURN_IF_ERROR(
        QueryBool(connection,
                  absl::StrCat("SELECT count(*) = 1 FROM (SELECT "
                               "pg_advisory_xact_lock(",
                               kMigrationLockKey, ")) AS locked"),
                  schema)
            .status());
    CORTADO_ASSIGN_OR_RETURN(const int current,
                             PostgresSchemaVersion(connection));
    if (current > latest) {
      return absl::FailedPreconditionError(absl::StrCat(
          "PostgreSQL schema \"", schema, "\" has schema version ", current,
          " but this cortado-server only knows versions up to ", latest,
          ": it was written by a newer release. Run that release (or newer) "
          "on this database."));
    }
    for (const Migration& migration : migrations) {
      if (migration.version <= current) continue;
      absl::Status applied = PgExec(connection, migration.sql);
      if (!applied.ok()) {
        return absl::InternalError(absl::StrCat(
            "migration ", migration.name, " failed: ", applied.message()));
      }
      PgParams params;
      params.AddInt32(migration.version).AddBytes(migration.name);
      PgResult result =
          params.Exec(connection,
                      "INSERT INTO schema_migrations (version, name)"
                      " VALUES ($1, $2)");
      if (PQresultStatus(result.get()) != PGRES_COMMAND_OK) {
        return PgResultError(result.get(), "recording a migration");
      }
    }
    return absl::OkStatus();
  }();
  if (!status.ok()) {
    PgExec(connection, "ROLLBACK").IgnoreError();
    return status;
  }
  return PgExec(connection, "COMMIT");
}

absl::Status PinIndexPlans(PGconn* connection, bool pin) {
  for (const char* setting :
       {"enable_seqscan", "enable_hashjoin", "enable_mergejoin"}) {
    CORTADO_RETURN_IF_ERROR(
        PgExec(connection, pin ? absl::StrCat("SET ", setting, " = off")
                               : absl::StrCat("RESET ", setting)));
  }
  // With the plans pinned, the writer's prepared statements are planned
  // once, not at every execution (measured: planning was ~8% of the
  // backend's time per commit).
  return PgExec(connection, pin ? "SET plan_cache_mode = force_generic_plan"
                                : "RESET plan_cache_mode");
}

}  // namespace cortado::store

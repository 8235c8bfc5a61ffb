#include "client/coffee/migrations.h"

#include <pqxx/pqxx>
#include <set>

#include "absl/strings/str_cat.h"
#include "client/coffee/postgres_error.h"

namespace cortado::coffee {

absl::StatusOr<std::vector<std::string>> ApplyMigrations(
    pqxx::connection& connection, const std::vector<Migration>& migrations) {
  for (const Migration& migration : migrations) {
    if (migration.version <= 0) {
      return absl::InternalError(absl::StrCat("migration file ", migration.name,
                                              " does not start with NNNN_"));
    }
  }
  try {
    pqxx::work txn(connection, "coffee-migrate");
    // Taken first, before even the bookkeeping table exists: two concurrent
    // CREATE TABLE IF NOT EXISTS can otherwise both fail on the catalog.
    txn.exec(
        absl::StrCat("SELECT pg_advisory_xact_lock(", kMigrationLockKey, ")"));
    txn.exec(
        "CREATE TABLE IF NOT EXISTS coffee_schema_migrations ("
        "version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
        "applied_at TIMESTAMPTZ NOT NULL DEFAULT now())");
    std::set<int> applied;
    for (const pqxx::row& row :
         txn.exec("SELECT version FROM coffee_schema_migrations")) {
      applied.insert(row[0].as<int>());
    }
    std::vector<std::string> names;
    for (const Migration& migration : migrations) {
      if (applied.count(migration.version) > 0) continue;
      txn.exec(migration.sql);
      txn.exec(absl::StrCat(
          "INSERT INTO coffee_schema_migrations (version, name) VALUES (",
          migration.version, ", ", txn.quote(migration.name), ")"));
      names.push_back(migration.name);
    }
    txn.commit();
    return names;
  } catch (...) {
    return PostgresError(std::current_exception(), "migrate");
  }
}

}  // namespace cortado::coffee

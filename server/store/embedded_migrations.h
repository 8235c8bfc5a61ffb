// The versioned schema migrations compiled into the binary: the SQL files of
// migrations/broker/ (SQLite), migrations/postgres/ (PostgreSQL) and
// migrations/cluster/ (cluster mode's control tables on PostgreSQL), named
// NNNN_name.sql, embedded at build time in version order.
// Thread-safety: immutable after the first call.
#ifndef CORTADO_SERVER_STORE_EMBEDDED_MIGRATIONS_H_
#define CORTADO_SERVER_STORE_EMBEDDED_MIGRATIONS_H_

#include <vector>

#include "absl/strings/string_view.h"

namespace cortado::store {

struct Migration {
  int version = 0;         // NNNN from the file name
  absl::string_view name;  // e.g. "0001_initial"
  absl::string_view sql;
};

// migrations/broker/*.sql, for SqliteStore.
const std::vector<Migration>& BrokerMigrations();
// migrations/postgres/*.sql, for PostgresStore.
const std::vector<Migration>& PostgresMigrations();
// migrations/cluster/*.sql, for cluster mode's control schema.
const std::vector<Migration>& ClusterMigrations();

}  // namespace cortado::store

#endif  // CORTADO_SERVER_STORE_EMBEDDED_MIGRATIONS_H_

// Versioned schema migrations for the broker's SQLite database. The SQL files
// in migrations/broker/NNNN_name.sql are embedded into the binary at build
// time, applied in order at start inside one transaction each, and recorded
// in schema_migrations. A database whose newest applied version is unknown
// to this binary is refused: an older binary must not write a newer schema.
// Thread-safety: call on a connection no other thread uses.
#ifndef CORTADO_SERVER_STORE_MIGRATIONS_H_
#define CORTADO_SERVER_STORE_MIGRATIONS_H_

#include <sqlite3.h>

#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "server/store/embedded_migrations.h"

namespace cortado::store {

// Applies the migrations `db` lacks. Fails if `db` has a version newer than
// the last of `migrations`, or if a migration fails (it is rolled back).
absl::Status Migrate(sqlite3* db, const std::vector<Migration>& migrations);

// The highest applied version (0 for a new database).
absl::StatusOr<int> SchemaVersion(sqlite3* db);

}  // namespace cortado::store

#endif  // CORTADO_SERVER_STORE_MIGRATIONS_H_

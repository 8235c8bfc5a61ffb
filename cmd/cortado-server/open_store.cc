#include "cmd/cortado-server/open_store.h"

#include <unistd.h>

#include <algorithm>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "cmd/cortado-server/log.h"
#include "cmd/cortado-server/retry_unavailable.h"
#include "server/store/memory_store.h"
#include "server/store/postgres_store.h"
#include "server/store/sqlite_store.h"

namespace cortado {
namespace {

// What PostgreSQL shows of this node (application_name), and a refused
// second writer names: the host, the process and its gRPC address.
std::string NodeName(const ServerOptions& options) {
  char host[256] = {};
  if (gethostname(host, sizeof(host) - 1) != 0) host[0] = '\0';
  return absl::StrCat("cortado-server ", host, " pid ", getpid(), " grpc ",
                      options.grpc_addr);
}

// PostgreSQL not reachable yet (the database starting with the broker, a
// failover in progress) is waited for: Unavailable is retried with backoff
// up to options.database_wait; every other error (a second writer, a newer
// schema, bad credentials) is returned at once.
absl::StatusOr<std::unique_ptr<Store>> OpenPostgres(
    const ServerOptions& options) {
  if (options.database_url.empty()) {
    return absl::InvalidArgumentError(
        "--storage=postgres needs --database-url (or CORTADO_DATABASE_URL)");
  }
  store::PostgresStoreOptions postgres{.url = options.database_url,
                                       .schema = options.database_schema,
                                       .node_name = NodeName(options)};
  using Opened = std::unique_ptr<store::PostgresStore>;
  absl::StatusOr<Opened> opened = RetryWhileUnavailable<Opened>(
      [&] { return store::PostgresStore::Open(postgres); },
      options.database_wait);
  if (!opened.ok()) return opened.status();
  return std::unique_ptr<Store>(*std::move(opened));
}

}  // namespace

absl::StatusOr<std::unique_ptr<Store>> OpenStore(
    const ServerOptions& options, std::unique_ptr<store::DataDirLock>& lock) {
  if (options.storage == "memory") {
    return std::unique_ptr<Store>(std::make_unique<store::MemoryStore>());
  }
  if (options.storage == "postgres") return OpenPostgres(options);
  if (options.storage != "sqlite") {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown --storage \"", options.storage,
                     "\" (supported: sqlite, postgres, memory)"));
  }
  if (options.sync != "normal" && options.sync != "full") {
    return absl::InvalidArgumentError(absl::StrCat(
        "unknown --sync \"", options.sync, "\" (supported: normal, full)"));
  }
  // The lock first: two servers must never open the same database.
  absl::StatusOr<std::unique_ptr<store::DataDirLock>> locked =
      store::DataDirLock::Acquire(options.data_dir);
  if (!locked.ok()) return locked.status();
  lock = *std::move(locked);
  absl::StatusOr<std::unique_ptr<store::SqliteStore>> opened =
      store::SqliteStore::Open({absl::StrCat(options.data_dir, "/broker.db"),
                                options.sync == "full"
                                    ? store::SyncMode::kFull
                                    : store::SyncMode::kNormal});
  if (!opened.ok()) return opened.status();
  return std::unique_ptr<Store>(*std::move(opened));
}

}  // namespace cortado

// OpenStore opens the Store that ServerOptions::storage names: SQLite in the
// data directory (after taking its lock), PostgreSQL at the database URL
// (waiting for it with backoff while it cannot be reached), or memory.
// Thread-safety: call from one thread.
#ifndef CORTADO_SERVER_OPEN_STORE_H_
#define CORTADO_SERVER_OPEN_STORE_H_

#include <memory>

#include "absl/status/statusor.h"
#include "cmd/cortado-server/cortado_server.h"
#include "server/core/store.h"
#include "server/store/data_dir_lock.h"

namespace cortado {

// `lock` receives the data-dir lock of the SQLite store, which must outlive
// the store.
absl::StatusOr<std::unique_ptr<Store>> OpenStore(
    const ServerOptions& options, std::unique_ptr<store::DataDirLock>& lock);

}  // namespace cortado

#endif  // CORTADO_SERVER_OPEN_STORE_H_

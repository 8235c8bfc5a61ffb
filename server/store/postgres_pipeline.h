// PgPipeline sends one transaction to PostgreSQL in libpq's pipeline mode:
// every statement of the commit goes out back to back, then one Sync, which
// ends the implicit transaction they form (no BEGIN or COMMIT to parse), and
// their results are read after it, so a commit costs about one round trip
// (plus the server's WAL flush) however many statements it has. Every few
// hundred statements the results so far are read (a flush request), so that
// neither side can block writing while the other is not reading. Thread-safety:
// none; one thread at a time (the broker's writer).
#ifndef CORTADO_SERVER_STORE_POSTGRES_PIPELINE_H_
#define CORTADO_SERVER_STORE_POSTGRES_PIPELINE_H_

#include <libpq-fe.h>

#include "absl/status/status.h"
#include "server/store/postgres_helpers.h"

namespace cortado::store {

class PgPipeline {
 public:
  explicit PgPipeline(PGconn* connection) : connection_(connection) {}

  // Enters pipeline mode (if not in it): a new transaction starts.
  absl::Status Begin();
  // Queues the prepared statement `name`.
  absl::Status Send(const char* name, const PgParams& params);
  // Queues a Sync (the commit), then reads every result: OK only if every
  // statement succeeded and the transaction committed.
  absl::Status Commit();
  // Leaves pipeline mode (for the reads of LoadState).
  absl::Status Exit();

 private:
  // Reads the results of every statement queued and not yet read.
  absl::Status ReadPending();

  PGconn* const connection_;
  int pending_ = 0;  // statements whose results are not read yet
};

}  // namespace cortado::store

#endif  // CORTADO_SERVER_STORE_POSTGRES_PIPELINE_H_

// PostgresStore's session: one connection holding the writer lock, with its
// pipeline and prepared statements. Reopen replaces it whole. Internal to
// postgres_store*.cc.
// Thread-safety: as PostgresStore.
#ifndef CORTADO_SERVER_STORE_POSTGRES_SESSION_H_
#define CORTADO_SERVER_STORE_POSTGRES_SESSION_H_

#include <memory>
#include <utility>

#include "server/store/postgres_helpers.h"
#include "server/store/postgres_pipeline.h"
#include "server/store/postgres_schema.h"
#include "server/store/postgres_store.h"
#include "server/store/postgres_writer.h"

namespace cortado::store {

struct PostgresStore::Session {
  explicit Session(PgConnection c)
      : connection(std::move(c)), pipeline(connection.get()) {}
  ~Session() {
    PGconn* c = connection.get();
    if (PQstatus(c) != CONNECTION_OK) return;
    // An idle pipeline (after the last commit's results) can be left.
    if (pipeline.Exit().ok()) UnlockWriter(c).IgnoreError();
  }

  const PgConnection connection;
  PgPipeline pipeline;
  std::unique_ptr<PostgresWriter> writer;
};

}  // namespace cortado::store

#endif  // CORTADO_SERVER_STORE_POSTGRES_SESSION_H_

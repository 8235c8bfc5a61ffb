#include "server/store/postgres_store.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "server/core/status_macros.h"
#include "server/store/embedded_migrations.h"
#include "server/store/postgres_schema.h"
#include "server/store/postgres_writer.h"

namespace cortado::store {

absl::StatusOr<std::unique_ptr<PostgresStore>> PostgresStore::Open(
    const PostgresStoreOptions& options) {
  // The URL is expanded as libpq's dbname (expand_dbname), so every libpq
  // option works; application_name falls back to the node's name.
  const char* keywords[] = {"dbname", "fallback_application_name", nullptr};
  const char* values[] = {options.url.c_str(), options.node_name.c_str(),
                          nullptr};
  PgConnection connection(PQconnectdbParams(keywords, values, 1));
  if (PQstatus(connection.get()) != CONNECTION_OK) {
    return PgError(connection.get(), "cannot connect to PostgreSQL");
  }
  PGconn* c = connection.get();
  CORTADO_RETURN_IF_ERROR(UseSchema(c, options.schema));
  CORTADO_RETURN_IF_ERROR(
      LockWriter(c, options.schema, options.writer_lock_patience));
  CORTADO_RETURN_IF_ERROR(
      MigratePostgres(c, options.schema, PostgresMigrations()));
  std::unique_ptr<PostgresStore> store(
      new PostgresStore(options, std::move(connection)));
  CORTADO_ASSIGN_OR_RETURN(store->writer_,
                           PostgresWriter::Prepare(c, &store->pipeline_));
  return store;
}

PostgresStore::PostgresStore(PostgresStoreOptions options,
                             PgConnection connection)
    : options_(std::move(options)),
      connection_(std::move(connection)),
      pipeline_(connection_.get()) {}

PostgresStore::~PostgresStore() {
  PGconn* c = connection_.get();
  if (PQstatus(c) != CONNECTION_OK) return;
  // An idle pipeline (after the last commit's results) can be left.
  if (pipeline_.Exit().ok()) UnlockWriter(c).IgnoreError();
}

std::string PostgresStore::Describe() const {
  PGconn* c = connection_.get();
  return absl::StrCat("postgres ", PQhost(c), ":", PQport(c), "/", PQdb(c),
                      " (schema ", options_.schema, ")");
}

absl::Status PostgresStore::Commit(const WriteBatch& batch) {
  if (!failure_.ok()) return failure_;
  if (batch.empty()) return absl::OkStatus();
  absl::Status status = pipeline_.Begin();
  if (status.ok()) status = writer_->Write(batch);
  if (status.ok()) status = pipeline_.Commit();
  if (!status.ok()) {
    // Whether the transaction committed (and whether the connection and its
    // lock survive) is unknown: no later commit may be attempted.
    failure_ = absl::UnavailableError(absl::StrCat(
        "the PostgreSQL store failed earlier: ", status.message()));
  }
  return status;
}

}  // namespace cortado::store

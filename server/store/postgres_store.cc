#include "server/store/postgres_store.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "server/core/status_macros.h"
#include "server/store/embedded_migrations.h"
#include "server/store/postgres_schema.h"
#include "server/store/postgres_session.h"
#include "server/store/postgres_writer.h"

namespace cortado::store {
namespace {

// The fence's statement, and the session setting that keeps a frozen node
// from holding the row lock it takes.
absl::Status PrepareFence(PGconn* c, const PostgresStoreOptions& options) {
  const auto millis =
      absl::ToInt64Milliseconds(options.idle_in_transaction_timeout);
  CORTADO_RETURN_IF_ERROR(
      PgExec(c, absl::StrCat("SET idle_in_transaction_session_timeout = ",
                             std::max<int64_t>(millis, 1))));
  const std::string sql = absl::StrCat(
      "SELECT ", PgQuoteIdentifier(c, options.fence->control_schema),
      ".fence($1::int4, $2::text, $3::int8)");
  PgResult prepared(PQprepare(c, "fence", sql.c_str(), 0, nullptr));
  if (PQresultStatus(prepared.get()) != PGRES_COMMAND_OK) {
    return prepared == nullptr
               ? PgError(c, "preparing the fence")
               : PgResultError(prepared.get(), "preparing the fence");
  }
  return absl::OkStatus();
}

// A spare session if one is given and alive (renamed as this store's,
// unless the URL named it), else a new one.
absl::StatusOr<PgConnection> Connect(const PostgresStoreOptions& options) {
  std::optional<PgConnection> spare;
  if (options.spare_session) spare = options.spare_session();
  if (spare.has_value()) {
    PgParams params;
    params.AddBytes(options.node_name);
    PgResult renamed = params.Exec(
        spare->get(),
        "SELECT set_config('application_name', $1, false) WHERE"
        " current_setting('application_name') LIKE 'cortado % spare'");
    if (PQresultStatus(renamed.get()) == PGRES_TUPLES_OK) {
      return *std::move(spare);
    }
  }
  return PgConnect(options.url, options.node_name);
}

}  // namespace

absl::StatusOr<std::unique_ptr<PostgresStore::Session>>
PostgresStore::OpenSession(const PostgresStoreOptions& options) {
  CORTADO_ASSIGN_OR_RETURN(PgConnection connection, Connect(options));
  PGconn* c = connection.get();
  CORTADO_RETURN_IF_ERROR(UseSchema(c, options.schema));
  if (options.fence.has_value()) {
    CORTADO_RETURN_IF_ERROR(PrepareFence(c, options));
  } else {
    CORTADO_RETURN_IF_ERROR(
        LockWriter(c, options.schema, options.writer_lock_patience));
  }
  auto session = std::make_unique<Session>(std::move(connection));
  CORTADO_RETURN_IF_ERROR(
      MigratePostgres(c, options.schema, PostgresMigrations()));
  std::optional<TransferScope> transfers;
  if (options.fence.has_value()) {
    transfers =
        TransferScope{options.fence->control_schema, options.fence->partition};
  }
  CORTADO_ASSIGN_OR_RETURN(
      session->writer,
      PostgresWriter::Prepare(c, &session->pipeline, std::move(transfers)));
  return session;
}

absl::StatusOr<std::unique_ptr<PostgresStore>> PostgresStore::Open(
    const PostgresStoreOptions& options) {
  CORTADO_ASSIGN_OR_RETURN(std::unique_ptr<Session> session,
                           OpenSession(options));
  return std::unique_ptr<PostgresStore>(
      new PostgresStore(options, std::move(session)));
}

PostgresStore::PostgresStore(PostgresStoreOptions options,
                             std::unique_ptr<Session> session)
    : options_(std::move(options)), session_(std::move(session)) {}

PostgresStore::~PostgresStore() = default;

std::string PostgresStore::Describe() const {
  if (session_ == nullptr) return "postgres (disconnected)";
  PGconn* c = session_->connection.get();
  return absl::StrCat("postgres ", PQhost(c), ":", PQport(c), "/", PQdb(c),
                      " (schema ", options_.schema, ")");
}

absl::Status PostgresStore::Reopen() {
  // The old session first: if its connection still lives, it holds the
  // writer lock the new one must take.
  session_.reset();
  absl::StatusOr<std::unique_ptr<Session>> session = OpenSession(options_);
  if (!session.ok()) return session.status();
  session_ = *std::move(session);
  failure_ = absl::OkStatus();
  return absl::OkStatus();
}

absl::Status PostgresStore::Commit(const WriteBatch& batch) {
  if (!failure_.ok()) return failure_;
  // With a fence, an empty batch still checks it (the broker's
  // commit_every_answer): the answers it carries need the partition.
  if (batch.empty() && !options_.fence.has_value()) return absl::OkStatus();
  if (session_ == nullptr) {
    return absl::UnavailableError("the PostgreSQL store is not connected");
  }
  absl::Status status = session_->pipeline.Begin();
  if (status.ok() && options_.fence.has_value()) {
    const PostgresStoreOptions::Fence& fence = *options_.fence;
    PgParams params;
    params.AddInt32(fence.partition)
        .AddBytes(fence.node_id)
        .AddInt64(fence.epoch);
    status = session_->pipeline.Send("fence", params);
  }
  if (status.ok()) status = session_->writer->Write(batch);
  if (status.ok()) status = session_->pipeline.Commit();
  if (absl::IsAborted(status)) {
    // Fenced: another node owns the partition now, and nothing of this
    // commit was written. Final for this store.
    failure_ = status;
  } else if (!status.ok()) {
    // Whether the transaction committed (and whether the connection and its
    // lock survive) is unknown: no later commit may be attempted.
    failure_ = absl::UnavailableError(absl::StrCat(
        "the PostgreSQL store failed earlier: ", status.message()));
  }
  return status;
}

}  // namespace cortado::store

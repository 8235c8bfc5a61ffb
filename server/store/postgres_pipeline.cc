#include "server/store/postgres_pipeline.h"

#include "absl/strings/str_cat.h"
#include "server/core/status_macros.h"

namespace cortado::store {
namespace {

// Results are read at least this often. Each is a few dozen bytes, so this
// stays far below the socket buffers of both sides.
constexpr int kReadEvery = 256;

}  // namespace

absl::Status PgPipeline::Begin() {
  if (PQpipelineStatus(connection_) == PQ_PIPELINE_OFF &&
      PQenterPipelineMode(connection_) != 1) {
    return PgError(connection_, "entering pipeline mode");
  }
  pending_ = 0;
  return absl::OkStatus();
}

absl::Status PgPipeline::Send(const char* name, const PgParams& params) {
  if (!params.SendPrepared(connection_, name)) {
    return PgError(connection_, absl::StrCat("sending ", name));
  }
  if (++pending_ < kReadEvery) return absl::OkStatus();
  if (PQsendFlushRequest(connection_) != 1 || PQflush(connection_) != 0) {
    return PgError(connection_, "flushing the pipeline");
  }
  return ReadPending();
}

absl::Status PgPipeline::Commit() {
  // The statements since the last Sync are one implicit transaction: the
  // server commits it when it reads the Sync, and answers the Sync only
  // after the commit (and, with synchronous_commit, its WAL flush); an
  // error in any statement skips the rest and rolls it all back.
  if (PQpipelineSync(connection_) != 1) {
    return PgError(connection_, "sending the commit");
  }
  absl::Status status = ReadPending();
  PgResult sync(PQgetResult(connection_));
  if (PQresultStatus(sync.get()) != PGRES_PIPELINE_SYNC && status.ok()) {
    status = PgError(connection_, "committing (no pipeline sync)");
  }
  return status;
}

absl::Status PgPipeline::ReadPending() {
  absl::Status first_error;
  for (; pending_ > 0; --pending_) {
    // One result per statement, then a null one.
    while (PGresult* raw = PQgetResult(connection_)) {
      PgResult result(raw);
      const ExecStatusType status = PQresultStatus(raw);
      if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK &&
          first_error.ok()) {
        first_error = PgResultError(raw, "committing");
      }
      if (PQstatus(connection_) == CONNECTION_BAD) break;
    }
    if (PQstatus(connection_) == CONNECTION_BAD) {
      pending_ = 0;
      return first_error.ok() ? PgError(connection_, "committing")
                              : first_error;
    }
  }
  return first_error;
}

absl::Status PgPipeline::Exit() {
  if (PQpipelineStatus(connection_) == PQ_PIPELINE_OFF) return absl::OkStatus();
  if (PQexitPipelineMode(connection_) != 1) {
    return PgError(connection_, "leaving pipeline mode");
  }
  return absl::OkStatus();
}

}  // namespace cortado::store

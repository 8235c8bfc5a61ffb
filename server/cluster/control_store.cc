#include "server/cluster/control_store.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "server/cluster/partitioning.h"
#include "server/core/status_macros.h"
#include "server/store/embedded_migrations.h"
#include "server/store/postgres_schema.h"

namespace cortado::cluster {
namespace {

using store::PgExec;
using store::PgParams;
using store::PgResult;
using store::PgResultError;
using store::PgRow;

// Creates the cluster row and the partitions' rows if missing (a node
// joining an existing cluster changes nothing), in one transaction, and
// returns the partition count in force.
absl::StatusOr<int32_t> EnsureCluster(PGconn* c, int32_t partitions) {
  CORTADO_RETURN_IF_ERROR(PgExec(c, "BEGIN"));
  absl::StatusOr<int32_t> count = [&]() -> absl::StatusOr<int32_t> {
    PgParams params;
    params.AddInt32(partitions);
    PgResult created =
        params.Exec(c,
                    "INSERT INTO cluster (partitions) VALUES ($1::int4)"
                    " ON CONFLICT DO NOTHING");
    if (PQresultStatus(created.get()) != PGRES_COMMAND_OK) {
      return PgResultError(created.get(), "creating the cluster");
    }
    PgResult read(PQexecParams(c, "SELECT partitions FROM cluster", 0, nullptr,
                               nullptr, nullptr, nullptr, 1));
    if (PQresultStatus(read.get()) != PGRES_TUPLES_OK ||
        PQntuples(read.get()) != 1) {
      return PgResultError(read.get(), "reading the cluster");
    }
    const int32_t in_force = PgRow(read.get(), 0).Int32(0);
    PgParams rows;
    rows.AddInt32(in_force);
    PgResult inserted = rows.Exec(c,
                                  "INSERT INTO partitions (partition) SELECT "
                                  "generate_series(0, $1::int4 - 1)"
                                  " ON CONFLICT DO NOTHING");
    if (PQresultStatus(inserted.get()) != PGRES_COMMAND_OK) {
      return PgResultError(inserted.get(), "creating the partitions");
    }
    return in_force;
  }();
  if (!count.ok()) {
    PgExec(c, "ROLLBACK").IgnoreError();
    return count.status();
  }
  CORTADO_RETURN_IF_ERROR(PgExec(c, "COMMIT"));
  return count;
}

// The session settings every control connection has.
absl::Status Configure(PGconn* c, const ControlOptions& options) {
  CORTADO_RETURN_IF_ERROR(store::UseSchema(c, options.schema));
  return PgExec(
      c, absl::StrCat("SET lock_timeout = ",
                      std::max<int64_t>(
                          1, absl::ToInt64Milliseconds(options.lock_timeout))));
}

// Runs a statement whose success returns no rows.
absl::Status ExecCommand(PGconn* c, const char* sql, const PgParams& params,
                         absl::string_view what) {
  PgResult result = params.Exec(c, sql);
  if (PQresultStatus(result.get()) != PGRES_COMMAND_OK) {
    return result == nullptr ? store::PgError(c, what)
                             : PgResultError(result.get(), what);
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<ControlStore>> ControlStore::Open(
    const ControlOptions& options) {
  CORTADO_ASSIGN_OR_RETURN(
      store::PgConnection connection,
      store::PgConnect(options.url, options.application_name));
  PGconn* c = connection.get();
  CORTADO_RETURN_IF_ERROR(Configure(c, options));
  CORTADO_RETURN_IF_ERROR(
      store::MigratePostgres(c, options.schema, store::ClusterMigrations()));
  CORTADO_ASSIGN_OR_RETURN(const int32_t partitions,
                           EnsureCluster(c, options.partitions));
  return std::unique_ptr<ControlStore>(
      new ControlStore(options, std::move(connection), partitions));
}

absl::Status ControlStore::EnsureConnected() {
  CORTADO_ASSIGN_OR_RETURN(const bool reconnected,
                           store::PgReconnectIfLost(connection_.get()));
  return reconnected ? Configure(connection_.get(), options_)
                     : absl::OkStatus();
}

absl::Status ControlStore::Join(const NodeRow& me) {
  CORTADO_RETURN_IF_ERROR(EnsureConnected());
  PgParams params;
  params.AddBytes(me.node_id).AddBytes(me.grpc_addr).AddBytes(me.http_addr);
  return ExecCommand(
      connection_.get(),
      "INSERT INTO cluster_nodes (node_id, grpc_addr, http_addr, heartbeat)"
      " VALUES ($1, $2, $3, 1) ON CONFLICT (node_id) DO UPDATE SET"
      " grpc_addr = EXCLUDED.grpc_addr, http_addr = EXCLUDED.http_addr,"
      " heartbeat = cluster_nodes.heartbeat + 1, leaving = false,"
      " started_at = now(), last_seen_at = now()",
      params, "joining the cluster");
}

absl::Status ControlStore::Heartbeat(const std::string& node_id, bool leaving) {
  CORTADO_RETURN_IF_ERROR(EnsureConnected());
  PgParams params;
  params.AddBytes(node_id).AddBool(leaving);
  PgResult result =
      params.Exec(connection_.get(),
                  "UPDATE cluster_nodes SET heartbeat = heartbeat + 1,"
                  " last_seen_at = now(), leaving = $2 WHERE node_id = $1");
  if (PQresultStatus(result.get()) != PGRES_COMMAND_OK) {
    return result == nullptr ? store::PgError(connection_.get(), "heartbeat")
                             : PgResultError(result.get(), "heartbeat");
  }
  if (std::string(PQcmdTuples(result.get())) == "0") {
    return absl::NotFoundError(
        absl::StrCat("node ", node_id, " is not a member any more"));
  }
  return absl::OkStatus();
}

absl::Status ControlStore::Leave(const std::string& node_id) {
  CORTADO_RETURN_IF_ERROR(EnsureConnected());
  PgParams params;
  params.AddBytes(node_id);
  return ExecCommand(connection_.get(),
                     "DELETE FROM cluster_nodes WHERE node_id = $1", params,
                     "leaving the cluster");
}

absl::StatusOr<std::vector<NodeRow>> ControlStore::Nodes() {
  CORTADO_RETURN_IF_ERROR(EnsureConnected());
  std::vector<NodeRow> nodes;
  CORTADO_RETURN_IF_ERROR(store::PgForEachRow(
      connection_.get(),
      "SELECT node_id, grpc_addr, http_addr, heartbeat, leaving"
      " FROM cluster_nodes ORDER BY node_id",
      PgParams(), "cluster_nodes", [&](const PgRow& row) {
        nodes.push_back(NodeRow{row.Text(0), row.Text(1), row.Text(2),
                                row.Int64(3), row.Bool(4)});
        return absl::OkStatus();
      }));
  return nodes;
}

absl::StatusOr<std::vector<Ownership>> ControlStore::Partitions() {
  CORTADO_RETURN_IF_ERROR(EnsureConnected());
  std::vector<Ownership> partitions;
  CORTADO_RETURN_IF_ERROR(store::PgForEachRow(
      connection_.get(),
      "SELECT partition, COALESCE(owner, ''), epoch FROM partitions"
      " ORDER BY partition",
      PgParams(), "partitions", [&](const PgRow& row) {
        partitions.push_back(
            Ownership{row.Int32(0), row.Text(1), row.Int64(2)});
        return absl::OkStatus();
      }));
  return partitions;
}

absl::StatusOr<std::optional<int64_t>> ControlStore::UpdateEpoch(
    const char* sql, const PgParams& params) {
  CORTADO_RETURN_IF_ERROR(EnsureConnected());
  PgResult result = params.Exec(connection_.get(), sql);
  if (PQresultStatus(result.get()) != PGRES_TUPLES_OK) {
    return result == nullptr
               ? store::PgError(connection_.get(), "changing an owner")
               : PgResultError(result.get(), "changing an owner");
  }
  if (PQntuples(result.get()) == 0) return std::nullopt;
  return PgRow(result.get(), 0).Int64(0);
}

absl::StatusOr<std::optional<int64_t>> ControlStore::Claim(
    const Ownership& seen, const std::string& me) {
  PgParams params;
  params.AddInt32(seen.partition).AddBytes(me).AddInt64(seen.epoch);
  return UpdateEpoch(
      "UPDATE partitions SET owner = $2, epoch = epoch + 1"
      " WHERE partition = $1 AND epoch = $3 RETURNING epoch",
      params);
}

absl::StatusOr<int> ControlStore::EndSessionsOf(const std::string& node_id) {
  CORTADO_RETURN_IF_ERROR(EnsureConnected());
  const std::string name = SessionName(node_id);
  PgParams params;
  params.AddBytes(name).AddBytes(absl::StrCat(name, " "));
  int ended = 0;
  CORTADO_RETURN_IF_ERROR(store::PgForEachRow(
      connection_.get(),
      "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid))"
      " FROM pg_stat_activity WHERE pid <> pg_backend_pid()"
      " AND datname = current_database() AND usename = current_user"
      " AND (application_name = $1 OR starts_with(application_name, $2))",
      params, "pg_stat_activity", [&](const PgRow& row) {
        ended = static_cast<int>(row.Int64(0));
        return absl::OkStatus();
      }));
  return ended;
}

absl::StatusOr<std::optional<int64_t>> ControlStore::Give(
    const Ownership& mine, const std::string& to) {
  PgParams params;
  params.AddInt32(mine.partition)
      .AddBytes(mine.owner)
      .AddInt64(mine.epoch)
      .AddBytes(to);
  return UpdateEpoch(
      "UPDATE partitions SET owner = $4, epoch = epoch + 1"
      " WHERE partition = $1 AND owner = $2 AND epoch = $3 RETURNING epoch",
      params);
}

}  // namespace cortado::cluster

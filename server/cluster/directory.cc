#include "server/cluster/directory.h"

#include <optional>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "server/cluster/partitioning.h"
#include "server/core/redrive.h"
#include "server/core/status_macros.h"

namespace cortado::cluster {

using store::PgParams;
using store::PgRow;

absl::Status Directory::EnsureConnected() {
  if (connection_ == nullptr) {
    CORTADO_ASSIGN_OR_RETURN(connection_,
                             store::PgConnect(url_, application_name_));
  } else {
    CORTADO_RETURN_IF_ERROR(
        store::PgReconnectIfLost(connection_.get()).status());
  }
  if (partitions_ > 0) return absl::OkStatus();
  const std::string sql = absl::StrCat(
      "SELECT partitions FROM ",
      store::PgQuoteIdentifier(connection_.get(), control_schema_), ".cluster");
  int32_t partitions = 0;
  CORTADO_RETURN_IF_ERROR(store::PgForEachRow(connection_.get(), sql.c_str(),
                                              PgParams(), "cluster",
                                              [&](const PgRow& row) {
                                                partitions = row.Int32(0);
                                                return absl::OkStatus();
                                              }));
  if (partitions <= 0) {
    return absl::UnavailableError("the cluster has not been created yet");
  }
  partitions_ = partitions;
  return absl::OkStatus();
}

absl::StatusOr<int32_t> Directory::Partitions() {
  absl::MutexLock lock(&mu_);
  CORTADO_RETURN_IF_ERROR(EnsureConnected());
  return partitions_;
}

absl::StatusOr<std::string> Directory::UnionOver(
    const std::string& table,
    const std::function<std::string(const std::string&)>& select_from) {
  CORTADO_RETURN_IF_ERROR(EnsureConnected());
  store::PgArray schemas(store::PgElement::kText);
  for (int32_t p = 0; p < partitions_; ++p) {
    schemas.AddBytes(PartitionSchema(control_schema_, p));
  }
  PgParams params;
  params.AddArray(schemas).AddBytes(table);
  std::vector<std::string> parts;
  // The lambdas below run within this call, under mu_ (the analysis cannot
  // see into them).
  PGconn* const c = connection_.get();
  CORTADO_RETURN_IF_ERROR(store::PgForEachRow(
      c,
      "SELECT table_schema::text FROM information_schema.tables"
      " WHERE table_schema = ANY($1::text[]) AND table_name = $2::text",
      params, "information_schema.tables", [&](const PgRow& row) {
        parts.push_back(select_from(store::PgQuoteIdentifier(c, row.View(0))));
        return absl::OkStatus();
      }));
  return absl::StrJoin(parts, " UNION ALL ");
}

absl::StatusOr<std::vector<std::string>> Directory::Names(
    const std::string& table) {
  absl::MutexLock lock(&mu_);
  CORTADO_ASSIGN_OR_RETURN(
      const std::string sql, UnionOver(table, [&](const std::string& schema) {
        return absl::StrCat("SELECT name FROM ", schema, ".", table);
      }));
  std::vector<std::string> names;
  if (sql.empty()) return names;
  CORTADO_RETURN_IF_ERROR(store::PgForEachRow(
      connection_.get(), sql.c_str(), PgParams(), table, [&](const PgRow& row) {
        names.push_back(row.Text(0));
        return absl::OkStatus();
      }));
  return names;
}

absl::StatusOr<std::vector<std::string>> Directory::QueueNames() {
  return Names("queues");
}

absl::StatusOr<std::vector<std::string>> Directory::TopicNames() {
  return Names("topics");
}

absl::StatusOr<std::vector<SubscriptionRow>> Directory::Subscriptions() {
  absl::MutexLock lock(&mu_);
  // A topic and its subscriptions are always in the same partition.
  CORTADO_ASSIGN_OR_RETURN(
      const std::string sql,
      UnionOver("subscriptions", [](const std::string& schema) {
        return absl::StrCat(
            "SELECT t.name, s.subscription_id, s.protocol, s.endpoint FROM ",
            schema, ".subscriptions s JOIN ", schema,
            ".topics t USING (topic_id)");
      }));
  std::vector<SubscriptionRow> rows;
  if (sql.empty()) return rows;
  CORTADO_RETURN_IF_ERROR(store::PgForEachRow(
      connection_.get(), sql.c_str(), PgParams(), "subscriptions",
      [&](const PgRow& row) {
        rows.push_back(SubscriptionRow{row.Text(0), row.Text(1), row.Text(2),
                                       row.Text(3)});
        return absl::OkStatus();
      }));
  return rows;
}

absl::StatusOr<PeerQueue> Directory::Queue(const std::string& queue_name) {
  absl::MutexLock lock(&mu_);
  CORTADO_RETURN_IF_ERROR(EnsureConnected());
  PGconn* const c = connection_.get();
  const std::string schema = store::PgQuoteIdentifier(
      c,
      PartitionSchema(control_schema_, PartitionOf(queue_name, partitions_)));
  const std::string sql =
      absl::StrCat("SELECT fifo, redrive_allow_policy FROM ", schema,
                   ".queues WHERE name = $1::text");
  PgParams params;
  params.AddBytes(queue_name);
  std::optional<PeerQueue> found;
  absl::Status status = store::PgForEachRow(
      c, sql.c_str(), params, "queues", [&](const PgRow& row) {
        found = PeerQueue{row.Bool(0), row.Text(1)};
        return absl::OkStatus();
      });
  // 42P01, undefined_table: a partition never served has no tables yet,
  // so no queue either.
  if (!status.ok() && absl::StrContains(status.message(), "42P01")) {
    return absl::NotFoundError(queue_name);
  }
  CORTADO_RETURN_IF_ERROR(status);
  if (!found.has_value()) return absl::NotFoundError(queue_name);
  return *found;
}

absl::StatusOr<std::vector<std::string>> Directory::DeadLetterSources(
    const std::string& queue_arn) {
  absl::MutexLock lock(&mu_);
  CORTADO_ASSIGN_OR_RETURN(
      const std::string sql, UnionOver("queues", [](const std::string& schema) {
        return absl::StrCat("SELECT name, redrive_policy FROM ", schema,
                            ".queues WHERE strpos(redrive_policy, $1::text)"
                            " > 0");
      }));
  std::vector<std::string> names;
  if (sql.empty()) return names;
  PgParams params;
  params.AddBytes(queue_arn);
  CORTADO_RETURN_IF_ERROR(store::PgForEachRow(
      connection_.get(), sql.c_str(), params, "queues", [&](const PgRow& row) {
        // The policy names the ARN somewhere; is it the target?
        std::optional<RedriveTarget> target = ParseRedrivePolicy(row.Text(1));
        if (target.has_value() && target->arn == queue_arn) {
          names.push_back(row.Text(0));
        }
        return absl::OkStatus();
      }));
  return names;
}

}  // namespace cortado::cluster

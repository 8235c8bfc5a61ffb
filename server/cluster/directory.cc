#include "server/cluster/directory.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "server/cluster/partitioning.h"
#include "server/core/status_macros.h"

namespace cortado::cluster {

using store::PgParams;
using store::PgRow;

absl::StatusOr<std::unique_ptr<Directory>> Directory::Open(
    const std::string& url, const std::string& control_schema,
    int32_t partitions) {
  CORTADO_ASSIGN_OR_RETURN(store::PgConnection connection,
                           store::PgConnect(url, "cortado-server directory"));
  return std::unique_ptr<Directory>(
      new Directory(std::move(connection), control_schema, partitions));
}

absl::Status Directory::EnsureConnected() {
  return store::PgReconnectIfLost(connection_.get()).status();
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

}  // namespace cortado::cluster

#include "server/store/postgres_transfers.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "server/core/status_macros.h"
#include "server/store/record_codec.h"
#include "server/store/store_micros.h"

namespace cortado::store {
namespace {

// The row's columns after transfer_id, in the order of PutTransferParams
// and of ReadTransfers' SELECT.
constexpr char kColumns[] =
    "partition, kind, queue_name, fallback_queue, message_id, body,"
    " attributes, system_attributes, sender_id, message_group_id,"
    " message_deduplication_id, dead_letter_source_arn, sent_us, enqueued_us,"
    " receive_count, first_receive_us, last_receive_us, created_us";
constexpr int kColumnCount = 18;

absl::Status Prepare(PGconn* c, const char* name, const std::string& sql) {
  PgResult prepared(PQprepare(c, name, sql.c_str(), 0, nullptr));
  if (PQresultStatus(prepared.get()) != PGRES_COMMAND_OK) {
    return prepared == nullptr
               ? PgError(c, absl::StrCat("preparing ", name))
               : PgResultError(prepared.get(),
                               absl::StrCat("preparing ", name));
  }
  return absl::OkStatus();
}

absl::Status DecodeTransfer(const PgRow& row, TransferRecord& r) {
  r.transfer_id = static_cast<uint64_t>(row.Int64(0));
  r.partition = row.Int32(1);
  const int32_t kind = row.Int32(2);
  if (kind != static_cast<int32_t>(TransferRecord::Kind::kSend) &&
      kind != static_cast<int32_t>(TransferRecord::Kind::kMove)) {
    return absl::DataLossError(
        absl::StrCat("transfer ", r.transfer_id, " has unknown kind ", kind));
  }
  r.kind = static_cast<TransferRecord::Kind>(kind);
  r.queue_name = row.Text(3);
  r.fallback_queue = row.Text(4);
  MessageRecord& m = r.message;
  m.message_id = row.Text(5);
  m.body = row.Text(6);
  CORTADO_ASSIGN_OR_RETURN(m.attributes, DecodeAttributes(row.View(7)));
  CORTADO_ASSIGN_OR_RETURN(m.system_attributes, DecodeAttributes(row.View(8)));
  m.sender_id = row.Text(9);
  m.message_group_id = row.Text(10);
  m.message_deduplication_id = row.Text(11);
  m.dead_letter_source_arn = row.Text(12);
  m.sent = FromMicros(row.Int64(13));
  m.enqueued = FromMicros(row.Int64(14));
  m.receive_count = row.Int32(15);
  m.first_receive = FromMicros(row.Int64(16));
  m.last_receive = FromMicros(row.Int64(17));
  r.created = FromMicros(row.Int64(18));
  return absl::OkStatus();
}

}  // namespace

absl::Status PrepareTransferStatements(PGconn* c, const TransferScope& scope) {
  const std::string schema = PgQuoteIdentifier(c, scope.control_schema);
  std::string placeholders;
  for (int i = 1; i <= kColumnCount; ++i) {
    absl::StrAppend(&placeholders, i > 1 ? ", " : "", "$", i);
  }
  CORTADO_RETURN_IF_ERROR(
      Prepare(c, "put_transfer",
              absl::StrCat("INSERT INTO ", schema, ".transfers (", kColumns,
                           ") VALUES (", placeholders, ")")));
  return Prepare(
      c, "take_transfers",
      absl::StrCat("SELECT ", schema, ".take_transfers($1::int4, $2::int8[])"));
}

PgParams PutTransferParams(const TransferRecord& r) {
  const MessageRecord& m = r.message;
  PgParams params;
  params.AddInt32(r.partition)
      .AddInt32(static_cast<int32_t>(r.kind))
      .AddBytes(r.queue_name)
      .AddBytes(r.fallback_queue)
      .AddBytes(m.message_id)
      .AddBytes(m.body)
      .AddBytes(EncodeAttributes(m.attributes))
      .AddBytes(EncodeAttributes(m.system_attributes))
      .AddBytes(m.sender_id)
      .AddBytes(m.message_group_id)
      .AddBytes(m.message_deduplication_id)
      .AddBytes(m.dead_letter_source_arn)
      .AddInt64(Micros(m.sent))
      .AddInt64(Micros(m.enqueued))
      .AddInt32(m.receive_count)
      .AddInt64(Micros(m.first_receive))
      .AddInt64(Micros(m.last_receive))
      .AddInt64(Micros(r.created));
  return params;
}

PgParams TakeTransfersParams(const TransferScope& scope,
                             const std::vector<uint64_t>& transfer_ids) {
  PgArray ids(PgElement::kInt8);
  for (uint64_t id : transfer_ids) ids.AddInt64(static_cast<int64_t>(id));
  PgParams params;
  params.AddInt32(scope.partition).AddArray(ids);
  return params;
}

absl::StatusOr<std::vector<TransferRecord>> ReadTransfers(
    PGconn* c, const std::string& control_schema, int32_t partition,
    int limit) {
  const std::string sql =
      absl::StrCat("SELECT transfer_id, ", kColumns, " FROM ",
                   PgQuoteIdentifier(c, control_schema),
                   ".transfers WHERE partition = $1::int4"
                   " ORDER BY transfer_id LIMIT $2::int4");
  PgParams params;
  params.AddInt32(partition).AddInt32(limit);
  std::vector<TransferRecord> transfers;
  CORTADO_RETURN_IF_ERROR(
      PgForEachRow(c, sql.c_str(), params, "transfers", [&](const PgRow& row) {
        TransferRecord r;
        CORTADO_RETURN_IF_ERROR(DecodeTransfer(row, r));
        transfers.push_back(std::move(r));
        return absl::OkStatus();
      }));
  return transfers;
}

absl::StatusOr<std::vector<int32_t>> PartitionsWithTransfers(
    PGconn* c, const std::string& control_schema) {
  const std::string sql =
      absl::StrCat("SELECT DISTINCT partition FROM ",
                   PgQuoteIdentifier(c, control_schema), ".transfers");
  std::vector<int32_t> partitions;
  CORTADO_RETURN_IF_ERROR(
      PgForEachRow(c, sql.c_str(), {}, "transfers", [&](const PgRow& row) {
        partitions.push_back(row.Int32(0));
        return absl::OkStatus();
      }));
  return partitions;
}

}  // namespace cortado::store

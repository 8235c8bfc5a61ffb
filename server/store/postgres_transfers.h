// The cluster's outbox rows in PostgreSQL (migrations/cluster/
// 0002_transfers.sql): the two statements a partition's store runs inside
// its fenced commits (put a transfer to another partition; take the
// transfers it enqueues), and the read of a partition's pending transfers
// by the node that owns it (server/cluster/transfer_pump.h).
// Thread-safety: functions of a connection; one thread per connection.
#ifndef CORTADO_SERVER_STORE_POSTGRES_TRANSFERS_H_
#define CORTADO_SERVER_STORE_POSTGRES_TRANSFERS_H_

#include <libpq-fe.h>

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "server/core/store.h"
#include "server/store/postgres_helpers.h"

namespace cortado::store {

// Where a partition's store finds the outbox: the cluster's control schema,
// and its own partition (the one whose transfers it takes).
struct TransferScope {
  std::string control_schema;
  int32_t partition = 0;
};

// Prepares "put_transfer" and "take_transfers" on `connection`.
absl::Status PrepareTransferStatements(PGconn* connection,
                                       const TransferScope& scope);

// Parameters of "put_transfer" and of "take_transfers".
PgParams PutTransferParams(const TransferRecord& transfer);
PgParams TakeTransfersParams(const TransferScope& scope,
                             const std::vector<uint64_t>& transfer_ids);

// The oldest `limit` transfers to `partition`, in the order they were
// written (outside any transaction: only committed rows are seen).
absl::StatusOr<std::vector<TransferRecord>> ReadTransfers(
    PGconn* connection, const std::string& control_schema, int32_t partition,
    int limit);

// The partitions that have transfers waiting.
absl::StatusOr<std::vector<int32_t>> PartitionsWithTransfers(
    PGconn* connection, const std::string& control_schema);

}  // namespace cortado::store

#endif  // CORTADO_SERVER_STORE_POSTGRES_TRANSFERS_H_

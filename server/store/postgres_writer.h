// PostgresWriter queues the statements of one commit into PostgresStore's
// pipeline, inside the transaction the store opened: one Apply overload per
// StoreMutation kind, dispatched by std::visit, so a new kind without its
// overload does not compile (it cannot be silently skipped). Message
// inserts, delivery updates and deletes go through PgMessageRuns (one
// set-based statement per run); every other kind is one prepared statement
// (an upsert or a delete), as in SqliteWriter.
// Thread-safety: as PostgresStore (one thread at a time).
#ifndef CORTADO_SERVER_STORE_POSTGRES_WRITER_H_
#define CORTADO_SERVER_STORE_POSTGRES_WRITER_H_

#include <libpq-fe.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "server/core/store.h"
#include "server/store/postgres_message_runs.h"
#include "server/store/postgres_pipeline.h"
#include "server/store/postgres_transfers.h"

namespace cortado::store {

class PostgresWriter {
 public:
  // Prepares the statements on `connection` (not in pipeline mode); the
  // connection and `pipeline` must outlive the writer. `transfers`: the
  // outbox of a cluster partition's store; without it transfers are
  // refused.
  static absl::StatusOr<std::unique_ptr<PostgresWriter>> Prepare(
      PGconn* connection, PgPipeline* pipeline,
      std::optional<TransferScope> transfers);

  // Queues every mutation of `batch`, in order.
  absl::Status Write(const WriteBatch& batch);

 private:
  PostgresWriter(PgPipeline* pipeline, std::optional<TransferScope> transfers)
      : pipeline_(pipeline),
        transfers_(std::move(transfers)),
        runs_(pipeline) {}

  // Named apart from the Apply overloads so that a kind missing its overload
  // fails to compile instead of converting back to a StoreMutation.
  absl::Status WriteOne(const StoreMutation& mutation);

  absl::Status Apply(const PutQueue& m);
  absl::Status Apply(const RemoveQueue& m);
  absl::Status Apply(const PurgeQueueMessages& m);
  absl::Status Apply(const InsertMessage& m) { return runs_.Add(m); }
  absl::Status Apply(const UpdateMessageDelivery& m) { return runs_.Add(m); }
  absl::Status Apply(const RemoveMessage& m) { return runs_.Add(m); }
  absl::Status Apply(const ReserveIds& m);
  absl::Status Apply(const PutDedup& m);
  absl::Status Apply(const ExpireDedup& m);
  absl::Status Apply(const PutMoveTask& m);
  absl::Status Apply(const PutTopic& m);
  absl::Status Apply(const RemoveTopic& m);
  absl::Status Apply(const PutSubscription& m);
  absl::Status Apply(const RemoveSubscription& m);
  absl::Status Apply(const PutReceiveAttempt& m);
  absl::Status Apply(const ExpireReceiveAttempts& m);
  absl::Status Apply(const PutTopicDedup& m);
  absl::Status Apply(const ExpireTopicDedup& m);
  absl::Status Apply(const PutTransfer& m);
  absl::Status Apply(const RemoveTransfers& m);

  // Sends `statement` with $1 = `id`, or $1 = `id` and $2 = `up_to`: the
  // shape of every delete by key and every expiry of a window.
  absl::Status SendForId(const char* statement, int64_t id);
  absl::Status SendForId(const char* statement, int64_t id, absl::Time up_to);
  // Deletes the messages of `queue_id` within `range`.
  absl::Status DeleteMessages(uint64_t queue_id, const SequenceRange& range);

  PgPipeline* const pipeline_;
  const std::optional<TransferScope> transfers_;
  PgMessageRuns runs_;
};

}  // namespace cortado::store

#endif  // CORTADO_SERVER_STORE_POSTGRES_WRITER_H_

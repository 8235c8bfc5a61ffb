// PgMessageRuns turns runs of consecutive message mutations of one kind
// (the bulk of every commit: the sends, receives and deletes of a group
// commit) into one set-based statement each: an INSERT from `unnest` of one
// array per column, an UPDATE joined to `unnest`, a DELETE with
// `= ANY(array)`. A mutation of another kind ends the run first, so the
// statements still apply in the batch's order; an update of a message the
// run already updates starts a new run (one UPDATE must not set a row
// twice).
// Thread-safety: as PostgresStore (one thread at a time).
#ifndef CORTADO_SERVER_STORE_POSTGRES_MESSAGE_RUNS_H_
#define CORTADO_SERVER_STORE_POSTGRES_MESSAGE_RUNS_H_

#include <cstdint>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "server/core/store.h"
#include "server/store/postgres_helpers.h"
#include "server/store/postgres_pipeline.h"

namespace cortado::store {

class PgMessageRuns {
 public:
  // The statements PrepareStatements() names, and which Flush() sends.
  static std::vector<std::pair<const char*, const char*>> Statements();

  explicit PgMessageRuns(PgPipeline* pipeline) : pipeline_(pipeline) {}

  absl::Status Add(const InsertMessage& m);
  absl::Status Add(const UpdateMessageDelivery& m);
  absl::Status Add(const RemoveMessage& m);
  // Sends the current run, if any.
  absl::Status Flush();

 private:
  enum class Kind { kNone, kInsert, kUpdate, kRemove };
  // Flushes unless the current run is of `kind`.
  absl::Status Continue(Kind kind);

  PgPipeline* const pipeline_;
  Kind kind_ = Kind::kNone;
  // One array per column of `messages` (inserts use all; updates the
  // sequence, the delivery fields; removes the sequence).
  PgArray sequence_{PgElement::kInt8}, queue_id_{PgElement::kInt8};
  PgArray message_id_{PgElement::kText}, body_{PgElement::kBytea};
  PgArray attributes_{PgElement::kBytea}, system_attributes_{PgElement::kBytea};
  PgArray sender_id_{PgElement::kText}, group_id_{PgElement::kText};
  PgArray dedup_id_{PgElement::kText};
  PgArray sent_{PgElement::kInt8}, visible_at_{PgElement::kInt8};
  PgArray receive_count_{PgElement::kInt4};
  PgArray first_receive_{PgElement::kInt8}, last_receive_{PgElement::kInt8};
  PgArray dead_letter_source_{PgElement::kText}, enqueued_{PgElement::kInt8};
  absl::flat_hash_set<uint64_t> updated_;  // sequences of the update run
};

}  // namespace cortado::store

#endif  // CORTADO_SERVER_STORE_POSTGRES_MESSAGE_RUNS_H_

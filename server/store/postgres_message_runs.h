// PgMessageRuns turns the message mutations between two mutations of
// another kind (the bulk of every commit: the sends, receives and deletes of
// a group commit) into at most three set-based statements: an INSERT from
// `unnest` of one array per column, an UPDATE joined to `unnest`, a DELETE
// with `= ANY(array)`, sent in that order. That order is safe because a
// message's sequence is never reused: within a run its mutations can only
// be an insert, then updates, then a remove. So an update of a message
// inserted in the run is folded into the insert, an update of one already
// updated replaces it (each carries the whole delivery state), and a remove
// of one inserted in the run cancels the insert.
// Thread-safety: as PostgresStore (one thread at a time).
#ifndef CORTADO_SERVER_STORE_POSTGRES_MESSAGE_RUNS_H_
#define CORTADO_SERVER_STORE_POSTGRES_MESSAGE_RUNS_H_

#include <cstdint>
#include <initializer_list>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
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

  // The mutations must outlive the next Flush() (they are the batch's).
  absl::Status Add(const InsertMessage& m);
  absl::Status Add(const UpdateMessageDelivery& m);
  absl::Status Add(const RemoveMessage& m);
  // Sends the current run's statements, if any, and starts a new run.
  absl::Status Flush();
  // Forgets the current run (its batch failed).
  void Discard();

 private:
  struct Insert {
    const MessageRecord* record;
    const MessageDeliveryUpdate* delivery = nullptr;  // folded update
    bool removed = false;                             // cancelled
  };
  absl::Status FlushInserts();
  absl::Status FlushUpdates();
  absl::Status FlushRemoves();
  // Sends `statement` with `columns` (every one as long as sequence_), if
  // any rows; clears them either way.
  absl::Status SendColumns(const char* statement,
                           std::initializer_list<PgArray*> columns);

  PgPipeline* const pipeline_;
  std::vector<Insert> inserts_;
  absl::flat_hash_map<uint64_t, size_t> inserted_;  // sequence -> inserts_
  // The latest update per sequence, in first-update order (nullptr: removed
  // after the update).
  std::vector<const MessageDeliveryUpdate*> updates_;
  absl::flat_hash_map<uint64_t, size_t> updated_;  // sequence -> updates_
  std::vector<uint64_t> removes_;
  // One array per column of `messages`, filled at Flush and reused by every
  // commit (inserts use all; updates the sequence and the delivery fields;
  // removes the sequence).
  PgArray sequence_{PgElement::kInt8}, queue_id_{PgElement::kInt8};
  PgArray message_id_{PgElement::kText}, body_{PgElement::kBytea};
  PgArray attributes_{PgElement::kBytea}, system_attributes_{PgElement::kBytea};
  PgArray sender_id_{PgElement::kText}, group_id_{PgElement::kText};
  PgArray dedup_id_{PgElement::kText}, sent_{PgElement::kInt8};
  PgArray visible_at_{PgElement::kInt8}, receive_count_{PgElement::kInt4};
  PgArray first_receive_{PgElement::kInt8}, last_receive_{PgElement::kInt8};
  PgArray dead_letter_source_{PgElement::kText}, enqueued_{PgElement::kInt8};
};

}  // namespace cortado::store

#endif  // CORTADO_SERVER_STORE_POSTGRES_MESSAGE_RUNS_H_

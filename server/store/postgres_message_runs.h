// PgMessageRuns turns the message mutations between two mutations of
// another kind (the bulk of every commit: the sends, receives and deletes of
// a group commit) into one set-based statement of three parts: an INSERT
// from `unnest` of one array per column, an UPDATE joined to `unnest`, a
// DELETE with `= ANY(array)`. The parts see one snapshot and their order is
// not defined, which is safe because they touch disjoint rows: a message's
// sequence is never reused, so within a run its mutations can only be an
// insert, then updates, then a remove. An update of a message inserted in
// the run is folded into the insert, an update of one already updated
// replaces it (each carries the whole delivery state), a remove of one
// inserted in the run cancels the insert, and a remove drops the message's
// pending update.
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
  // The statement (name, SQL) Flush() sends, for the writer to prepare.
  static std::vector<std::pair<const char*, const char*>> Statements();

  explicit PgMessageRuns(PgPipeline* pipeline) : pipeline_(pipeline) {}

  // The mutations must outlive the next Flush() (they are the batch's).
  absl::Status Add(const InsertMessage& m);
  absl::Status Add(const UpdateMessageDelivery& m);
  absl::Status Add(const RemoveMessage& m);
  // Sends the current run's statement, if any rows, and starts a new run.
  absl::Status Flush();
  // Forgets the current run (its batch failed).
  void Discard();

 private:
  struct Insert {
    const MessageRecord* record;
    const MessageDeliveryUpdate* delivery = nullptr;  // folded update
    bool removed = false;                             // cancelled
  };
  // Each adds its part's parameters (empty arrays when it has no rows) and
  // returns its row count.
  size_t AddInserts(PgParams& params);
  size_t AddUpdates(PgParams& params);
  size_t AddRemoves(PgParams& params);
  // Adds `columns` (every one as long as sequence_) and clears them.
  static void AddColumns(PgParams& params,
                         std::initializer_list<PgArray*> columns);

  PgPipeline* const pipeline_;
  std::vector<Insert> inserts_;
  absl::flat_hash_map<uint64_t, size_t> inserted_;  // sequence -> inserts_
  // The latest update per sequence, in first-update order (nullptr: removed
  // after the update).
  std::vector<const MessageDeliveryUpdate*> updates_;
  absl::flat_hash_map<uint64_t, size_t> updated_;  // sequence -> updates_
  std::vector<uint64_t> removes_;
  // One array per column of `messages`, filled at Flush part by part and
  // reused by every commit (inserts use all; updates the sequence and the
  // delivery fields; removes the sequence).
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

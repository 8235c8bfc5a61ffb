// Txn collects what one group commit does: the store mutations of every
// operation planned into the batch, and the completions to run once the
// batch is committed (in planning order, outside every lock).
// Thread-safety: used by the broker's writer thread only.
#ifndef CORTADO_SERVER_CORE_TXN_H_
#define CORTADO_SERVER_CORE_TXN_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/functional/any_invocable.h"
#include "absl/status/status.h"
#include "absl/time/time.h"
#include "server/core/store.h"

namespace cortado {

class Txn {
 public:
  // Receives the commit's outcome.
  using Completion = absl::AnyInvocable<void(const absl::Status&) &&>;

  explicit Txn(absl::Time now) : now_(now) {}

  // The batch's single notion of "now".
  absl::Time now() const { return now_; }

  void Write(StoreMutation mutation) {
    batch_.mutations.push_back(std::move(mutation));
  }
  const WriteBatch& batch() const { return batch_; }

  void OnCommit(Completion completion) {
    completions_.push_back(std::move(completion));
  }
  std::vector<Completion> TakeCompletions() { return std::move(completions_); }

  // Queues whose timer deadline may have changed.
  void Touch(uint64_t queue_id) { touched_.insert(queue_id); }
  const absl::flat_hash_set<uint64_t>& touched() const { return touched_; }

  // Queues that received messages by redrive: their parked receives are
  // served once the batch's operations are planned (not recursively, so two
  // queues redriving into each other cannot loop).
  void ServeLater(uint64_t queue_id) { serve_later_.push_back(queue_id); }
  std::vector<uint64_t> TakeServeLater() { return std::move(serve_later_); }
  // A client call is answered by this batch (BrokerOptions::
  // commit_every_answer).
  void MarkAnswering() { answering_ = true; }
  bool answering() const { return answering_; }

  // A message moves to a dead-letter queue at most once per batch.
  bool MarkMoved(const std::string& message_id) {
    return moved_.insert(message_id).second;
  }

 private:
  const absl::Time now_;
  WriteBatch batch_;
  std::vector<Completion> completions_;
  absl::flat_hash_set<uint64_t> touched_;
  std::vector<uint64_t> serve_later_;
  absl::flat_hash_set<std::string> moved_;
  bool answering_ = false;
};

// Registers on `txn` a completion that answers `done` with `result`, or with
// the commit's error if the batch could not be committed.
template <typename T, typename Done>
void AnswerAfterCommit(Txn& txn, Done done, absl::StatusOr<T> result) {
  txn.OnCommit([done = std::move(done), result = std::move(result)](
                   const absl::Status& commit) mutable {
    if (!commit.ok()) {
      std::move(done)(absl::StatusOr<T>(commit));
    } else {
      std::move(done)(std::move(result));
    }
  });
}

}  // namespace cortado

#endif  // CORTADO_SERVER_CORE_TXN_H_

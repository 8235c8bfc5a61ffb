// MemoryStore keeps the committed state in memory: `--storage=memory` for
// throwaway use, and the store of the core tests. It applies batches for real
// (a Load() after commits returns what was committed), so restart logic can
// be tested without SQLite, and it can be told to fail commits (fault
// injection for the "store failed" path).
// Thread-safety: all methods take mu_.
#ifndef CORTADO_SERVER_STORE_MEMORY_STORE_H_
#define CORTADO_SERVER_STORE_MEMORY_STORE_H_

#include <cstdint>
#include <map>
#include <string>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "server/core/store.h"

namespace cortado::store {

// The tables of a MemoryStore, each keyed as its SQLite counterpart.
// Mutations are applied by an exhaustive visitor (memory_store.cc).
struct MemoryTables {
  std::map<uint64_t, QueueRecord> queues;
  std::map<std::pair<uint64_t, uint64_t>, MessageRecord> messages;
  // (queue id, scope key) -> entry.
  std::map<std::pair<uint64_t, std::string>, DedupRecord> dedup;
  // (queue id, attempt id) -> attempt.
  std::map<std::pair<uint64_t, std::string>, ReceiveAttemptRecord> attempts;
  std::map<std::string, MoveTaskRecord> move_tasks;
  std::map<uint64_t, TopicRecord> topics;
  std::map<std::string, SubscriptionRecord> subscriptions;
  // (topic id, scope key) -> entry.
  std::map<std::pair<uint64_t, std::string>, TopicDedupRecord> topic_dedup;
  uint64_t reserved_queue_ids = 0;
  uint64_t reserved_sequences = 0;
};

class MemoryStore final : public Store {
 public:
  absl::StatusOr<StoreSnapshot> LoadState(MessageVisitor on_message) override;
  absl::Status Commit(const WriteBatch& batch) override;
  // Memory holds exactly what was committed (a failed Commit, injected
  // below, changed nothing).
  absl::Status Reopen() override { return absl::OkStatus(); }
  std::string Describe() const override { return "memory"; }

  // Makes the next `n` commits fail with an I/O-like error (fault injection).
  void FailNextCommits(int n);
  // Batches committed so far.
  int64_t commits() const;

 private:
  mutable absl::Mutex mu_;
  MemoryTables tables_ ABSL_GUARDED_BY(mu_);
  int fail_next_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t commits_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace cortado::store

#endif  // CORTADO_SERVER_STORE_MEMORY_STORE_H_

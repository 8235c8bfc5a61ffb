#include "server/store/memory_store.h"

#include <iterator>
#include <map>
#include <variant>

#include "absl/status/status.h"

namespace cortado::store {
namespace {

// Erases the entries of `map`, keyed (owner id, string), that belong to
// `owner` and expired at or before `up_to`.
template <typename Map>
void EraseExpired(Map& map, uint64_t owner, absl::Time up_to) {
  for (auto it = map.lower_bound({owner, ""});
       it != map.end() && it->first.first == owner;) {
    it = it->second.expires <= up_to ? map.erase(it) : std::next(it);
  }
}

// Erases every entry of `map`, keyed (owner id, string), of `owner`.
template <typename Map>
void EraseOwner(Map& map, uint64_t owner) {
  map.erase(map.lower_bound({owner, ""}), map.lower_bound({owner + 1, ""}));
}

// Applies one mutation to the tables: one overload per StoreMutation kind
// and no catch-all, so std::visit does not compile when a kind is missing.
class ApplyMutation {
 public:
  explicit ApplyMutation(MemoryTables& t) : t_(t) {}

  void operator()(const PutQueue& m) const {
    t_.queues[m.queue.queue_id] = m.queue;
  }
  void operator()(const RemoveQueue& m) const {
    t_.queues.erase(m.queue_id);
    EraseOwner(t_.dedup, m.queue_id);
    EraseOwner(t_.attempts, m.queue_id);
    EraseMessages(m.queue_id, m.messages);
  }
  void operator()(const PurgeQueueMessages& m) const {
    EraseMessages(m.queue_id, m.messages);
  }
  void operator()(const InsertMessage& m) const {
    t_.messages[{m.message.queue_id, m.message.sequence}] = m.message;
  }
  void operator()(const UpdateMessageDelivery& m) const {
    auto it = t_.messages.find({m.update.queue_id, m.update.sequence});
    if (it == t_.messages.end()) return;
    it->second.visible_at = m.update.visible_at;
    it->second.receive_count = m.update.receive_count;
    it->second.first_receive = m.update.first_receive;
    it->second.last_receive = m.update.last_receive;
  }
  void operator()(const RemoveMessage& m) const {
    t_.messages.erase({m.queue_id, m.sequence});
  }
  void operator()(const ReserveIds& m) const {
    (m.kind == IdKind::kQueue ? t_.reserved_queue_ids : t_.reserved_sequences) =
        m.up_to;
  }
  void operator()(const PutDedup& m) const {
    t_.dedup[{m.entry.queue_id, m.entry.scope_key}] = m.entry;
  }
  void operator()(const ExpireDedup& m) const {
    EraseExpired(t_.dedup, m.queue_id, m.up_to);
  }
  void operator()(const PutReceiveAttempt& m) const {
    t_.attempts[{m.attempt.queue_id, m.attempt.attempt_id}] = m.attempt;
  }
  void operator()(const ExpireReceiveAttempts& m) const {
    EraseExpired(t_.attempts, m.queue_id, m.up_to);
  }
  void operator()(const PutTopicDedup& m) const {
    t_.topic_dedup[{m.entry.topic_id, m.entry.scope_key}] = m.entry;
  }
  void operator()(const ExpireTopicDedup& m) const {
    EraseExpired(t_.topic_dedup, m.topic_id, m.up_to);
  }
  void operator()(const PutMoveTask& m) const {
    t_.move_tasks[m.task.task_handle] = m.task;
  }
  void operator()(const PutTopic& m) const {
    t_.topics[m.topic.topic_id] = m.topic;
  }
  void operator()(const RemoveTopic& m) const {
    t_.topics.erase(m.topic_id);
    std::erase_if(t_.subscriptions, [&](const auto& entry) {
      return entry.second.topic_id == m.topic_id;
    });
    EraseOwner(t_.topic_dedup, m.topic_id);
  }
  void operator()(const PutSubscription& m) const {
    t_.subscriptions[m.subscription.subscription_id] = m.subscription;
  }
  void operator()(const RemoveSubscription& m) const {
    t_.subscriptions.erase(m.subscription_id);
  }
  // Refused by Commit before anything is applied.
  void operator()(const PutTransfer&) const {}
  void operator()(const RemoveTransfers&) const {}

 private:
  // Only within the range, as the SQLite store does: a broker that passed a
  // wrong range fails its tests here too.
  void EraseMessages(uint64_t queue_id, const SequenceRange& range) const {
    if (range.empty()) return;
    t_.messages.erase(t_.messages.lower_bound({queue_id, range.first}),
                      t_.messages.upper_bound({queue_id, range.last}));
  }

  MemoryTables& t_;
};

}  // namespace

absl::StatusOr<StoreSnapshot> MemoryStore::LoadState(
    MessageVisitor on_message) {
  absl::MutexLock lock(&mu_);
  const MemoryTables& t = tables_;
  StoreSnapshot snapshot;
  for (const auto& [id, queue] : t.queues) snapshot.queues.push_back(queue);
  // Keyed by (queue, sequence): each queue's messages in sequence order.
  // The visitor must not call back into the store (it runs under mu_).
  for (const auto& [key, message] : t.messages) {
    absl::Status status = on_message(message);
    if (!status.ok()) return status;
  }
  for (const auto& [key, entry] : t.dedup) snapshot.dedup.push_back(entry);
  for (const auto& [key, attempt] : t.attempts) {
    snapshot.receive_attempts.push_back(attempt);
  }
  for (const auto& [handle, task] : t.move_tasks) {
    snapshot.move_tasks.push_back(task);
  }
  snapshot.reserved_queue_ids = t.reserved_queue_ids;
  snapshot.reserved_sequences = t.reserved_sequences;
  for (const auto& [id, topic] : t.topics) snapshot.topics.push_back(topic);
  for (const auto& [id, subscription] : t.subscriptions) {
    snapshot.subscriptions.push_back(subscription);
  }
  for (const auto& [key, entry] : t.topic_dedup) {
    snapshot.topic_dedup.push_back(entry);
  }
  return snapshot;
}

absl::Status MemoryStore::Commit(const WriteBatch& batch) {
  absl::MutexLock lock(&mu_);
  if (fail_next_ > 0) {
    --fail_next_;
    return absl::DataLossError("injected commit failure");
  }
  for (const StoreMutation& mutation : batch.mutations) {
    if (std::holds_alternative<PutTransfer>(mutation) ||
        std::holds_alternative<RemoveTransfers>(mutation)) {
      return TransfersNeedACluster("memory");
    }
  }
  const ApplyMutation apply(tables_);
  for (const StoreMutation& mutation : batch.mutations) {
    std::visit(apply, mutation);
  }
  ++commits_;
  return absl::OkStatus();
}

void MemoryStore::FailNextCommits(int n) {
  absl::MutexLock lock(&mu_);
  fail_next_ = n;
}

int64_t MemoryStore::commits() const {
  absl::MutexLock lock(&mu_);
  return commits_;
}

}  // namespace cortado::store

#include "server/store/memory_store.h"

#include <iterator>
#include <map>
#include <type_traits>

#include "absl/status/status.h"

namespace cortado::store {

absl::StatusOr<StoreSnapshot> MemoryStore::LoadState(
    MessageVisitor on_message) {
  absl::MutexLock lock(&mu_);
  StoreSnapshot snapshot;
  for (const auto& [id, queue] : queues_) snapshot.queues.push_back(queue);
  // Keyed by (queue, sequence): each queue's messages in sequence order.
  // The visitor must not call back into the store (it runs under mu_).
  for (const auto& [key, message] : messages_) {
    absl::Status status = on_message(message);
    if (!status.ok()) return status;
  }
  for (const auto& [key, entry] : dedup_) snapshot.dedup.push_back(entry);
  for (const auto& [key, attempt] : attempts_) {
    snapshot.receive_attempts.push_back(attempt);
  }
  for (const auto& [handle, task] : move_tasks_) {
    snapshot.move_tasks.push_back(task);
  }
  snapshot.reserved_queue_ids = reserved_queue_ids_;
  snapshot.reserved_sequences = reserved_sequences_;
  for (const auto& [id, topic] : topics_) snapshot.topics.push_back(topic);
  for (const auto& [id, subscription] : subscriptions_) {
    snapshot.subscriptions.push_back(subscription);
  }
  for (const auto& [key, entry] : topic_dedup_) {
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
    std::visit(
        [this](const auto& m) {
          mu_.AssertHeld();
          using T = std::decay_t<decltype(m)>;
          if constexpr (std::is_same_v<T, PutQueue>) {
            queues_[m.queue.queue_id] = m.queue;
          } else if constexpr (std::is_same_v<T, RemoveQueue> ||
                               std::is_same_v<T, PurgeQueueMessages>) {
            if constexpr (std::is_same_v<T, RemoveQueue>) {
              queues_.erase(m.queue_id);
              dedup_.erase(dedup_.lower_bound({m.queue_id, ""}),
                           dedup_.lower_bound({m.queue_id + 1, ""}));
              attempts_.erase(attempts_.lower_bound({m.queue_id, ""}),
                              attempts_.lower_bound({m.queue_id + 1, ""}));
            }
            // Only within the range, as the SQLite store does: a broker
            // that passed a wrong range fails its tests here too.
            if (!m.messages.empty()) {
              auto end = messages_.upper_bound({m.queue_id, m.messages.last});
              messages_.erase(
                  messages_.lower_bound({m.queue_id, m.messages.first}), end);
            }
          } else if constexpr (std::is_same_v<T, InsertMessage>) {
            messages_[{m.message.queue_id, m.message.sequence}] = m.message;
          } else if constexpr (std::is_same_v<T, UpdateMessageDelivery>) {
            auto it = messages_.find({m.update.queue_id, m.update.sequence});
            if (it == messages_.end()) return;
            it->second.visible_at = m.update.visible_at;
            it->second.receive_count = m.update.receive_count;
            it->second.first_receive = m.update.first_receive;
            it->second.last_receive = m.update.last_receive;
          } else if constexpr (std::is_same_v<T, RemoveMessage>) {
            messages_.erase({m.queue_id, m.sequence});
          } else if constexpr (std::is_same_v<T, ReserveIds>) {
            (m.kind == IdKind::kQueue ? reserved_queue_ids_
                                      : reserved_sequences_) = m.up_to;
          } else if constexpr (std::is_same_v<T, PutDedup>) {
            dedup_[{m.entry.queue_id, m.entry.scope_key}] = m.entry;
          } else if constexpr (std::is_same_v<T, ExpireDedup>) {
            for (auto it = dedup_.lower_bound({m.queue_id, ""});
                 it != dedup_.end() && it->first.first == m.queue_id;) {
              it = it->second.expires <= m.up_to ? dedup_.erase(it)
                                                 : std::next(it);
            }
          } else if constexpr (std::is_same_v<T, PutReceiveAttempt>) {
            attempts_[{m.attempt.queue_id, m.attempt.attempt_id}] = m.attempt;
          } else if constexpr (std::is_same_v<T, ExpireReceiveAttempts>) {
            for (auto it = attempts_.lower_bound({m.queue_id, ""});
                 it != attempts_.end() && it->first.first == m.queue_id;) {
              it = it->second.expires <= m.up_to ? attempts_.erase(it)
                                                 : std::next(it);
            }
          } else if constexpr (std::is_same_v<T, PutTopicDedup>) {
            topic_dedup_[{m.entry.topic_id, m.entry.scope_key}] = m.entry;
          } else if constexpr (std::is_same_v<T, ExpireTopicDedup>) {
            for (auto it = topic_dedup_.lower_bound({m.topic_id, ""});
                 it != topic_dedup_.end() && it->first.first == m.topic_id;) {
              it = it->second.expires <= m.up_to ? topic_dedup_.erase(it)
                                                 : std::next(it);
            }
          } else if constexpr (std::is_same_v<T, PutMoveTask>) {
            move_tasks_[m.task.task_handle] = m.task;
          } else if constexpr (std::is_same_v<T, PutTopic>) {
            topics_[m.topic.topic_id] = m.topic;
          } else if constexpr (std::is_same_v<T, RemoveTopic>) {
            topics_.erase(m.topic_id);
            std::erase_if(subscriptions_, [&](const auto& entry) {
              return entry.second.topic_id == m.topic_id;
            });
            topic_dedup_.erase(topic_dedup_.lower_bound({m.topic_id, ""}),
                               topic_dedup_.lower_bound({m.topic_id + 1, ""}));
          } else if constexpr (std::is_same_v<T, PutSubscription>) {
            subscriptions_[m.subscription.subscription_id] = m.subscription;
          } else if constexpr (std::is_same_v<T, RemoveSubscription>) {
            subscriptions_.erase(m.subscription_id);
          }
        },
        mutation);
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

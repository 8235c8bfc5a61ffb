#include "server/core/queue.h"

#include <algorithm>

namespace cortado {

StoredMessage& Queue::Add(MessageRecord record, absl::Time now) {
  const uint64_t sequence = record.sequence;
  StoredMessage& message = messages_[sequence];
  message.record = std::move(record);
  by_sent_.insert({message.record.sent, sequence});
  MessageState state = MessageState::kVisible;
  if (message.record.visible_at > now) {
    state = message.record.receive_count > 0 ? MessageState::kInFlight
                                             : MessageState::kDelayed;
  }
  Index(message, state);
  if (fifo()) {
    Group& group = groups_[message.record.message_group_id];
    group.sequences.insert(sequence);
    if (state == MessageState::kInFlight) ++group.in_flight;
    RefreshGroup(message.record.message_group_id);
  }
  return message;
}

StoredMessage* Queue::Find(uint64_t sequence) {
  auto it = messages_.find(sequence);
  return it == messages_.end() ? nullptr : &it->second;
}

const absl::btree_set<uint64_t>& Queue::GroupMessages(
    const std::string& group_id) const {
  static const absl::btree_set<uint64_t>* const kNone =
      new absl::btree_set<uint64_t>();
  auto it = groups_.find(group_id);
  return it == groups_.end() ? *kNone : it->second.sequences;
}

void Queue::Index(StoredMessage& message, MessageState state) {
  const uint64_t sequence = message.record.sequence;
  message.state = state;
  switch (state) {
    case MessageState::kVisible:
      visible_.insert(sequence);
      break;
    case MessageState::kDelayed:
      delayed_.insert({message.record.visible_at, sequence});
      break;
    case MessageState::kInFlight:
      in_flight_.insert({message.record.visible_at, sequence});
      break;
  }
}

void Queue::Unindex(const StoredMessage& message) {
  const uint64_t sequence = message.record.sequence;
  switch (message.state) {
    case MessageState::kVisible:
      visible_.erase(sequence);
      break;
    case MessageState::kDelayed:
      delayed_.erase({message.record.visible_at, sequence});
      break;
    case MessageState::kInFlight:
      in_flight_.erase({message.record.visible_at, sequence});
      break;
  }
}

void Queue::RefreshGroup(const std::string& group_id) {
  auto it = groups_.find(group_id);
  if (it == groups_.end()) return;
  Group& group = it->second;
  uint64_t head = 0;
  if (!group.sequences.empty() && group.in_flight == 0) {
    const uint64_t oldest = *group.sequences.begin();
    // Strict order: a delayed oldest message holds back the whole group.
    if (messages_.at(oldest).state == MessageState::kVisible) head = oldest;
  }
  if (head != group.ready_head) {
    if (group.ready_head != 0) ready_heads_.erase(group.ready_head);
    if (head != 0) ready_heads_.insert(head);
    group.ready_head = head;
  }
  if (group.sequences.empty()) groups_.erase(it);
}

void Queue::Remove(uint64_t sequence) {
  auto it = messages_.find(sequence);
  if (it == messages_.end()) return;
  Unindex(it->second);
  by_sent_.erase({it->second.record.sent, sequence});
  if (fifo()) {
    const std::string group_id = it->second.record.message_group_id;
    Group& group = groups_[group_id];
    group.sequences.erase(sequence);
    if (it->second.state == MessageState::kInFlight) --group.in_flight;
    messages_.erase(it);
    RefreshGroup(group_id);
    return;
  }
  messages_.erase(it);
}

void Queue::Clear() {
  messages_.clear();
  visible_.clear();
  delayed_.clear();
  in_flight_.clear();
  by_sent_.clear();
  groups_.clear();
  ready_heads_.clear();
}

void Queue::SetInFlight(StoredMessage& message, absl::Time deadline) {
  const MessageState before = message.state;
  Unindex(message);
  message.record.visible_at = deadline;
  Index(message, MessageState::kInFlight);
  if (fifo() && before != MessageState::kInFlight) {
    ++groups_[message.record.message_group_id].in_flight;
    RefreshGroup(message.record.message_group_id);
  }
}

void Queue::SetVisible(StoredMessage& message, absl::Time now) {
  const MessageState before = message.state;
  Unindex(message);
  message.record.visible_at = std::min(message.record.visible_at, now);
  Index(message, MessageState::kVisible);
  if (fifo()) {
    if (before == MessageState::kInFlight) {
      --groups_[message.record.message_group_id].in_flight;
    }
    RefreshGroup(message.record.message_group_id);
  }
}

int Queue::ReleaseDue(absl::Time now) {
  int released = 0;
  for (TimeIndex* index : {&delayed_, &in_flight_}) {
    while (!index->empty() && index->begin()->first <= now) {
      StoredMessage& message = messages_.at(index->begin()->second);
      SetVisible(message, now);
      ++released;
    }
  }
  return released;
}

std::vector<uint64_t> Queue::RemoveExpired(absl::Time now) {
  std::vector<uint64_t> expired;
  const absl::Duration keep = retention();
  while (!by_sent_.empty() && by_sent_.begin()->first + keep <= now) {
    expired.push_back(by_sent_.begin()->second);
    Remove(by_sent_.begin()->second);
  }
  return expired;
}

absl::Time Queue::NextDeadline() const {
  absl::Time next = absl::InfiniteFuture();
  if (!delayed_.empty()) next = std::min(next, delayed_.begin()->first);
  if (!in_flight_.empty()) next = std::min(next, in_flight_.begin()->first);
  if (!by_sent_.empty()) {
    next = std::min(next, by_sent_.begin()->first + retention());
  }
  return std::min(next, dedup_.NextExpiry());
}

}  // namespace cortado

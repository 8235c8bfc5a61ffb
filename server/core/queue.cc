#include "server/core/queue.h"

#include <algorithm>

namespace cortado {

StoredMessage& Queue::Add(MessageRecord record, absl::Time now) {
  const uint64_t sequence = record.sequence;
  StoredMessage& message = messages_[sequence];
  message.record = std::move(record);
  by_sent_.insert({message.record.sent, sequence});
  if (message.record.visible_at > now) {
    if (message.record.receive_count > 0) {
      message.state = MessageState::kInFlight;
      in_flight_.insert({message.record.visible_at, sequence});
    } else {
      message.state = MessageState::kDelayed;
      delayed_.insert({message.record.visible_at, sequence});
    }
  } else {
    message.state = MessageState::kVisible;
    visible_.insert(sequence);
  }
  return message;
}

StoredMessage* Queue::Find(uint64_t sequence) {
  auto it = messages_.find(sequence);
  return it == messages_.end() ? nullptr : &it->second;
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

void Queue::Remove(uint64_t sequence) {
  auto it = messages_.find(sequence);
  if (it == messages_.end()) return;
  Unindex(it->second);
  by_sent_.erase({it->second.record.sent, sequence});
  messages_.erase(it);
}

void Queue::Clear() {
  messages_.clear();
  visible_.clear();
  delayed_.clear();
  in_flight_.clear();
  by_sent_.clear();
}

void Queue::SetInFlight(StoredMessage& message, absl::Time deadline) {
  Unindex(message);
  message.record.visible_at = deadline;
  message.state = MessageState::kInFlight;
  in_flight_.insert({deadline, message.record.sequence});
}

void Queue::SetVisible(StoredMessage& message, absl::Time now) {
  Unindex(message);
  message.record.visible_at = std::min(message.record.visible_at, now);
  message.state = MessageState::kVisible;
  visible_.insert(message.record.sequence);
}

int Queue::ReleaseDue(absl::Time now) {
  int released = 0;
  for (TimeIndex* index : {&delayed_, &in_flight_}) {
    while (!index->empty() && index->begin()->first <= now) {
      const uint64_t sequence = index->begin()->second;
      index->erase(index->begin());
      StoredMessage& message = messages_.at(sequence);
      message.state = MessageState::kVisible;
      visible_.insert(sequence);
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
  return next;
}

}  // namespace cortado

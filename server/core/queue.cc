#include "server/core/queue.h"

#include <algorithm>

namespace cortado {

Message& Queue::Add(Message::Ptr added, absl::Time now) {
  const uint64_t sequence = added->sequence();
  Message& message = *added;
  // New messages take the highest sequence so far: hinted inserts at the
  // end skip the descent from the root (at load, a million times).
  messages_.insert_or_assign(messages_.end(), sequence, std::move(added));
  IndexSent(message);
  MessageState state = MessageState::kVisible;
  if (message.visible_at_ > ToNanos(now)) {
    state = message.receive_count_ > 0 ? MessageState::kInFlight
                                       : MessageState::kDelayed;
  }
  Index(message, state);
  if (fifo()) {
    Group& group = groups_[message.message_group_id()];
    group.sequences.insert(sequence);
    if (state == MessageState::kInFlight) ++group.in_flight;
    RefreshGroup(message.message_group_id());
  }
  return message;
}

Message* Queue::Find(uint64_t sequence) {
  auto it = messages_.find(sequence);
  return it == messages_.end() ? nullptr : it->second.get();
}

const absl::btree_set<uint64_t>& Queue::GroupMessages(
    const std::string& group_id) const {
  static const absl::btree_set<uint64_t>* const kNone =
      new absl::btree_set<uint64_t>();
  auto it = groups_.find(group_id);
  return it == groups_.end() ? *kNone : it->second.sequences;
}

void Queue::Index(Message& message, MessageState state) {
  const uint64_t sequence = message.sequence();
  message.state_ = state;
  switch (state) {
    case MessageState::kVisible:
      visible_.insert(visible_.end(), sequence);
      break;
    case MessageState::kDelayed:
      delayed_.insert({message.visible_at_, sequence});
      break;
    case MessageState::kInFlight:
      in_flight_.insert({message.visible_at_, sequence});
      break;
  }
}

void Queue::Unindex(const Message& message) {
  const uint64_t sequence = message.sequence();
  switch (message.state_) {
    case MessageState::kVisible:
      visible_.erase(sequence);
      break;
    case MessageState::kDelayed:
      delayed_.erase({message.visible_at_, sequence});
      break;
    case MessageState::kInFlight:
      in_flight_.erase({message.visible_at_, sequence});
      break;
  }
}

void Queue::IndexSent(Message& message) {
  const uint64_t sequence = message.sequence();
  const int64_t enqueued = message.enqueued_nanos();
  if (sequence > in_order_sequence_ && enqueued >= in_order_sent_) {
    message.flags_ |= Message::kSentInOrder;
    if (oldest_in_order_ == 0) oldest_in_order_ = sequence;
    in_order_sequence_ = sequence;
    in_order_sent_ = enqueued;
  } else {
    message.flags_ &= ~Message::kSentInOrder;
    sent_out_of_order_.insert({enqueued, sequence});
  }
}

void Queue::UnindexSent(const Message& message) {
  const uint64_t sequence = message.sequence();
  if (!(message.flags_ & Message::kSentInOrder)) {
    sent_out_of_order_.erase({message.enqueued_nanos(), sequence});
    return;
  }
  if (sequence != oldest_in_order_) return;
  // The next in-order message, if any, is the oldest now. Called before
  // `message` leaves messages_, so start after it.
  auto it = messages_.upper_bound(sequence);
  while (it != messages_.end() &&
         !(it->second->flags_ & Message::kSentInOrder)) {
    ++it;
  }
  oldest_in_order_ = it == messages_.end() ? 0 : it->first;
}

std::optional<std::pair<int64_t, uint64_t>> Queue::OldestSent() const {
  std::optional<std::pair<int64_t, uint64_t>> oldest;
  if (oldest_in_order_ != 0) {
    oldest = {messages_.at(oldest_in_order_)->enqueued_nanos(),
              oldest_in_order_};
  }
  if (!sent_out_of_order_.empty() &&
      (!oldest || *sent_out_of_order_.begin() < *oldest)) {
    oldest = *sent_out_of_order_.begin();
  }
  return oldest;
}

std::optional<absl::Time> Queue::OldestSentTime() const {
  std::optional<std::pair<int64_t, uint64_t>> oldest = OldestSent();
  if (!oldest.has_value()) return std::nullopt;
  return FromNanos(oldest->first);
}

void Queue::RefreshGroup(const std::string& group_id) {
  auto it = groups_.find(group_id);
  if (it == groups_.end()) return;
  Group& group = it->second;
  uint64_t head = 0;
  if (!group.sequences.empty() && group.in_flight == 0) {
    const uint64_t oldest = *group.sequences.begin();
    // Strict order: a delayed oldest message holds back the whole group.
    if (messages_.at(oldest)->state_ == MessageState::kVisible) head = oldest;
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
  const Message& message = *it->second;
  Unindex(message);
  UnindexSent(message);
  if (fifo()) {
    const std::string group_id = message.message_group_id();
    Group& group = groups_[group_id];
    group.sequences.erase(sequence);
    if (message.state_ == MessageState::kInFlight) --group.in_flight;
    messages_.erase(it);
    RefreshGroup(group_id);
    return;
  }
  messages_.erase(it);
}

SequenceRange Queue::Sequences() const {
  if (messages_.empty()) return SequenceRange::Empty();
  return {messages_.begin()->first, messages_.rbegin()->first};
}

void Queue::Clear() {
  messages_.clear();
  visible_.clear();
  delayed_.clear();
  in_flight_.clear();
  oldest_in_order_ = 0;
  sent_out_of_order_.clear();
  in_order_sequence_ = 0;
  in_order_sent_ = std::numeric_limits<int64_t>::min();
  groups_.clear();
  ready_heads_.clear();
}

void Queue::SetInFlight(Message& message, absl::Time deadline) {
  const MessageState before = message.state_;
  Unindex(message);
  message.visible_at_ = ToNanos(deadline);
  Index(message, MessageState::kInFlight);
  if (fifo() && before != MessageState::kInFlight) {
    ++groups_[message.message_group_id()].in_flight;
    RefreshGroup(message.message_group_id());
  }
}

void Queue::SetVisible(Message& message, absl::Time now) {
  const MessageState before = message.state_;
  Unindex(message);
  message.visible_at_ = std::min(message.visible_at_, ToNanos(now));
  Index(message, MessageState::kVisible);
  if (fifo()) {
    if (before == MessageState::kInFlight) {
      --groups_[message.message_group_id()].in_flight;
    }
    RefreshGroup(message.message_group_id());
  }
}

void Queue::Hold(Message& message, absl::Time now, absl::Time deadline) {
  if (deadline > now) {
    SetInFlight(message, deadline);
    return;
  }
  if (message.state_ != MessageState::kVisible) SetVisible(message, now);
  // Visible messages are indexed by sequence only, so this needs no reindex.
  message.visible_at_ = ToNanos(deadline);
}

int Queue::ReleaseDue(absl::Time now) {
  int released = 0;
  const int64_t now_nanos = ToNanos(now);
  for (TimeIndex* index : {&delayed_, &in_flight_}) {
    while (!index->empty() && index->begin()->first <= now_nanos) {
      Message& message = *messages_.at(index->begin()->second);
      SetVisible(message, now);
      ++released;
    }
  }
  return released;
}

std::vector<uint64_t> Queue::RemoveExpired(absl::Time now) {
  std::vector<uint64_t> expired;
  const absl::Duration keep = retention();
  for (auto oldest = OldestSent();
       oldest.has_value() && FromNanos(oldest->first) + keep <= now;
       oldest = OldestSent()) {
    expired.push_back(oldest->second);
    Remove(oldest->second);
  }
  return expired;
}

absl::Time Queue::NextDeadline() const {
  absl::Time next = absl::InfiniteFuture();
  if (!delayed_.empty()) {
    next = std::min(next, FromNanos(delayed_.begin()->first));
  }
  if (!in_flight_.empty()) {
    next = std::min(next, FromNanos(in_flight_.begin()->first));
  }
  if (auto oldest = OldestSent(); oldest.has_value()) {
    next = std::min(next, FromNanos(oldest->first) + retention());
  }
  return std::min({next, dedup_.NextExpiry(), attempts_.NextExpiry()});
}

}  // namespace cortado

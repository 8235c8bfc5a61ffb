// Message is the in-memory form of one queued message, laid out for a small
// footprint because a broker may hold millions of them (issue 8, M1):
// - one allocation holds the fixed fields and the body (no std::string per
//   field, no separate node);
// - the fields most messages leave empty (message and system attributes,
//   FIFO group and deduplication ids, a dead-letter source ARN, a message
//   id that is not a UUID) live in one MessageExtras behind a pointer that
//   is null when all are empty;
// - the sender id is a 4-byte index into the broker's SenderIds;
// - a message id in the canonical UUID form the broker generates
//   (8-4-4-4-12 lower-case hex) is kept as its 16 bytes and formatted on
//   output; any other id (from older data) is kept verbatim in the extras,
//   so every id round-trips exactly;
// - times are int64 nanoseconds since the Unix epoch (0 = the epoch, which
//   is "never" for the receive times), exact for every clock reading.
// The MessageRecord of the store API is built from it on demand (ToRecord).
// Thread-safety: not thread-safe; owned by its Queue, which the Broker guards.
#ifndef CORTADO_SERVER_CORE_MESSAGE_H_
#define CORTADO_SERVER_CORE_MESSAGE_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "server/core/message_attributes.h"
#include "server/core/sender_ids.h"
#include "server/core/store.h"

namespace cortado {

enum class MessageState : uint8_t { kDelayed, kVisible, kInFlight };

// Nanoseconds since the Unix epoch, the in-memory form of message times.
inline int64_t ToNanos(absl::Time t) { return absl::ToUnixNanos(t); }
inline absl::Time FromNanos(int64_t ns) { return absl::FromUnixNanos(ns); }

// The rarely set fields of a message.
struct MessageExtras {
  MessageAttributes attributes;
  MessageAttributes system_attributes;  // AWSTraceHeader
  std::string message_group_id;
  std::string message_deduplication_id;
  std::string dead_letter_source_arn;
  std::string message_id;  // when not a canonical UUID
  // Nanoseconds; 0: retention counts from the send time (MessageRecord).
  int64_t enqueued = 0;
};

class Message {
 public:
  struct Deleter {
    void operator()(Message* message) const;
  };
  using Ptr = std::unique_ptr<Message, Deleter>;

  // Packs `record` (its queue_id is not kept: the owning queue knows it),
  // interning its sender id in `senders`.
  static Ptr Make(const MessageRecord& record, SenderIds& senders);
  // The full record, as the store and moves between queues need it.
  MessageRecord ToRecord(uint64_t queue_id, const SenderIds& senders) const;
  // The delivery fields a receive or visibility change persists.
  MessageDeliveryUpdate DeliveryUpdate(uint64_t queue_id) const;

  Message(const Message&) = delete;
  Message& operator=(const Message&) = delete;

  uint64_t sequence() const { return sequence_; }
  std::string message_id() const;
  absl::string_view body() const {
    return absl::string_view(reinterpret_cast<const char*>(this + 1),
                             body_size_);
  }
  const MessageAttributes& attributes() const;
  const MessageAttributes& system_attributes() const;
  const std::string& sender_id(const SenderIds& senders) const {
    return senders.Get(sender_);
  }
  const std::string& message_group_id() const;
  const std::string& message_deduplication_id() const;
  const std::string& dead_letter_source_arn() const;

  absl::Time sent() const { return FromNanos(sent_); }
  int64_t sent_nanos() const { return sent_; }
  // When retention started counting: the send time, or the move to a FIFO
  // dead-letter queue.
  absl::Time enqueued() const { return FromNanos(enqueued_nanos()); }
  int64_t enqueued_nanos() const {
    return extras_ && extras_->enqueued != 0 ? extras_->enqueued : sent_;
  }
  absl::Time visible_at() const { return FromNanos(visible_at_); }
  int64_t visible_at_nanos() const { return visible_at_; }
  int32_t receive_count() const { return receive_count_; }
  absl::Time first_receive() const { return FromNanos(first_receive_); }
  absl::Time last_receive() const { return FromNanos(last_receive_); }
  MessageState state() const { return state_; }

  // Counts a receive at `now` (receive count, first and last receive). The
  // visibility that follows is the Queue's business (Queue::Hold).
  void CountReceive(absl::Time now);

 private:
  friend class Queue;  // keeps state_, visible_at_ and its bit in step
                       // with its indexes
  enum Flag : uint8_t {
    kUuidId = 1,       // id_ holds the message id
    kSentInOrder = 2,  // Queue: indexed by sequence for retention
  };
  Message() = default;
  ~Message() = default;
  const MessageExtras* extras() const { return extras_.get(); }

  uint64_t sequence_ = 0;
  int64_t sent_ = 0;
  int64_t visible_at_ = 0;
  int64_t first_receive_ = 0;
  int64_t last_receive_ = 0;
  std::unique_ptr<MessageExtras> extras_;
  uint8_t id_[16] = {};
  int32_t receive_count_ = 0;
  uint32_t body_size_ = 0;
  MessageState state_ = MessageState::kVisible;
  uint8_t flags_ = 0;
  uint32_t sender_ = 0;  // index in SenderIds
  // The body follows the object in the same allocation.
};

}  // namespace cortado

#endif  // CORTADO_SERVER_CORE_MESSAGE_H_

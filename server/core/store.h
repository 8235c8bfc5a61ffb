// Store is the durable home of the broker's state. The broker commits one
// WriteBatch per group commit and reads everything back with LoadState() at
// start.
// Implementations: server/store/sqlite_store (durable) and MemoryStore.
// Thread-safety: Commit is called by the broker's single writer thread only;
// Load is called once before any Commit.
#ifndef CORTADO_SERVER_CORE_STORE_H_
#define CORTADO_SERVER_CORE_STORE_H_

#include <cstdint>
#include <limits>
#include <string>
#include <variant>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "server/core/api.h"
#include "server/core/message_attributes.h"
#include "server/core/queue_attributes.h"

namespace cortado {

// A queue's persistent fields. Queue ids are never reused, so a receipt
// handle of a deleted queue can never match a new queue of the same name.
struct QueueRecord {
  uint64_t queue_id = 0;
  std::string name;
  QueueAttributes attributes;
  TagMap tags;
  absl::Time created = absl::UnixEpoch();
  absl::Time last_modified = absl::UnixEpoch();
};

// A message's persistent fields. `sequence` is unique across the broker and
// orders messages within a queue.
struct MessageRecord {
  uint64_t queue_id = 0;
  uint64_t sequence = 0;
  std::string message_id;
  std::string body;
  MessageAttributes attributes;
  MessageAttributes system_attributes;  // AWSTraceHeader
  std::string sender_id;
  std::string message_group_id;
  std::string message_deduplication_id;
  // Set when redrive moved the message to a dead-letter queue: the source.
  std::string dead_letter_source_arn;
  absl::Time sent = absl::UnixEpoch();
  // When retention starts counting, if not at `sent` (the epoch means "at
  // sent"): a message moved to a FIFO dead-letter queue is enqueued anew
  // there, as in SQS, while its SentTimestamp stays.
  absl::Time enqueued = absl::UnixEpoch();
  // When the message is (or was) visible: sent+delay before the first
  // receive, the visibility deadline after a receive.
  absl::Time visible_at = absl::UnixEpoch();
  int32_t receive_count = 0;
  absl::Time first_receive = absl::UnixEpoch();  // epoch = never received
  absl::Time last_receive = absl::UnixEpoch();
};

// The delivery fields a receive or visibility change updates.
struct MessageDeliveryUpdate {
  uint64_t queue_id = 0;
  uint64_t sequence = 0;
  absl::Time visible_at;
  int32_t receive_count = 0;
  absl::Time first_receive;
  absl::Time last_receive;
};

struct PutQueue {
  QueueRecord queue;
};
// The sequences of a queue's messages lie within [first, last]: a store may
// look for a queue's messages in that range only (the SQLite store keeps no
// index by queue, so it scans that range of the table instead of all of it).
// The broker, whose memory holds exactly the messages the store holds,
// passes its queue's lowest and highest sequence; `Empty()` when the queue
// holds none. The default covers every sequence.
struct SequenceRange {
  uint64_t first = 0;
  uint64_t last = std::numeric_limits<int64_t>::max();
  static SequenceRange Empty() { return {1, 0}; }
  bool empty() const { return first > last; }
};
// Also removes the queue's messages (those within `messages`), its
// deduplication window and its receive attempts.
struct RemoveQueue {
  uint64_t queue_id = 0;
  SequenceRange messages;
};
struct InsertMessage {
  MessageRecord message;
};
struct UpdateMessageDelivery {
  MessageDeliveryUpdate update;
};
struct RemoveMessage {
  uint64_t queue_id = 0;
  uint64_t sequence = 0;
};
// Removes the queue's messages; all of them lie within `messages`.
struct PurgeQueueMessages {
  uint64_t queue_id = 0;
  SequenceRange messages;
};
// Ids are handed out from reserved blocks: every id below `up_to` may have
// been used, so after a restart ids continue from there and are never
// reused, even when the rows that carried them were deleted.
enum class IdKind { kQueue, kSequence };
struct ReserveIds {
  IdKind kind = IdKind::kSequence;
  uint64_t up_to = 0;
};

// One entry of a FIFO queue's 5-minute deduplication window: a later send
// with the same scope key before `expires` is answered with this message's
// id and sequence number and not enqueued.
struct DedupRecord {
  uint64_t queue_id = 0;
  std::string scope_key;  // dedup id, or "<group id> <dedup id>"
  std::string message_id;
  std::string sequence_number;
  absl::Time expires = absl::UnixEpoch();
};
struct PutDedup {
  DedupRecord entry;
};
// Drops a queue's window entries that expired at or before `up_to`.
struct ExpireDedup {
  uint64_t queue_id = 0;
  absl::Time up_to;
};

// A FIFO receive made with a ReceiveRequestAttemptId: a retry with the same
// id before `expires` answers the same messages with the same receipt
// handles (which derive from queue, sequence and receive count, so they
// survive a restart) while each message still has the receive count and
// visibility deadline that receive gave it.
struct ReceiveAttemptRecord {
  struct Taken {
    uint64_t sequence = 0;
    int32_t receive_count = 0;
    absl::Time visible_at = absl::UnixEpoch();  // the deadline it set
    bool operator==(const Taken&) const = default;
  };
  uint64_t queue_id = 0;
  std::string attempt_id;
  std::vector<Taken> taken;
  absl::Time expires = absl::UnixEpoch();
};
// Adds or replaces an attempt (a replay moves its messages' deadlines).
struct PutReceiveAttempt {
  ReceiveAttemptRecord attempt;
};
// Drops a queue's attempts that expired at or before `up_to`.
struct ExpireReceiveAttempts {
  uint64_t queue_id = 0;
  absl::Time up_to;
};

// A message move task (StartMessageMoveTask): moves the messages of a
// dead-letter queue back to their sources or to a destination. Its progress
// is written in the same commit as the messages it moved, so after a crash
// the task resumes exactly where it was.
struct MoveTaskRecord {
  std::string task_handle;
  uint64_t source_queue_id = 0;
  std::string source_arn;
  std::string destination_arn;  // empty: each message's own source queue
  int32_t max_per_second = 0;   // 0: as fast as possible
  // RUNNING, COMPLETED, CANCELLING, CANCELLED, FAILED.
  std::string status;
  int64_t moved = 0;
  int64_t to_move = 0;  // messages in the source when the task started
  // Messages with a sequence above this were sent after the task started
  // and are not moved.
  uint64_t last_sequence = 0;
  std::string failure_reason;
  absl::Time started = absl::UnixEpoch();
};
struct PutMoveTask {
  MoveTaskRecord task;
};

// A topic's persistent fields (SNS). Attributes are SNS's strings as set
// (DisplayName, Policy, FifoTopic, ...).
struct TopicRecord {
  uint64_t topic_id = 0;
  std::string name;
  bool fifo = false;
  AttributeMap attributes;
  TagMap tags;
  absl::Time created = absl::UnixEpoch();
};
// A subscription; `subscription_id` is the uuid ending its ARN. Attributes:
// RawMessageDelivery, FilterPolicy, FilterPolicyScope, RedrivePolicy, ...
struct SubscriptionRecord {
  std::string subscription_id;
  uint64_t topic_id = 0;
  std::string protocol;
  std::string endpoint;
  AttributeMap attributes;
  absl::Time created = absl::UnixEpoch();
  // HTTP(S) subscriptions wait for their endpoint to confirm (SNS's
  // "PendingConfirmation"); queue subscriptions are confirmed at once.
  bool pending_confirmation = false;
  // The token of the SubscriptionConfirmation the endpoint was sent, which
  // ConfirmSubscription must present ("" for queue subscriptions).
  std::string confirmation_token;
  // Whether the ConfirmSubscription was signed (always true for queues),
  // and whether it asked that only signed calls may unsubscribe.
  bool confirmation_authenticated = true;
  bool authenticate_on_unsubscribe = false;
};
struct PutTopic {
  TopicRecord topic;
};
// Also removes the topic's subscriptions and deduplication window.
struct RemoveTopic {
  uint64_t topic_id = 0;
};
struct PutSubscription {
  SubscriptionRecord subscription;
};
struct RemoveSubscription {
  std::string subscription_id;
};

// One entry of a FIFO topic's 5-minute deduplication window: a later Publish
// with the same scope key before `expires` is answered with this publish's
// MessageId and SequenceNumber and delivers nothing.
struct TopicDedupRecord {
  uint64_t topic_id = 0;
  std::string scope_key;  // dedup id, or "<group id> <dedup id>"
  std::string message_id;
  std::string sequence_number;
  absl::Time expires = absl::UnixEpoch();
};
struct PutTopicDedup {
  TopicDedupRecord entry;
};
// Drops a topic's window entries that expired at or before `up_to`.
struct ExpireTopicDedup {
  uint64_t topic_id = 0;
  absl::Time up_to;
};

// Cluster mode (docs/CLUSTER.md): a message on its way to a queue in
// another partition, through the transactional outbox. The sending
// partition writes it in the same commit as what caused it (a publish, a
// message leaving its queue for a dead-letter queue or a move task's
// destination); the partition of the queue takes it in with one commit that
// both enqueues it and removes the transfer (RemoveTransfers), so it
// arrives exactly once, whichever node dies when. Only the cluster's
// PostgreSQL store holds transfers; the others refuse them.
struct TransferRecord {
  enum class Kind : int16_t {
    // A SendMessage into the queue (an SNS delivery): the receiving queue
    // gives it a new id and applies its own rules (size, delay, FIFO
    // deduplication with `message.message_deduplication_id`).
    kSend = 1,
    // A message moving between queues: enqueued as it is, with the same id,
    // body, attributes and send time; the receiver only gives it its place
    // (queue id, sequence) and makes it visible.
    kMove = 2,
  };
  uint64_t transfer_id = 0;  // given by the store; unused in PutTransfer
  int32_t partition = 0;     // the partition of `queue_name`
  Kind kind = Kind::kSend;
  std::string queue_name;
  // Where the message goes instead when `queue_name` does not exist or
  // refuses it ("": nowhere, it is dropped and counted): an SNS
  // subscription's dead-letter queue, or the queue a message was moving
  // out of.
  std::string fallback_queue;
  // kSend uses body, attributes, system_attributes, sender_id,
  // message_group_id and message_deduplication_id; kMove all but queue_id,
  // sequence and visible_at.
  MessageRecord message;
  absl::Time created = absl::UnixEpoch();
};
struct PutTransfer {
  TransferRecord transfer;
};
// Removes transfers to this store's partition, all of which must still be
// there (the commit fails otherwise: a transfer taken twice would be a
// message delivered twice).
struct RemoveTransfers {
  std::vector<uint64_t> transfer_ids;
};
// What a store without transfers answers a batch that holds one (nothing of
// the batch is written).
inline absl::Status TransfersNeedACluster(absl::string_view store) {
  return absl::FailedPreconditionError(
      absl::StrCat("the ", store,
                   " store holds no transfers between partitions: they exist "
                   "only in cluster mode, on PostgreSQL"));
}

using StoreMutation =
    std::variant<PutQueue, RemoveQueue, InsertMessage, UpdateMessageDelivery,
                 RemoveMessage, PurgeQueueMessages, ReserveIds, PutDedup,
                 ExpireDedup, PutMoveTask, PutTopic, RemoveTopic,
                 PutSubscription, RemoveSubscription, PutReceiveAttempt,
                 ExpireReceiveAttempts, PutTopicDedup, ExpireTopicDedup,
                 PutTransfer, RemoveTransfers>;

// Mutations committed atomically, in order.
struct WriteBatch {
  std::vector<StoreMutation> mutations;
  bool empty() const { return mutations.empty(); }
};

// Everything the store holds, for recovery.
struct StoreSnapshot {
  std::vector<QueueRecord> queues;
  std::vector<MessageRecord> messages;  // Load() only; any order
  std::vector<DedupRecord> dedup;       // may include expired entries
  std::vector<MoveTaskRecord> move_tasks;
  std::vector<ReceiveAttemptRecord> receive_attempts;  // may include expired
  uint64_t reserved_queue_ids = 0;  // last ReserveIds of each kind
  uint64_t reserved_sequences = 0;
  std::vector<TopicRecord> topics;
  std::vector<SubscriptionRecord> subscriptions;
  std::vector<TopicDedupRecord> topic_dedup;  // may include expired entries
};

class Store {
 public:
  virtual ~Store() = default;

  // Reads the whole state, once, before the first Commit. The messages are
  // not collected in the snapshot (at a million messages that vector alone
  // costs hundreds of MB and a copy of each): each is handed to
  // `on_message`, those of one queue in increasing sequence order. The
  // record lives only for the call. An error from `on_message` ends the
  // load with that error.
  using MessageVisitor =
      absl::FunctionRef<absl::Status(const MessageRecord& message)>;
  virtual absl::StatusOr<StoreSnapshot> LoadState(
      MessageVisitor on_message) = 0;

  // The whole state with the messages in snapshot.messages (tests, tools).
  absl::StatusOr<StoreSnapshot> Load() {
    std::vector<MessageRecord> messages;
    absl::StatusOr<StoreSnapshot> snapshot =
        LoadState([&](const MessageRecord& message) {
          messages.push_back(message);
          return absl::OkStatus();
        });
    if (snapshot.ok()) snapshot->messages = std::move(messages);
    return snapshot;
  }

  // Makes `batch` durable (all or nothing). An error means nothing of the
  // batch may be assumed persisted; the broker then refuses further writes.
  // The batch may be empty (BrokerOptions::commit_every_answer): a store
  // with a fence checks it all the same.
  virtual absl::Status Commit(const WriteBatch& batch) = 0;

  // After a failed Commit: lets go of whatever the store holds open and
  // opens it again, so that the next LoadState reads exactly what is
  // durable (the failed batch may or may not be in it: a commit whose
  // answer was lost). The broker then reloads all its state from there
  // (Broker::Recover). Unavailable while the backing database cannot be
  // reached (worth retrying); Unimplemented for stores that cannot recover
  // in place, whose failures need a restart of the process.
  virtual absl::Status Reopen() {
    return absl::UnimplementedError(
        absl::StrCat("the ", Describe(),
                     " store cannot recover in place; restart the server"));
  }

  // "sqlite", "memory", ...: shown in logs and health.
  virtual std::string Describe() const = 0;
};

}  // namespace cortado

#endif  // CORTADO_SERVER_CORE_STORE_H_

// Broker is the façade of Cortado's core: every queue action of SQS, with
// SQS's semantics, on state kept in memory and written through to a Store;
// the topic actions of SNS it hands to its Topics (topics.h), which plan
// into the same batches.
//
// Write path (one writer thread, group commit):
//   caller -> Submit(op) -> writer thread takes every pending op as one batch
//   -> plans each op under mu_ (validates, changes memory, appends store
//   mutations) -> Store::Commit(batch) without any lock held -> completes the
//   callers in submission order, outside every lock.
// A caller is answered only after its batch committed. If a commit fails the
// broker becomes "failed": that batch and every later write are answered with
// StoreFailed and reads are refused, so nobody observes memory the disk does
// not have; a restart recovers from the store, and so does Recover() in
// place for stores that can reopen (PostgreSQL).
//
// Reads (GetQueueUrl, ListQueues, GetQueueAttributes, ListQueueTags,
// PeekMessages) take mu_ shared and answer at once.
//
// Time: the broker reads time only through the injected Clock. Every batch
// first runs the timers that are due (delays ending, visibility timeouts
// expiring, retention, long-poll timeouts). With Options::run_timers the
// writer also wakes up by itself at the next deadline; tests leave it off and
// call ProcessTimers() after moving a FakeClock.
//
// Thread-safety: every public method may be called from any thread. Callbacks
// run on the writer thread (or the caller's, for early errors) and must not
// block; they are never called with a broker lock held.
#ifndef CORTADO_SERVER_CORE_BROKER_H_
#define CORTADO_SERVER_CORE_BROKER_H_

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/btree_set.h"
#include "absl/container/flat_hash_map.h"
#include "absl/functional/any_invocable.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "server/core/api.h"
#include "server/core/clock.h"
#include "server/core/fan_out_target.h"
#include "server/core/http_push.h"
#include "server/core/metrics.h"
#include "server/core/notification_envelope.h"
#include "server/core/other_partitions.h"
#include "server/core/prepared_send.h"
#include "server/core/queue.h"
#include "server/core/store.h"
#include "server/core/topic_api.h"
#include "server/core/topics.h"
#include "server/core/txn.h"

namespace cortado {

struct BrokerOptions {
  std::string account_id = "000000000000";
  std::string region = "us-east-1";
  // AWS's 60-second rules: no CreateQueue of a name within 60 s of its
  // DeleteQueue (QueueDeletedRecently), no second PurgeQueue within 60 s
  // (PurgeQueueInProgress). Off by default: they only slow tests down.
  bool enforce_60_second_rules = false;
  // In-flight messages per standard queue before ReceiveMessage answers
  // OverLimit (SQS: about 120,000).
  int64_t max_inflight_per_queue = 120000;
  // Let the writer thread wake itself for timers (production). Tests with a
  // FakeClock leave this off and call ProcessTimers().
  bool run_timers = true;
  // Upper bound of operations planned into one commit.
  int max_batch_operations = 4096;
  // Called (on the writer thread) when a commit fails and the broker stops
  // accepting writes; the server logs it.
  std::function<void(const absl::Status&)> on_store_failure;
  // Required (Start fails without it): builds the body of every non-raw
  // topic delivery, the signed SNS envelope with its URLs. Owned by the
  // composition root (server/sns/SignedEnvelopeBuilder, its key made before
  // the broker starts); tests inject one with a fixed key. Must outlive the
  // broker.
  const EnvelopeBuilder* envelope_builder = nullptr;
  // POSTs to http/https subscribers (server/push/HttpPushSender). Null:
  // Subscribe refuses those protocols (cluster mode, for now). Must
  // outlive the broker.
  HttpPusher* http_pusher = nullptr;
  // Cluster mode: the queues of the cluster's other partitions, which this
  // broker reaches through the outbox (other_partitions.h). Null on a
  // single server. Must outlive the broker.
  const OtherPartitions* other_partitions = nullptr;
  // Cluster mode: a batch that answers a client call goes to the store even
  // when it writes nothing, so that the partition's fence confirms this
  // node still owns it before the answer. Otherwise a node that lost the
  // partition (frozen, then thawed) could acknowledge, from its stale
  // memory, a call that changes nothing there: a delete of a message the
  // new owner received after the takeover, which the old node never saw.
  bool commit_every_answer = false;
};

// Counters for health and metrics.
struct BrokerStats {
  uint64_t commits = 0;
  uint64_t committed_operations = 0;
  uint64_t parked_receives = 0;
  CommitLatencyHistogram commit_latency;  // of commits that succeeded
  bool failed = false;
  std::string failure;  // why, when failed
  // Cluster mode's outbox (planned; a failed commit may have undone some):
  // messages sent to other partitions, taken in from them, and taken in
  // for a queue that was gone (and had no fallback, or it was gone too).
  uint64_t transfers_sent = 0;
  uint64_t transfers_taken = 0;
  uint64_t transfers_dropped = 0;
};

class Broker {
 public:
  // `clock` and `store` must outlive the broker.
  Broker(BrokerOptions options, Clock* clock, Store* store);
  ~Broker();  // calls Shutdown()

  Broker(const Broker&) = delete;
  Broker& operator=(const Broker&) = delete;

  // Loads the store's state and starts the writer thread. Call once.
  absl::Status Start();

  // After the store failed (stats().failed): reopens the store
  // (Store::Reopen) and reloads every queue, message, topic and task from
  // it, as a restart would, then accepts writes again. What a failed
  // commit left (it may have committed before its answer was lost) is read
  // back, not guessed. OK at once when the broker has not failed; else
  // Store::Reopen's error (Unavailable: try again later; Unimplemented:
  // only a restart helps) or the load's, and the broker stays failed.
  // Reads wait while the state is reloaded (not while the store reopens).
  absl::Status Recover() ABSL_LOCKS_EXCLUDED(recover_mu_, mu_, submit_mu_);

  // Stops accepting calls, answers every parked long poll with an empty
  // result, drains pending operations and joins the writer. Idempotent.
  void Shutdown();

  // Cluster mode: enqueues the transfers read from this partition's outbox
  // (store.h's TransferRecord) and removes them, in one commit, so each
  // arrives once. A transfer whose queue is gone or refuses it goes to its
  // fallback queue, or is dropped. The caller passes each transfer once
  // (the commit fails, and the broker with it, if one was taken already).
  // Answers how many were taken.
  void AcceptTransfers(std::vector<TransferRecord> transfers,
                       Callback<size_t> done);

  // --- Queues ---
  void CreateQueue(CreateQueueRequest request, Callback<QueueRecord> done);
  void DeleteQueue(std::string queue_name, Callback<Empty> done);
  void SetQueueAttributes(std::string queue_name, AttributeMap attributes,
                          Callback<Empty> done);
  void PurgeQueue(std::string queue_name, Callback<Empty> done);
  void TagQueue(std::string queue_name, TagMap tags, Callback<Empty> done);
  void UntagQueue(std::string queue_name, std::vector<std::string> keys,
                  Callback<Empty> done);

  absl::Status GetQueue(const std::string& queue_name) const;
  absl::StatusOr<ListQueuesResult> ListQueues(
      const ListQueuesRequest& request) const;
  // `names` may contain "All". Unknown names: InvalidAttributeName.
  absl::StatusOr<AttributeMap> GetQueueAttributes(
      const std::string& queue_name,
      const std::vector<std::string>& names) const;
  absl::StatusOr<TagMap> ListQueueTags(const std::string& queue_name) const;
  // Queues whose RedrivePolicy targets `queue_name` (a dead-letter queue),
  // sorted; paging as ListQueues.
  absl::StatusOr<ListQueuesResult> ListDeadLetterSourceQueues(
      const std::string& queue_name, int32_t max_results,
      const std::string& next_token) const;

  // --- Messages ---
  void SendMessage(std::string queue_name, SendMessageEntry entry,
                   Callback<SendMessageResult> done);
  void SendMessageBatch(std::string queue_name,
                        std::vector<SendMessageEntry> entries,
                        Callback<SendMessageBatchResult> done);
  // Long polls park until a message arrives or the wait ends. Returns an id
  // for CancelReceive; cancelling a receive already answered does nothing.
  uint64_t ReceiveMessage(ReceiveMessageRequest request,
                          Callback<ReceiveMessageResult> done);
  // Answers a parked receive now with an empty result (its caller went
  // away). No effect if it was already answered.
  void CancelReceive(uint64_t receive_id);
  void DeleteMessage(std::string queue_name, std::string receipt_handle,
                     Callback<Empty> done);
  void DeleteMessageBatch(std::string queue_name,
                          std::vector<BatchHandleEntry> entries,
                          Callback<BatchResult> done);
  void ChangeMessageVisibility(std::string queue_name,
                               std::string receipt_handle,
                               int32_t visibility_timeout,
                               Callback<Empty> done);
  void ChangeMessageVisibilityBatch(std::string queue_name,
                                    std::vector<BatchHandleEntry> entries,
                                    Callback<BatchResult> done);

  // The queue's messages in sequence order, paged, without receiving them:
  // visibility, receive counts and receipt handles stay as they were (a
  // read under mu_ shared, like GetQueueAttributes; broker_peek.cc).
  // InvalidParameterValue for max_messages outside 1-100 (0: 10) or a
  // next_token this queue did not give.
  absl::StatusOr<PeekMessagesResult> PeekMessages(
      const PeekMessagesRequest& request) const;

  // --- Message move tasks (broker_move_tasks.cc) ---
  // Starts moving the messages of a dead-letter queue back to their source
  // queues (or to a destination) and answers the task handle. The task runs
  // in steps on the writer thread, each step committed with its progress.
  void StartMessageMoveTask(StartMessageMoveTaskRequest request,
                            Callback<std::string> done);
  // Cancels a running task; answers how many messages it had moved.
  void CancelMessageMoveTask(std::string task_handle, Callback<int64_t> done);
  // The tasks of a source queue, most recent first (1-10, default 1).
  absl::StatusOr<std::vector<MoveTaskRecord>> ListMessageMoveTasks(
      const std::string& source_arn, int32_t max_results) const;
  // --- Topics (SNS): broker_topics.cc delegates to Topics (topics.h) ---
  // Writes are answered after commit; reads answer at once. Protocol "sqs"
  // subscriptions are confirmed at once; "http"/"https" ones are sent a
  // SubscriptionConfirmation after the commit and wait for
  // ConfirmSubscription. A publish plans one copy per matching queue
  // subscription into the same commit, and POSTs to confirmed HTTP(S)
  // subscribers after it.
  void CreateTopic(CreateTopicRequest request, Callback<std::string> done);
  void DeleteTopic(std::string topic_arn, Callback<Empty> done);
  void SetTopicAttributes(std::string topic_arn, std::string name,
                          std::string value, Callback<Empty> done);
  void Subscribe(SubscribeRequest request, Callback<std::string> done);
  void Unsubscribe(std::string subscription_arn, Callback<Empty> done);
  void Unsubscribe(UnsubscribeRequest request, Callback<Empty> done);
  // Answers the subscription's ARN.
  void ConfirmSubscription(ConfirmSubscriptionRequest request,
                           Callback<std::string> done);
  void SetSubscriptionAttributes(std::string subscription_arn, std::string name,
                                 std::string value, Callback<Empty> done);
  void Publish(std::string topic_arn, PublishEntry entry,
               Callback<PublishResult> done);
  void PublishBatch(std::string topic_arn, std::vector<PublishEntry> entries,
                    Callback<PublishBatchResult> done);
  void TagResource(std::string arn, TagMap tags, Callback<Empty> done);
  void UntagResource(std::string arn, std::vector<std::string> keys,
                     Callback<Empty> done);

  absl::StatusOr<ListTopicsResult> ListTopics(
      const std::string& next_token) const;
  absl::StatusOr<AttributeMap> GetTopicAttributes(
      const std::string& topic_arn) const;
  // `topic_arn` empty: every subscription.
  absl::StatusOr<ListSubscriptionsResult> ListSubscriptions(
      const std::string& topic_arn, const std::string& next_token) const;
  absl::StatusOr<AttributeMap> GetSubscriptionAttributes(
      const std::string& subscription_arn) const;
  absl::StatusOr<TagMap> ListTagsForResource(const std::string& arn) const;
  // "arn:aws:sns:<region>:<account>:<name>".
  std::string TopicArn(const std::string& topic_name) const;

  // Runs the timers due at the clock's current time (as the start of every
  // batch does) and returns the next deadline (InfiniteFuture if none).
  // Blocks until done; do not call from a callback.
  absl::Time ProcessTimers();

  // "arn:aws:sqs:<region>:<account>:<name>".
  std::string QueueArn(const std::string& queue_name) const;
  const BrokerOptions& options() const { return options_; }
  BrokerStats Stats() const;
  // Everything the broker counts, per queue and topic too (metrics.h), for
  // /metrics. Copies under mu_ shared, so it waits for the batch being
  // planned; answered even once the store failed (the counters still tell
  // what happened). Cost: linear in the number of queues and topics.
  BrokerMetrics Metrics() const;

 private:
  struct Waiter;
  // A queued call: `plan` runs on the writer thread with mu_ held; `reject`
  // answers the caller instead when the broker cannot run it.
  struct Operation {
    absl::AnyInvocable<void(Txn&)> plan;
    absl::AnyInvocable<void(const absl::Status&) &&> reject;
  };

  // Queues a call whose plan returns a StatusOr<T> answered after commit.
  template <typename T, typename Plan>
  void SubmitCall(Callback<T> done, Plan plan);
  // Queues `op`; answers it at once with ShuttingDown if not accepting
  // (unless `force`).
  void Submit(Operation op, bool force = false);
  void WriterLoop();
  void RunBatch(std::vector<Operation> ops);
  // Fills the empty in-memory state from the store's LoadState; returns
  // the first timer deadline.
  absl::StatusOr<absl::Time> LoadFromStore() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Forgets every queue, message, task and timer (before a reload).
  void ClearState() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  // Planning helpers: writer thread, mu_ held.
  absl::Status CheckReadable() const ABSL_SHARED_LOCKS_REQUIRED(mu_);
  absl::StatusOr<Queue*> FindQueue(const std::string& name) const
      ABSL_SHARED_LOCKS_REQUIRED(mu_);
  void RunDueTimers(Txn& txn) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void Reschedule(Queue& queue) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Time NextDeadline() const ABSL_SHARED_LOCKS_REQUIRED(mu_);
  void ServeWaiters(Queue& queue, Txn& txn) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void AnswerWaiter(uint64_t receive_id, ReceiveMessageResult result, Txn& txn)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void AnswerAllWaiters(Txn& txn) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void PlanReceive(uint64_t receive_id, const ReceiveMessageRequest& request,
                   Callback<ReceiveMessageResult> done, Txn& txn)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::StatusOr<QueueRecord> PlanCreateQueue(const CreateQueueRequest& request,
                                              Txn& txn)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::StatusOr<Empty> PlanDeleteQueue(const std::string& name, Txn& txn)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::StatusOr<Empty> PlanPurgeQueue(const std::string& name, Txn& txn)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Applies `change` to a copy of the queue's record and persists it.
  absl::StatusOr<Empty> PlanUpdateQueue(
      const std::string& name,
      absl::FunctionRef<absl::Status(QueueRecord&)> change, Txn& txn)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // `prepared`: computed by the caller's thread, or null to compute it here.
  absl::StatusOr<SendMessageResult> PlanSend(
      Queue& queue, const SendMessageEntry& entry, Txn& txn,
      const PreparedSend* prepared = nullptr)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // `prepared` has one entry per entry, or none (a batch refused whole).
  absl::StatusOr<SendMessageBatchResult> PlanSendBatch(
      const std::string& name, const std::vector<SendMessageEntry>& entries,
      const std::vector<PreparedSend>& prepared, Txn& txn)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Takes up to the request's maximum of visible messages.
  std::vector<ReceivedMessage> PlanTake(Queue& queue,
                                        const ReceiveMessageRequest& request,
                                        int32_t visibility_timeout, Txn& txn)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // A taken message as a receive answers it, with the attributes `request`
  // asks for.
  ReceivedMessage Render(const Queue& queue, const Message& message,
                         const ReceiveMessageRequest& request) const
      ABSL_SHARED_LOCKS_REQUIRED(mu_);
  // FIFO receive attempts (ReceiveRequestAttemptId), in broker_fifo.cc:
  // remembers (and persists) what a receive took.
  void RememberAttempt(Queue& queue, const std::string& attempt_id,
                       const std::vector<uint64_t>& taken, Txn& txn)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // The result of an earlier receive with the request's attempt id, with
  // the visibility of its messages reset, if none of them was deleted,
  // received again or had its visibility changed since; nullopt otherwise.
  std::optional<ReceiveMessageResult> ReplayAttempt(
      Queue& queue, const ReceiveMessageRequest& request,
      int32_t visibility_timeout, Txn& txn) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Start: hands the recovered attempts to their queues.
  void LoadReceiveAttempts(std::vector<ReceiveAttemptRecord>& records)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // FIFO: applies the queue's new DelaySeconds to the messages not received
  // yet (Queue::Redelay) and persists their visibility.
  void PlanRetroactiveDelay(Queue& queue, Txn& txn)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status PlanDelete(Queue& queue, const std::string& receipt_handle,
                          Txn& txn) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status PlanChangeVisibility(Queue& queue,
                                    const std::string& receipt_handle,
                                    int32_t visibility_timeout, Txn& txn)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Runs `one` for each entry of a Delete/ChangeMessageVisibility batch.
  absl::StatusOr<BatchResult> PlanHandleBatch(
      const std::string& name, const std::vector<BatchHandleEntry>& entries,
      absl::string_view entry_type,
      absl::FunctionRef<absl::Status(Queue&, const BatchHandleEntry&)> one)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Checks a queue's RedrivePolicy against the queues that exist.
  absl::Status ValidateRedrive(const std::string& queue_name,
                               const QueueAttributes& attributes) const
      ABSL_SHARED_LOCKS_REQUIRED(mu_);
  // Moves a message whose receives ran out to the queue `dead_letter` (of
  // this partition or another), keeping its id, body, attributes, send
  // time and receive count.
  void MoveToDeadLetterQueue(Queue& source, const std::string& dead_letter,
                             uint64_t sequence, Txn& txn)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // The cluster's outbox (broker_transfers.cc). The partition of
  // `queue_name` when it is another partition's (never for a queue that
  // exists here).
  std::optional<int32_t> OtherPartitionOf(const std::string& queue_name) const
      ABSL_SHARED_LOCKS_REQUIRED(mu_);
  // The queue a queue ARN of this account names, in this partition or not:
  // its name, or "" for an ARN of no queue name.
  std::string QueueNameOfArn(const std::string& arn) const;
  // Plans `record` (a moved message: its fields as they are to stay) into
  // the queue `queue_name`: here, with its new place, visible now; or to
  // the outbox, with `fallback_queue` for when the queue is gone there.
  // False when the queue is neither here nor in another partition.
  bool PlanMove(const std::string& queue_name, MessageRecord record,
                const std::string& fallback_queue, Txn& txn)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void PlanTransfer(int32_t partition, TransferRecord::Kind kind,
                    const std::string& queue_name,
                    const std::string& fallback_queue, MessageRecord message,
                    Txn& txn) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // One transfer of AcceptTransfers.
  void PlanArrival(const TransferRecord& transfer, Txn& txn)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // RedrivePolicy and move tasks naming a queue of another partition.
  absl::StatusOr<PeerQueue> DescribeOtherQueue(
      const std::string& queue_name) const;
  // Move tasks: runs the steps that are due.
  void RunMoveTasks(Txn& txn) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Moves up to `limit` messages of `task`; false once it has ended.
  bool StepMoveTask(MoveTaskRecord& task, int64_t limit, Txn& txn)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // The queue an ARN of this broker names, or nullptr.
  Queue* QueueForArn(const std::string& arn) const
      ABSL_SHARED_LOCKS_REQUIRED(mu_);
  // Hands out the next id of a kind, reserving a new block in the store when
  // the current one is used up.
  uint64_t NextId(IdKind kind, Txn& txn) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  // The queues as Topics reach them (broker_topics.cc): called only from
  // Topics' planning, i.e. on the writer thread with mu_ held.
  class QueueFanOut : public FanOutTarget {
   public:
    explicit QueueFanOut(Broker* broker) : broker_(broker) {}
    absl::Status PlanCopy(const std::string& queue_name, SendMessageEntry copy,
                          const std::string& dedup_id,
                          const std::string& fallback_queue, Txn& txn) override;
    uint64_t NextSequence(Txn& txn) override;

   private:
    Broker* const broker_;
  };

  // Constant after construction.
  const BrokerOptions options_;
  Clock* const clock_;
  Store* const store_;
  QueueFanOut fan_out_;

  // Lock order: mu_, then submit_mu_. Neither is held while a callback runs;
  // mu_ is not held while the store commits. A publish calls the injected
  // EnvelopeBuilder under mu_, so a lock of the builder's comes after mu_.
  // Held by Recover() throughout: one recovery at a time.
  absl::Mutex recover_mu_ ABSL_ACQUIRED_BEFORE(mu_);
  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, std::unique_ptr<Queue>> queues_
      ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<uint64_t, Queue*> queues_by_id_ ABSL_GUARDED_BY(mu_);
  // (next deadline, queue id): finds due timers without scanning queues.
  absl::btree_set<std::pair<absl::Time, uint64_t>> queue_deadlines_
      ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<uint64_t, std::unique_ptr<Waiter>> waiters_
      ABSL_GUARDED_BY(mu_);
  // (long-poll deadline, receive id).
  absl::btree_set<std::pair<absl::Time, uint64_t>> waiter_deadlines_
      ABSL_GUARDED_BY(mu_);
  // Message move tasks by handle, and when each running one steps next.
  absl::flat_hash_map<std::string, MoveTaskRecord> move_tasks_
      ABSL_GUARDED_BY(mu_);
  absl::btree_set<std::pair<absl::Time, std::string>> move_task_steps_
      ABSL_GUARDED_BY(mu_);
  // When each name was last deleted (the 60-second rule).
  absl::flat_hash_map<std::string, absl::Time> deleted_at_ ABSL_GUARDED_BY(mu_);
  uint64_t next_queue_id_ ABSL_GUARDED_BY(mu_) = 1;
  uint64_t next_sequence_ ABSL_GUARDED_BY(mu_) = 1;
  // Ids below these are reserved in the store (see ReserveIds).
  uint64_t reserved_queue_ids_ ABSL_GUARDED_BY(mu_) = 1;
  uint64_t reserved_sequences_ ABSL_GUARDED_BY(mu_) = 1;
  // The SNS half: topics, subscriptions, publish planning.
  Topics topics_ ABSL_GUARDED_BY(mu_);
  // The sender ids of every queued message (each keeps an index).
  SenderIds sender_ids_ ABSL_GUARDED_BY(mu_);
  absl::Status failure_ ABSL_GUARDED_BY(mu_);  // not OK once a commit failed
  BrokerStats stats_ ABSL_GUARDED_BY(mu_);

  mutable absl::Mutex submit_mu_ ABSL_ACQUIRED_AFTER(mu_);
  absl::CondVar submit_cv_;
  std::deque<Operation> pending_ ABSL_GUARDED_BY(submit_mu_);
  bool started_ ABSL_GUARDED_BY(submit_mu_) = false;
  bool accepting_ ABSL_GUARDED_BY(submit_mu_) = false;
  bool stop_ ABSL_GUARDED_BY(submit_mu_) = false;
  // When the writer must wake up for timers (run_timers only).
  absl::Time wake_at_ ABSL_GUARDED_BY(submit_mu_) = absl::InfiniteFuture();
  uint64_t next_receive_id_ ABSL_GUARDED_BY(submit_mu_) = 1;

  std::thread writer_;
};

template <typename T, typename Plan>
void Broker::SubmitCall(Callback<T> done, Plan plan) {
  auto shared = std::make_shared<Callback<T>>(std::move(done));
  Submit(Operation{[this, shared, plan = std::move(plan)](Txn& txn) mutable {
                     mu_.AssertHeld();
                     absl::StatusOr<T> result = plan(txn);
                     txn.MarkAnswering();
                     AnswerAfterCommit<T>(
                         txn,
                         [shared](absl::StatusOr<T> r) mutable {
                           std::move (*shared)(std::move(r));
                         },
                         std::move(result));
                   },
                   [shared](const absl::Status& status) mutable {
                     std::move (*shared)(status);
                   }});
}

}  // namespace cortado

#endif  // CORTADO_SERVER_CORE_BROKER_H_

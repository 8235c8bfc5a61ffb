// Broker lifecycle, the writer thread (group commit), timers and long-poll
// waiters. Queue actions live in broker_queues.cc, message actions in
// broker_messages.cc.
#include "server/core/broker.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "common/thread_name.h"
#include "server/core/errors.h"
#include "server/core/fifo.h"

namespace cortado {

struct Broker::Waiter {
  uint64_t id = 0;
  uint64_t queue_id = 0;
  ReceiveMessageRequest request;
  int32_t visibility_timeout = 0;
  absl::Time deadline;
  Callback<ReceiveMessageResult> done;
};

Broker::Broker(BrokerOptions options, Clock* clock, Store* store)
    : options_(std::move(options)),
      clock_(clock),
      store_(store),
      fan_out_(this),
      topics_(options_.region, options_.account_id, &fan_out_,
              options_.envelope_builder, options_.http_pusher) {}

Broker::~Broker() { Shutdown(); }

absl::Status Broker::Start() {
  {
    absl::MutexLock lock(&submit_mu_);
    if (started_)
      return absl::FailedPreconditionError("broker already started");
    started_ = true;
  }
  if (options_.envelope_builder == nullptr) {
    // Required rather than defaulted: a default would mean generating a
    // key here or signing nothing, and neither is the server's behaviour.
    return absl::InvalidArgumentError(
        "BrokerOptions::envelope_builder is required (server/sns)");
  }
  absl::Time next = absl::InfiniteFuture();
  {
    // No call can arrive before `accepting_`; the lock is for the analysis.
    absl::MutexLock lock(&mu_);
    absl::StatusOr<absl::Time> loaded = LoadFromStore();
    if (!loaded.ok()) return loaded.status();
    next = *loaded;
  }
  absl::MutexLock lock(&submit_mu_);
  // Recovered timers (running move tasks, visibility deadlines) fire even
  // if no call arrives.
  wake_at_ = next;
  accepting_ = true;
  writer_ = std::thread([this] {
    SetThreadName("cortado-writer");
    WriterLoop();
  });
  return absl::OkStatus();
}

absl::StatusOr<absl::Time> Broker::LoadFromStore() {
  // Messages arrive before the queues are built: packed at once (one
  // allocation each, no MessageRecord kept), grouped by queue id.
  uint64_t max_sequence = 0;
  absl::flat_hash_map<uint64_t, std::vector<Message::Ptr>> loaded;
  absl::StatusOr<StoreSnapshot> snapshot =
      store_->LoadState([&](const MessageRecord& message) {
        mu_.AssertHeld();
        max_sequence = std::max(max_sequence, message.sequence);
        loaded[message.queue_id].push_back(Message::Make(message, sender_ids_));
        return absl::OkStatus();
      });
  if (!snapshot.ok()) return snapshot.status();
  const absl::Time now = clock_->Now();
  for (QueueRecord& record : snapshot->queues) {
    next_queue_id_ = std::max(next_queue_id_, record.queue_id + 1);
    auto queue = std::make_unique<Queue>(std::move(record));
    queues_by_id_[queue->id()] = queue.get();
    std::string name = queue->name();
    queues_[name] = std::move(queue);
  }
  if (!loaded.empty()) {
    next_sequence_ = std::max(next_sequence_, max_sequence + 1);
  }
  for (auto& [queue_id, messages] : loaded) {
    auto it = queues_by_id_.find(queue_id);
    if (it == queues_by_id_.end()) continue;  // orphans of a deleted queue
    for (Message::Ptr& message : messages) {
      it->second->Add(std::move(message), now);
    }
    // Free as we go: the peak is the messages, not messages + buffers.
    std::vector<Message::Ptr>().swap(messages);
  }
  for (DedupRecord& entry : snapshot->dedup) {
    auto it = queues_by_id_.find(entry.queue_id);
    if (it == queues_by_id_.end() || entry.expires <= now) continue;
    it->second->dedup().Put(entry.scope_key,
                            {std::move(entry.message_id),
                             std::move(entry.sequence_number), entry.expires});
  }
  LoadReceiveAttempts(snapshot->receive_attempts);
  for (MoveTaskRecord& task : snapshot->move_tasks) {
    // A running task resumes where its last committed step left it.
    if (task.status == "RUNNING") {
      move_task_steps_.insert({now, task.task_handle});
    }
    std::string handle = task.task_handle;
    move_tasks_[handle] = std::move(task);
  }
  for (auto& [id, queue] : queues_by_id_) Reschedule(*queue);
  topics_.Load(*snapshot);
  next_queue_id_ = std::max(next_queue_id_, snapshot->reserved_queue_ids);
  next_sequence_ = std::max(next_sequence_, snapshot->reserved_sequences);
  reserved_queue_ids_ = next_queue_id_;
  reserved_sequences_ = next_sequence_;
  return NextDeadline();
}

absl::Status Broker::Recover() {
  absl::MutexLock recovering(&recover_mu_);
  {
    absl::ReaderMutexLock lock(&mu_);
    if (failure_.ok()) return absl::OkStatus();
  }
  // Once failure_ is set the writer never reaches the store again (every
  // batch is rejected under mu_) and only Recover clears it, so this thread
  // has the store to itself. Reopening (connecting, which can take long)
  // runs without mu_: reads and /healthz keep answering meanwhile.
  absl::Status reopened = store_->Reopen();
  if (!reopened.ok()) return reopened;
  absl::Time next;
  {
    // Reads wait while the state is reloaded rather than see half of it.
    absl::MutexLock lock(&mu_);
    ClearState();
    absl::StatusOr<absl::Time> loaded = LoadFromStore();
    if (!loaded.ok()) {
      ClearState();  // a partial load is never served: still failed
      return loaded.status();
    }
    next = *loaded;
    failure_ = absl::OkStatus();
    stats_.failed = false;
    stats_.failure.clear();
  }
  absl::MutexLock lock(&submit_mu_);
  wake_at_ = std::min(wake_at_, next);
  submit_cv_.Signal();
  return absl::OkStatus();
}

void Broker::ClearState() {
  // Waiters were answered when the store failed; queues own their messages.
  queue_deadlines_.clear();
  waiter_deadlines_.clear();
  waiters_.clear();
  queues_by_id_.clear();
  queues_.clear();
  move_tasks_.clear();
  move_task_steps_.clear();
  next_queue_id_ = 1;
  next_sequence_ = 1;
  reserved_queue_ids_ = 1;
  reserved_sequences_ = 1;
}

void Broker::Shutdown() {
  {
    absl::MutexLock lock(&submit_mu_);
    if (!accepting_) return;
    accepting_ = false;
  }
  // Parked long polls end with empty results, after every call already
  // queued (so a receive queued just before is parked first, then answered).
  Submit(Operation{[this](Txn& txn) {
                     mu_.AssertHeld();
                     AnswerAllWaiters(txn);
                   },
                   [](const absl::Status&) {}},
         /*force=*/true);
  {
    absl::MutexLock lock(&submit_mu_);
    stop_ = true;
    submit_cv_.Signal();
  }
  writer_.join();
}

void Broker::Submit(Operation op, bool force) {
  {
    absl::MutexLock lock(&submit_mu_);
    if (accepting_ || (force && !stop_)) {
      pending_.push_back(std::move(op));
      submit_cv_.Signal();
      return;
    }
  }
  std::move(op.reject)(
      MakeError(ErrorKind::kShuttingDown, "The broker is shutting down."));
}

void Broker::WriterLoop() {
  for (;;) {
    std::vector<Operation> ops;
    {
      absl::MutexLock lock(&submit_mu_);
      while (pending_.empty() && !stop_) {
        if (!options_.run_timers || wake_at_ == absl::InfiniteFuture()) {
          submit_cv_.Wait(&submit_mu_);
          continue;
        }
        // The clock may not be the wall clock, so wait for a duration.
        const absl::Duration left = wake_at_ - clock_->Now();
        if (left <= absl::ZeroDuration()) break;
        submit_cv_.WaitWithTimeout(&submit_mu_, left);
      }
      if (pending_.empty() && stop_) return;
      const size_t take = std::min<size_t>(
          pending_.size(), std::max(1, options_.max_batch_operations));
      ops.reserve(take);
      for (size_t i = 0; i < take; ++i) {
        ops.push_back(std::move(pending_.front()));
        pending_.pop_front();
      }
      // A timer wake-up with no calls still runs a batch for the timers.
      wake_at_ = absl::InfiniteFuture();
    }
    RunBatch(std::move(ops));
  }
}

void Broker::RunBatch(std::vector<Operation> ops) {
  Txn txn(clock_->Now());
  absl::Time next = absl::InfiniteFuture();
  absl::Status failure;
  {
    absl::MutexLock lock(&mu_);
    failure = failure_;
    if (failure.ok()) {
      // Receives parked on dead-letter queues that just got messages are
      // served right after the step that moved them, so completions stay in
      // causal order.
      auto serve_dead_letter_queues = [&] {
        mu_.AssertHeld();
        // A chain of dead-letter queues may move a message further; each
        // message moves at most once per batch, so this ends.
        for (std::vector<uint64_t> ids = txn.TakeServeLater(); !ids.empty();
             ids = txn.TakeServeLater()) {
          for (uint64_t id : ids) {
            auto it = queues_by_id_.find(id);
            if (it != queues_by_id_.end()) ServeWaiters(*it->second, txn);
          }
        }
      };
      RunDueTimers(txn);
      serve_dead_letter_queues();
      for (Operation& op : ops) {
        op.plan(txn);
        serve_dead_letter_queues();
      }
      for (uint64_t id : txn.touched()) {
        auto it = queues_by_id_.find(id);
        if (it != queues_by_id_.end()) Reschedule(*it->second);
      }
      next = NextDeadline();
    }
  }
  if (!failure.ok()) {
    for (Operation& op : ops) std::move(op.reject)(failure);
    return;
  }
  absl::Status commit = absl::OkStatus();
  // Two clock reads a commit (not per operation) for the latency histogram.
  absl::Duration commit_latency;
  if (!txn.batch().empty() ||
      (options_.commit_every_answer && txn.answering())) {
    const absl::Time commit_start = clock_->Now();
    commit = store_->Commit(txn.batch());
    commit_latency = clock_->Now() - commit_start;
  }
  std::vector<Callback<ReceiveMessageResult>> orphans;
  {
    absl::MutexLock lock(&mu_);
    if (commit.ok()) {
      if (!txn.batch().empty()) {
        ++stats_.commits;
        stats_.committed_operations += ops.size();
        stats_.commit_latency.Observe(commit_latency);
      }
    } else {
      // Memory already holds this batch; refuse everything from now on so
      // nobody observes state the disk does not have. A restart recovers.
      commit = MakeError(ErrorKind::kStoreFailed,
                         absl::StrCat("The broker's store failed and it no "
                                      "longer accepts writes: ",
                                      commit.message()));
      failure_ = commit;
      stats_.failed = true;
      stats_.failure = std::string(commit.message());
      next = absl::InfiniteFuture();
      // Parked receives can no longer be served: they end with the error.
      for (auto& [id, waiter] : waiters_) {
        orphans.push_back(std::move(waiter->done));
      }
      waiters_.clear();
      waiter_deadlines_.clear();
      for (auto& [id, queue] : queues_by_id_) queue->waiters().clear();
    }
    stats_.parked_receives = waiters_.size();
  }
  {
    absl::MutexLock lock(&submit_mu_);
    wake_at_ = std::min(wake_at_, next);
  }
  if (!commit.ok() && options_.on_store_failure) {
    options_.on_store_failure(commit);
  }
  for (Txn::Completion& completion : txn.TakeCompletions()) {
    std::move(completion)(commit);
  }
  for (Callback<ReceiveMessageResult>& orphan : orphans) {
    std::move(orphan)(commit);
  }
}

absl::Time Broker::ProcessTimers() {
  absl::Notification done;
  absl::Time next = absl::InfiniteFuture();
  Submit(Operation{[this, &next, &done](Txn& txn) {
                     mu_.AssertHeld();
                     // Due timers already ran at the start of this batch.
                     next = NextDeadline();
                     txn.OnCommit(
                         [&done](const absl::Status&) { done.Notify(); });
                   },
                   [&done](const absl::Status&) { done.Notify(); }});
  done.WaitForNotification();
  return next;
}

void Broker::RunDueTimers(Txn& txn) {
  const absl::Time now = txn.now();
  while (!waiter_deadlines_.empty() &&
         waiter_deadlines_.begin()->first <= now) {
    AnswerWaiter(waiter_deadlines_.begin()->second, {}, txn);
  }
  while (!queue_deadlines_.empty() && queue_deadlines_.begin()->first <= now) {
    Queue& queue = *queues_by_id_.at(queue_deadlines_.begin()->second);
    queue.ReleaseDue(now);
    for (uint64_t sequence : queue.RemoveExpired(now)) {
      ++queue.counters().expired;
      txn.Write(RemoveMessage{queue.id(), sequence});
    }
    if (queue.dedup().ExpireUpTo(now)) {
      txn.Write(ExpireDedup{queue.id(), now});
    }
    if (queue.attempts().ExpireUpTo(now)) {
      txn.Write(ExpireReceiveAttempts{queue.id(), now});
    }
    Reschedule(queue);
    ServeWaiters(queue, txn);
  }
  RunMoveTasks(txn);
}

void Broker::Reschedule(Queue& queue) {
  const absl::Time next = queue.NextDeadline();
  if (next == queue.scheduled_deadline) return;
  if (queue.scheduled_deadline != absl::InfiniteFuture()) {
    queue_deadlines_.erase({queue.scheduled_deadline, queue.id()});
  }
  queue.scheduled_deadline = next;
  if (next != absl::InfiniteFuture())
    queue_deadlines_.insert({next, queue.id()});
}

absl::Time Broker::NextDeadline() const {
  absl::Time next = absl::InfiniteFuture();
  if (!queue_deadlines_.empty()) next = queue_deadlines_.begin()->first;
  if (!waiter_deadlines_.empty()) {
    next = std::min(next, waiter_deadlines_.begin()->first);
  }
  if (!move_task_steps_.empty()) {
    next = std::min(next, move_task_steps_.begin()->first);
  }
  return next;
}

uint64_t Broker::ReceiveMessage(ReceiveMessageRequest request,
                                Callback<ReceiveMessageResult> done) {
  uint64_t receive_id;
  {
    absl::MutexLock lock(&submit_mu_);
    receive_id = next_receive_id_++;
  }
  auto shared =
      std::make_shared<Callback<ReceiveMessageResult>>(std::move(done));
  Submit(Operation{
      [this, receive_id, shared, request = std::move(request)](Txn& txn) {
        mu_.AssertHeld();
        PlanReceive(receive_id, request, std::move(*shared), txn);
      },
      [shared](const absl::Status& status) mutable {
        std::move (*shared)(status);
      }});
  return receive_id;
}

void Broker::CancelReceive(uint64_t receive_id) {
  Submit(Operation{[this, receive_id](Txn& txn) {
                     mu_.AssertHeld();
                     if (waiters_.contains(receive_id)) {
                       AnswerWaiter(receive_id, {}, txn);
                     }
                   },
                   [](const absl::Status&) {}},
         /*force=*/true);
}

void Broker::ServeWaiters(Queue& queue, Txn& txn) {
  while (!queue.waiters().empty() && queue.HasReceivable() &&
         queue.in_flight_count() < options_.max_inflight_per_queue) {
    const uint64_t receive_id = *queue.waiters().begin();
    Waiter& waiter = *waiters_.at(receive_id);
    ReceiveMessageResult result;
    result.messages =
        PlanTake(queue, waiter.request, waiter.visibility_timeout, txn);
    // Everything visible may have gone to the dead-letter queue instead.
    if (result.messages.empty()) break;
    AnswerWaiter(receive_id, std::move(result), txn);
  }
}

void Broker::AnswerWaiter(uint64_t receive_id, ReceiveMessageResult result,
                          Txn& txn) {
  auto it = waiters_.find(receive_id);
  if (it == waiters_.end()) return;
  std::unique_ptr<Waiter> waiter = std::move(it->second);
  waiters_.erase(it);
  waiter_deadlines_.erase({waiter->deadline, receive_id});
  auto queue = queues_by_id_.find(waiter->queue_id);
  if (queue != queues_by_id_.end()) queue->second->waiters().erase(receive_id);
  AnswerAfterCommit<ReceiveMessageResult>(txn, std::move(waiter->done),
                                          std::move(result));
}

void Broker::AnswerAllWaiters(Txn& txn) {
  while (!waiters_.empty()) AnswerWaiter(waiters_.begin()->first, {}, txn);
}

void Broker::PlanReceive(uint64_t receive_id,
                         const ReceiveMessageRequest& request,
                         Callback<ReceiveMessageResult> done, Txn& txn) {
  auto answer = [&](absl::StatusOr<ReceiveMessageResult> result) {
    AnswerAfterCommit<ReceiveMessageResult>(txn, std::move(done),
                                            std::move(result));
  };
  absl::StatusOr<Queue*> found = FindQueue(request.queue_name);
  if (!found.ok()) return answer(found.status());
  Queue& queue = **found;
  const QueueAttributes& attributes = queue.record().attributes;
  if (request.max_number_of_messages < 1 ||
      request.max_number_of_messages > 10) {
    return answer(InvalidParameterValueError(absl::StrCat(
        "Value ", request.max_number_of_messages,
        " for parameter MaxNumberOfMessages is invalid. Reason: Must be "
        "between 1 and 10, if provided.")));
  }
  const int32_t wait = request.wait_time_seconds.value_or(
      attributes.receive_message_wait_time_seconds);
  if (wait < 0 || wait > kMaxWaitTimeSeconds) {
    return answer(InvalidParameterValueError(
        absl::StrCat("Value ", wait,
                     " for parameter WaitTimeSeconds is invalid. Reason: Must "
                     "be >= 0 and <= 20, if provided.")));
  }
  const int32_t visibility =
      request.visibility_timeout.value_or(attributes.visibility_timeout);
  if (visibility < 0 || visibility > kMaxVisibilityTimeoutSeconds) {
    return answer(InvalidParameterValueError(absl::StrCat(
        "Value ", visibility,
        " for parameter VisibilityTimeout is invalid. Reason: Must be >= 0 "
        "and <= 43200, if provided.")));
  }
  if (!request.receive_request_attempt_id.empty() &&
      !IsValidFifoId(request.receive_request_attempt_id)) {
    return answer(InvalidParameterValueError(absl::StrCat(
        "Value ", request.receive_request_attempt_id,
        " for parameter ReceiveRequestAttemptId is invalid. Reason: "
        "ReceiveRequestAttemptId can only include alphanumeric and "
        "punctuation characters. 1 to 128 in length.")));
  }
  if (queue.fifo() && !request.receive_request_attempt_id.empty()) {
    std::optional<ReceiveMessageResult> replay =
        ReplayAttempt(queue, request, visibility, txn);
    if (replay.has_value()) return answer(*std::move(replay));
  }
  // FIFO queues at the cap return nothing rather than an error (SQS).
  if (!queue.fifo() &&
      queue.in_flight_count() >= options_.max_inflight_per_queue) {
    return answer(MakeError(
        ErrorKind::kOverLimit,
        absl::StrCat("Too many messages in flight on queue ", queue.name(),
                     ": the limit is ", options_.max_inflight_per_queue, ".")));
  }
  ReceiveMessageResult result;
  // Earlier waiters are served first: a new receive only takes messages
  // when nobody is parked (ServeWaiters leaves none visible otherwise).
  result.messages = PlanTake(queue, request, visibility, txn);
  if (!result.messages.empty() || wait == 0) return answer(std::move(result));
  auto waiter = std::make_unique<Waiter>();
  waiter->id = receive_id;
  waiter->queue_id = queue.id();
  waiter->request = request;
  waiter->visibility_timeout = visibility;
  waiter->deadline = txn.now() + absl::Seconds(wait);
  waiter->done = std::move(done);
  queue.waiters().insert(receive_id);
  waiter_deadlines_.insert({waiter->deadline, receive_id});
  waiters_[receive_id] = std::move(waiter);
}

uint64_t Broker::NextId(IdKind kind, Txn& txn) {
  // Blocks keep reservations rare: one store row per block of ids.
  const bool queue = kind == IdKind::kQueue;
  uint64_t& next = queue ? next_queue_id_ : next_sequence_;
  uint64_t& reserved = queue ? reserved_queue_ids_ : reserved_sequences_;
  if (next >= reserved) {
    reserved = next + (queue ? 1024 : 1 << 20);
    txn.Write(ReserveIds{kind, reserved});
  }
  return next++;
}

absl::Status Broker::CheckReadable() const {
  if (!failure_.ok()) return failure_;
  return absl::OkStatus();
}

absl::StatusOr<Queue*> Broker::FindQueue(const std::string& name) const {
  auto it = queues_.find(name);
  if (it == queues_.end()) return QueueDoesNotExistError();
  return it->second.get();
}

std::string Broker::QueueArn(const std::string& queue_name) const {
  return absl::StrCat("arn:aws:sqs:", options_.region, ":", options_.account_id,
                      ":", queue_name);
}

BrokerStats Broker::Stats() const {
  absl::MutexLock lock(&mu_);
  return stats_;
}

}  // namespace cortado

// Message move tasks of the Broker (StartMessageMoveTask and friends): the
// messages of a dead-letter queue go back to the queues they came from, or
// to a destination, in steps run by the writer thread. Each step moves a
// slice of messages and records the task's progress in the same commit, so
// a crash never loses or duplicates a message and the task resumes where it
// was. One running task per source queue.
#include <algorithm>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/uuid.h"
#include "server/core/broker.h"
#include "server/core/errors.h"
#include "server/core/status_macros.h"

namespace cortado {
namespace {

constexpr int32_t kMaxMovesPerSecond = 500;
// Unlimited tasks move this many messages per step, so one task never makes
// a commit (and the callers sharing it) wait long.
constexpr int64_t kUnlimitedStep = 1000;
constexpr int32_t kMaxListedTasks = 10;

absl::Status ResourceNotFoundError(absl::string_view message) {
  return MakeError(ErrorKind::kResourceNotFound, message);
}

}  // namespace

Queue* Broker::QueueForArn(const std::string& arn) const {
  auto it = queues_.find(QueueNameOfArn(arn));
  return it == queues_.end() ? nullptr : it->second.get();
}

void Broker::StartMessageMoveTask(StartMessageMoveTaskRequest request,
                                  Callback<std::string> done) {
  SubmitCall<std::string>(
      std::move(done),
      [this,
       request = std::move(request)](Txn& txn) -> absl::StatusOr<std::string> {
        mu_.AssertHeld();
        Queue* source = QueueForArn(request.source_arn);
        if (source == nullptr) {
          return ResourceNotFoundError(
              "The resource that you specified for the SourceArn parameter "
              "doesn't exist.");
        }
        bool is_dead_letter_queue = false;
        for (const auto& [name, queue] : queues_) {
          if (queue->redrive().has_value() &&
              queue->redrive()->arn == request.source_arn) {
            is_dead_letter_queue = true;
            break;
          }
        }
        if (!is_dead_letter_queue && options_.other_partitions != nullptr) {
          CORTADO_ASSIGN_OR_RETURN(
              const std::vector<std::string> elsewhere,
              options_.other_partitions->DeadLetterSources(request.source_arn));
          is_dead_letter_queue = !elsewhere.empty();
        }
        if (!is_dead_letter_queue) {
          return InvalidParameterValueError(
              "Source queue must be configured as a Dead Letter Queue.");
        }
        if (!request.destination_arn.empty()) {
          Queue* destination = QueueForArn(request.destination_arn);
          bool elsewhere = false;
          if (destination == nullptr) {
            const std::string name = QueueNameOfArn(request.destination_arn);
            if (OtherPartitionOf(name).has_value()) {
              absl::StatusOr<PeerQueue> peer = DescribeOtherQueue(name);
              if (!peer.ok() && !absl::IsNotFound(peer.status())) {
                return peer.status();
              }
              elsewhere = peer.ok();
            }
          }
          if (destination == nullptr && !elsewhere) {
            return ResourceNotFoundError(
                "The resource that you specified for the DestinationArn "
                "parameter doesn't exist.");
          }
          if (destination == source) {
            return InvalidParameterValueError(
                "Source and destination queues must be different.");
          }
        }
        const int32_t rate =
            request.max_number_of_messages_per_second.value_or(0);
        if (request.max_number_of_messages_per_second.has_value() &&
            (rate < 1 || rate > kMaxMovesPerSecond)) {
          return InvalidParameterValueError(absl::StrCat(
              "Value ", rate,
              " for parameter MaxNumberOfMessagesPerSecond is invalid. Reason: "
              "Must be between 1 and 500."));
        }
        for (const auto& [handle, task] : move_tasks_) {
          if (task.source_queue_id == source->id() &&
              task.status == "RUNNING") {
            return MakeError(
                ErrorKind::kUnsupportedOperation,
                "There is already a task running. Only one active "
                "task is allowed for a source queue arn at a given "
                "time.");
          }
        }
        MoveTaskRecord task;
        // Like SQS's handles: base64 of the task id and the source ARN.
        task.task_handle = absl::Base64Escape(
            absl::StrCat("{\"taskId\":\"", RandomUuid(), "\",\"sourceArn\":\"",
                         request.source_arn, "\"}"));
        task.source_queue_id = source->id();
        task.source_arn = request.source_arn;
        task.destination_arn = request.destination_arn;
        task.max_per_second = rate;
        task.status = "RUNNING";
        task.to_move = source->visible_count();
        // Messages sent to the dead-letter queue after this are not moved.
        task.last_sequence = next_sequence_;
        task.started = txn.now();
        txn.Write(PutMoveTask{task});
        move_task_steps_.insert({txn.now(), task.task_handle});
        const std::string handle = task.task_handle;
        move_tasks_[handle] = std::move(task);
        return handle;
      });
}

void Broker::CancelMessageMoveTask(std::string task_handle,
                                   Callback<int64_t> done) {
  SubmitCall<int64_t>(
      std::move(done),
      [this,
       handle = std::move(task_handle)](Txn& txn) -> absl::StatusOr<int64_t> {
        mu_.AssertHeld();
        auto it = move_tasks_.find(handle);
        if (it == move_tasks_.end()) {
          return ResourceNotFoundError("Task does not exist.");
        }
        MoveTaskRecord& task = it->second;
        if (task.status != "RUNNING") {
          return MakeError(ErrorKind::kUnsupportedOperation,
                           "Only active tasks can be cancelled.");
        }
        // Steps run inside batches, so no step is half done: cancelling is
        // immediate.
        task.status = "CANCELLED";
        txn.Write(PutMoveTask{task});
        return task.moved;
      });
}

absl::StatusOr<std::vector<MoveTaskRecord>> Broker::ListMessageMoveTasks(
    const std::string& source_arn, int32_t max_results) const {
  if (max_results == 0) max_results = 1;
  if (max_results < 1 || max_results > kMaxListedTasks) {
    return InvalidParameterValueError(absl::StrCat(
        "Value ", max_results,
        " for parameter MaxResults is invalid. Reason: Must be between 1 and "
        "10."));
  }
  absl::ReaderMutexLock lock(&mu_);
  CORTADO_RETURN_IF_ERROR(CheckReadable());
  Queue* source = QueueForArn(source_arn);
  if (source == nullptr) {
    return ResourceNotFoundError(
        "The resource that you specified for the SourceArn parameter doesn't "
        "exist.");
  }
  std::vector<MoveTaskRecord> tasks;
  for (const auto& [handle, task] : move_tasks_) {
    if (task.source_queue_id == source->id()) tasks.push_back(task);
  }
  std::sort(tasks.begin(), tasks.end(),
            [](const MoveTaskRecord& a, const MoveTaskRecord& b) {
              return std::tie(a.started, a.task_handle) >
                     std::tie(b.started, b.task_handle);
            });
  if (tasks.size() > static_cast<size_t>(max_results)) {
    tasks.resize(max_results);
  }
  return tasks;
}

void Broker::RunMoveTasks(Txn& txn) {
  const absl::Time now = txn.now();
  while (!move_task_steps_.empty() && move_task_steps_.begin()->first <= now) {
    const std::string handle = move_task_steps_.begin()->second;
    move_task_steps_.erase(move_task_steps_.begin());
    auto it = move_tasks_.find(handle);
    if (it == move_tasks_.end() || it->second.status != "RUNNING") continue;
    MoveTaskRecord& task = it->second;
    const bool limited = task.max_per_second > 0;
    const bool running =
        StepMoveTask(task, limited ? task.max_per_second : kUnlimitedStep, txn);
    txn.Write(PutMoveTask{task});
    // A rate-limited task moves its quota once a second; an unlimited one
    // continues in the next batch.
    if (running) {
      move_task_steps_.insert({limited ? now + absl::Seconds(1) : now, handle});
      if (!limited) return;  // one slice per batch; the writer comes back
    }
  }
}

bool Broker::StepMoveTask(MoveTaskRecord& task, int64_t limit, Txn& txn) {
  auto source_it = queues_by_id_.find(task.source_queue_id);
  if (source_it == queues_by_id_.end()) {
    task.status = "FAILED";
    task.failure_reason = "The source queue was deleted.";
    return false;
  }
  Queue& source = *source_it->second;
  std::vector<uint64_t> slice;
  for (uint64_t sequence : source.visible()) {
    if (sequence >= task.last_sequence ||
        static_cast<int64_t>(slice.size()) >= limit) {
      break;
    }
    slice.push_back(sequence);
  }
  for (uint64_t sequence : slice) {
    MessageRecord record =
        source.Find(sequence)->ToRecord(source.id(), sender_ids_);
    const std::string& target_arn = task.destination_arn.empty()
                                        ? record.dead_letter_source_arn
                                        : task.destination_arn;
    const std::string target_name = QueueNameOfArn(target_arn);
    Queue* target = QueueForArn(target_arn);
    const bool elsewhere =
        target == nullptr && OtherPartitionOf(target_name).has_value();
    if ((target == nullptr && !elsewhere) || target == &source) {
      task.status = "FAILED";
      task.failure_reason =
          target_arn.empty()
              ? absl::StrCat("Message ", record.message_id,
                             " has no source queue to move back to.")
              : absl::StrCat("The destination queue ", target_arn,
                             " does not exist.");
      return false;
    }
    source.Remove(sequence);
    txn.Write(RemoveMessage{source.id(), sequence});
    // A new message for its queue: same id, body and attributes, received
    // zero times, enqueued now. Back to the dead-letter queue if the
    // destination, in another partition, is gone by the time it arrives.
    record.dead_letter_source_arn.clear();
    record.receive_count = 0;
    record.first_receive = absl::UnixEpoch();
    record.last_receive = absl::UnixEpoch();
    record.sent = txn.now();
    record.enqueued = absl::UnixEpoch();  // retention counts from `sent`
    PlanMove(target_name, std::move(record), source.name(), txn);
    ++task.moved;
  }
  if (!slice.empty()) txn.Touch(source.id());
  if (static_cast<int64_t>(slice.size()) < limit) {
    task.status = "COMPLETED";
    return false;
  }
  return true;
}

}  // namespace cortado

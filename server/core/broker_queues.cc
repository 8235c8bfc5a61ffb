// Queue actions of the Broker: create, delete, attributes, purge, tags, and
// the read-only calls.
#include <algorithm>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "server/core/broker.h"
#include "server/core/errors.h"
#include "server/core/listing.h"
#include "server/core/status_macros.h"

namespace cortado {
namespace {

constexpr size_t kMaxTags = 50;

absl::Status ValidateTags(const TagMap& tags) {
  for (const auto& [key, value] : tags) {
    if (key.empty() || key.size() > 128) {
      return InvalidParameterValueError(
          absl::StrCat("Tag key '", key, "' must be 1 to 128 characters."));
    }
    if (value.size() > 256) {
      return InvalidParameterValueError(absl::StrCat(
          "Tag value for key '", key, "' must be at most 256 characters."));
    }
  }
  return absl::OkStatus();
}

}  // namespace

void Broker::CreateQueue(CreateQueueRequest request,
                         Callback<QueueRecord> done) {
  SubmitCall<QueueRecord>(std::move(done),
                          [this, request = std::move(request)](Txn& txn) {
                            mu_.AssertHeld();
                            return PlanCreateQueue(request, txn);
                          });
}

absl::StatusOr<QueueRecord> Broker::PlanCreateQueue(
    const CreateQueueRequest& request, Txn& txn) {
  if (!IsValidQueueName(request.queue_name)) {
    return InvalidParameterValueError(
        "Can only include alphanumeric characters, hyphens, or underscores. 1 "
        "to 80 in length");
  }
  auto existing = queues_.find(request.queue_name);
  if (existing != queues_.end()) {
    const QueueRecord& record = existing->second->record();
    const std::string differing =
        FirstDifferingAttribute(record.attributes, request.attributes);
    if (!differing.empty()) {
      return MakeError(ErrorKind::kQueueNameExists,
                       absl::StrCat("A queue already exists with the same name "
                                    "and a different value for attribute ",
                                    differing));
    }
    return record;
  }
  if (options_.enforce_60_second_rules) {
    auto deleted = deleted_at_.find(request.queue_name);
    if (deleted != deleted_at_.end() &&
        txn.now() < deleted->second + absl::Seconds(60)) {
      return MakeError(ErrorKind::kQueueDeletedRecently,
                       "You must wait 60 seconds after deleting a queue before "
                       "you can create another with the same name.");
    }
  }
  CORTADO_ASSIGN_OR_RETURN(
      QueueAttributes attributes,
      AttributesForNewQueue(request.queue_name, request.attributes));
  CORTADO_RETURN_IF_ERROR(ValidateRedrive(request.queue_name, attributes));
  if (request.tags.size() > kMaxTags) {
    return InvalidParameterValueError("Too many tags: at most 50 are allowed.");
  }
  CORTADO_RETURN_IF_ERROR(ValidateTags(request.tags));
  QueueRecord record;
  record.queue_id = NextId(IdKind::kQueue, txn);
  record.name = request.queue_name;
  record.attributes = std::move(attributes);
  record.tags = request.tags;
  record.created = txn.now();
  record.last_modified = txn.now();
  auto queue = std::make_unique<Queue>(record);
  queues_by_id_[record.queue_id] = queue.get();
  queues_[record.name] = std::move(queue);
  txn.Write(PutQueue{record});
  return record;
}

void Broker::DeleteQueue(std::string queue_name, Callback<Empty> done) {
  SubmitCall<Empty>(std::move(done),
                    [this, name = std::move(queue_name)](Txn& txn) {
                      mu_.AssertHeld();
                      return PlanDeleteQueue(name, txn);
                    });
}

absl::StatusOr<Empty> Broker::PlanDeleteQueue(const std::string& name,
                                              Txn& txn) {
  CORTADO_ASSIGN_OR_RETURN(Queue * queue, FindQueue(name));
  // Parked receives on a deleted queue end empty, as its messages are gone.
  while (!queue->waiters().empty()) {
    AnswerWaiter(*queue->waiters().begin(), {}, txn);
  }
  if (queue->scheduled_deadline != absl::InfiniteFuture()) {
    queue_deadlines_.erase({queue->scheduled_deadline, queue->id()});
  }
  txn.Write(RemoveQueue{queue->id(), queue->Sequences()});
  deleted_at_[name] = txn.now();
  queues_by_id_.erase(queue->id());
  queues_.erase(name);
  return Empty{};
}

void Broker::PurgeQueue(std::string queue_name, Callback<Empty> done) {
  SubmitCall<Empty>(std::move(done),
                    [this, name = std::move(queue_name)](Txn& txn) {
                      mu_.AssertHeld();
                      return PlanPurgeQueue(name, txn);
                    });
}

absl::StatusOr<Empty> Broker::PlanPurgeQueue(const std::string& name,
                                             Txn& txn) {
  CORTADO_ASSIGN_OR_RETURN(Queue * queue, FindQueue(name));
  if (options_.enforce_60_second_rules &&
      txn.now() < queue->last_purge + absl::Seconds(60)) {
    return MakeError(ErrorKind::kPurgeQueueInProgress,
                     absl::StrCat("Only one PurgeQueue operation on ", name,
                                  " is allowed every 60 seconds."));
  }
  queue->last_purge = txn.now();
  txn.Write(PurgeQueueMessages{queue->id(), queue->Sequences()});
  queue->Clear();
  txn.Touch(queue->id());
  return Empty{};
}

void Broker::SetQueueAttributes(std::string queue_name, AttributeMap attributes,
                                Callback<Empty> done) {
  SubmitCall<Empty>(
      std::move(done), [this, name = std::move(queue_name),
                        attributes = std::move(attributes)](Txn& txn) {
        mu_.AssertHeld();
        int32_t delay_before = 0;
        absl::StatusOr<Empty> updated = PlanUpdateQueue(
            name,
            [&](QueueRecord& record) -> absl::Status {
              delay_before = record.attributes.delay_seconds;
              CORTADO_ASSIGN_OR_RETURN(
                  record.attributes,
                  ApplyAttributeChanges(record.attributes, attributes));
              mu_.AssertHeld();
              CORTADO_RETURN_IF_ERROR(
                  ValidateRedrive(record.name, record.attributes));
              record.last_modified = txn.now();
              return absl::OkStatus();
            },
            txn);
        if (updated.ok()) {
          Queue& queue = *queues_.at(name);
          if (queue.fifo() &&
              queue.record().attributes.delay_seconds != delay_before) {
            PlanRetroactiveDelay(queue, txn);
          }
        }
        return updated;
      });
}

void Broker::TagQueue(std::string queue_name, TagMap tags,
                      Callback<Empty> done) {
  SubmitCall<Empty>(std::move(done), [this, name = std::move(queue_name),
                                      tags = std::move(tags)](Txn& txn) {
    mu_.AssertHeld();
    return PlanUpdateQueue(
        name,
        [&](QueueRecord& record) -> absl::Status {
          CORTADO_RETURN_IF_ERROR(ValidateTags(tags));
          for (const auto& [key, value] : tags) record.tags[key] = value;
          if (record.tags.size() > kMaxTags) {
            return InvalidParameterValueError(
                "Too many tags: a queue can have at most 50.");
          }
          return absl::OkStatus();
        },
        txn);
  });
}

void Broker::UntagQueue(std::string queue_name, std::vector<std::string> keys,
                        Callback<Empty> done) {
  SubmitCall<Empty>(std::move(done), [this, name = std::move(queue_name),
                                      keys = std::move(keys)](Txn& txn) {
    mu_.AssertHeld();
    return PlanUpdateQueue(
        name,
        [&](QueueRecord& record) -> absl::Status {
          for (const std::string& key : keys) record.tags.erase(key);
          return absl::OkStatus();
        },
        txn);
  });
}

absl::StatusOr<Empty> Broker::PlanUpdateQueue(
    const std::string& name,
    absl::FunctionRef<absl::Status(QueueRecord&)> change, Txn& txn) {
  CORTADO_ASSIGN_OR_RETURN(Queue * queue, FindQueue(name));
  QueueRecord updated = queue->record();
  CORTADO_RETURN_IF_ERROR(change(updated));
  queue->SetRecord(updated);
  // A new retention period moves the queue's next expiry.
  txn.Touch(queue->id());
  txn.Write(PutQueue{std::move(updated)});
  return Empty{};
}

absl::Status Broker::GetQueue(const std::string& queue_name) const {
  absl::ReaderMutexLock lock(&mu_);
  CORTADO_RETURN_IF_ERROR(CheckReadable());
  return FindQueue(queue_name).status();
}

absl::StatusOr<ListQueuesResult> Broker::ListQueues(
    const ListQueuesRequest& request) const {
  CORTADO_ASSIGN_OR_RETURN(
      const QueueNamePage page,
      ParseQueueNamePage(request.max_results, request.next_token));
  std::vector<std::string> names;
  {
    absl::ReaderMutexLock lock(&mu_);
    CORTADO_RETURN_IF_ERROR(CheckReadable());
    for (const auto& [name, queue] : queues_) {
      if (absl::StartsWith(name, request.prefix)) names.push_back(name);
    }
  }
  return PageQueueNames(std::move(names), page);
}

absl::StatusOr<AttributeMap> Broker::GetQueueAttributes(
    const std::string& queue_name,
    const std::vector<std::string>& names) const {
  for (const std::string& name : names) {
    if (!IsKnownQueueAttributeName(name)) {
      return MakeError(ErrorKind::kInvalidAttributeName,
                       absl::StrCat("Unknown Attribute ", name, "."));
    }
  }
  AttributeMap all;
  {
    absl::ReaderMutexLock lock(&mu_);
    CORTADO_RETURN_IF_ERROR(CheckReadable());
    CORTADO_ASSIGN_OR_RETURN(const Queue* queue, FindQueue(queue_name));
    const QueueRecord& record = queue->record();
    all = RenderAttributes(record.attributes);
    all["QueueArn"] = QueueArn(record.name);
    all["CreatedTimestamp"] = absl::StrCat(absl::ToUnixSeconds(record.created));
    all["LastModifiedTimestamp"] =
        absl::StrCat(absl::ToUnixSeconds(record.last_modified));
    all["ApproximateNumberOfMessages"] = absl::StrCat(queue->visible_count());
    all["ApproximateNumberOfMessagesNotVisible"] =
        absl::StrCat(queue->in_flight_count());
    all["ApproximateNumberOfMessagesDelayed"] =
        absl::StrCat(queue->delayed_count());
  }
  if (std::find(names.begin(), names.end(), "All") != names.end()) return all;
  AttributeMap selected;
  for (const std::string& name : names) {
    auto it = all.find(name);
    if (it != all.end()) selected.insert(*it);
  }
  return selected;
}

absl::Status Broker::ValidateRedrive(const std::string& queue_name,
                                     const QueueAttributes& attributes) const {
  std::optional<RedriveTarget> target =
      ParseRedrivePolicy(attributes.redrive_policy);
  if (!target.has_value()) return absl::OkStatus();
  const std::string invalid =
      absl::StrCat("Value ", attributes.redrive_policy,
                   " for parameter RedrivePolicy is invalid. Reason: ");
  const absl::Status missing = InvalidParameterValueError(
      absl::StrCat(invalid, "Dead letter target does not exist."));
  if (QueueArn(target->queue_name) != target->arn) return missing;
  QueueAttributes dlq;
  auto dead_letter = queues_.find(target->queue_name);
  if (dead_letter != queues_.end()) {
    dlq = dead_letter->second->record().attributes;
  } else if (OtherPartitionOf(target->queue_name).has_value()) {
    // Cluster mode: a queue of another partition, as PostgreSQL has it.
    absl::StatusOr<PeerQueue> peer = DescribeOtherQueue(target->queue_name);
    if (absl::IsNotFound(peer.status())) return missing;
    if (!peer.ok()) return peer.status();
    dlq.fifo_queue = peer->fifo;
    dlq.redrive_allow_policy = peer->redrive_allow_policy;
  } else {
    return missing;
  }
  if (dlq.fifo_queue != attributes.fifo_queue) {
    return InvalidParameterValueError(absl::StrCat(
        invalid,
        "Dead-letter queue must be same type of queue as the source."));
  }
  return CheckRedriveAllowed(dlq, QueueArn(queue_name),
                             attributes.redrive_policy);
}

absl::StatusOr<ListQueuesResult> Broker::ListDeadLetterSourceQueues(
    const std::string& queue_name, int32_t max_results,
    const std::string& next_token) const {
  CORTADO_ASSIGN_OR_RETURN(const QueueNamePage page,
                           ParseQueueNamePage(max_results, next_token));
  std::vector<std::string> names;
  {
    absl::ReaderMutexLock lock(&mu_);
    CORTADO_RETURN_IF_ERROR(CheckReadable());
    CORTADO_RETURN_IF_ERROR(FindQueue(queue_name).status());
    const std::string arn = QueueArn(queue_name);
    for (const auto& [name, queue] : queues_) {
      if (queue->redrive().has_value() && queue->redrive()->arn == arn) {
        names.push_back(name);
      }
    }
  }
  // Cluster mode: and those of the other partitions, as committed (read
  // outside the lock: a blocking read of PostgreSQL).
  if (options_.other_partitions != nullptr) {
    CORTADO_ASSIGN_OR_RETURN(
        const std::vector<std::string> elsewhere,
        options_.other_partitions->DeadLetterSources(QueueArn(queue_name)));
    names.insert(names.end(), elsewhere.begin(), elsewhere.end());
  }
  return PageQueueNames(std::move(names), page);
}

absl::StatusOr<TagMap> Broker::ListQueueTags(
    const std::string& queue_name) const {
  absl::ReaderMutexLock lock(&mu_);
  CORTADO_RETURN_IF_ERROR(CheckReadable());
  CORTADO_ASSIGN_OR_RETURN(const Queue* queue, FindQueue(queue_name));
  return queue->record().tags;
}

}  // namespace cortado

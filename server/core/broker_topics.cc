// The Broker's topic (SNS) calls: each queues an operation (or, for reads,
// takes mu_ shared) and hands the work to Topics (topics.h), which owns the
// topics and plans into the batch's Txn. QueueFanOut is how Topics reaches
// the queues.
#include <utility>

#include "absl/strings/str_cat.h"
#include "server/core/broker.h"
#include "server/core/errors.h"
#include "server/core/status_macros.h"

namespace cortado {

// --- The queues as a FanOutTarget ---

absl::Status Broker::QueueFanOut::PlanCopy(const std::string& queue_name,
                                           SendMessageEntry copy,
                                           const std::string& dedup_id,
                                           const std::string& fallback_queue,
                                           Txn& txn) {
  broker_->mu_.AssertHeld();  // Topics plans only inside a batch
  auto queue = broker_->queues_.find(queue_name);
  if (queue == broker_->queues_.end()) {
    const std::optional<int32_t> partition =
        broker_->OtherPartitionOf(queue_name);
    if (!partition.has_value()) return QueueDoesNotExistError();
    MessageRecord message;
    message.body = std::move(copy.body);
    message.attributes = std::move(copy.attributes);
    message.system_attributes = std::move(copy.system_attributes);
    message.sender_id = std::move(copy.sender_id);
    message.message_group_id = std::move(copy.message_group_id);
    message.message_deduplication_id = dedup_id;
    broker_->PlanTransfer(*partition, TransferRecord::Kind::kSend, queue_name,
                          fallback_queue, std::move(message), txn);
    return absl::OkStatus();
  }
  if (queue->second->record().attributes.fifo_queue) {
    copy.message_deduplication_id = dedup_id;
  }
  return broker_->PlanSend(*queue->second, copy, txn).status();
}

uint64_t Broker::QueueFanOut::NextSequence(Txn& txn) {
  broker_->mu_.AssertHeld();
  return broker_->NextId(IdKind::kSequence, txn);
}

std::string Broker::TopicArn(const std::string& topic_name) const {
  return absl::StrCat("arn:aws:sns:", options_.region, ":", options_.account_id,
                      ":", topic_name);
}

// --- Writes: planned by Topics on the writer thread ---

void Broker::CreateTopic(CreateTopicRequest request,
                         Callback<std::string> done) {
  SubmitCall<std::string>(std::move(done),
                          [this, request = std::move(request)](Txn& txn) {
                            mu_.AssertHeld();
                            return topics_.PlanCreate(request, txn);
                          });
}

void Broker::DeleteTopic(std::string topic_arn, Callback<Empty> done) {
  SubmitCall<Empty>(std::move(done),
                    [this, arn = std::move(topic_arn)](Txn& txn) {
                      mu_.AssertHeld();
                      return topics_.PlanDelete(arn, txn);
                    });
}

void Broker::SetTopicAttributes(std::string topic_arn, std::string name,
                                std::string value, Callback<Empty> done) {
  SubmitCall<Empty>(std::move(done),
                    [this, arn = std::move(topic_arn), name = std::move(name),
                     value = std::move(value)](Txn& txn) {
                      mu_.AssertHeld();
                      return topics_.PlanSetAttribute(arn, name, value, txn);
                    });
}

void Broker::Subscribe(SubscribeRequest request, Callback<std::string> done) {
  SubmitCall<std::string>(std::move(done),
                          [this, request = std::move(request)](Txn& txn) {
                            mu_.AssertHeld();
                            return topics_.PlanSubscribe(request, txn);
                          });
}

void Broker::Unsubscribe(std::string subscription_arn, Callback<Empty> done) {
  Unsubscribe(UnsubscribeRequest{std::move(subscription_arn)}, std::move(done));
}

void Broker::Unsubscribe(UnsubscribeRequest request, Callback<Empty> done) {
  SubmitCall<Empty>(std::move(done),
                    [this, request = std::move(request)](Txn& txn) {
                      mu_.AssertHeld();
                      return topics_.PlanUnsubscribe(request, txn);
                    });
}

void Broker::ConfirmSubscription(ConfirmSubscriptionRequest request,
                                 Callback<std::string> done) {
  SubmitCall<std::string>(std::move(done),
                          [this, request = std::move(request)](Txn& txn) {
                            mu_.AssertHeld();
                            return topics_.PlanConfirm(request, txn);
                          });
}

void Broker::SetSubscriptionAttributes(std::string subscription_arn,
                                       std::string name, std::string value,
                                       Callback<Empty> done) {
  SubmitCall<Empty>(std::move(done), [this, arn = std::move(subscription_arn),
                                      name = std::move(name),
                                      value = std::move(value)](Txn& txn) {
    mu_.AssertHeld();
    return topics_.PlanSetSubscriptionAttribute(arn, name, value, txn);
  });
}

void Broker::Publish(std::string topic_arn, PublishEntry entry,
                     Callback<PublishResult> done) {
  SubmitCall<PublishResult>(
      std::move(done),
      [this, arn = std::move(topic_arn), entry = std::move(entry)](Txn& txn) {
        mu_.AssertHeld();
        return topics_.PlanPublish(arn, entry, txn);
      });
}

void Broker::PublishBatch(std::string topic_arn,
                          std::vector<PublishEntry> entries,
                          Callback<PublishBatchResult> done) {
  SubmitCall<PublishBatchResult>(
      std::move(done), [this, arn = std::move(topic_arn),
                        entries = std::move(entries)](Txn& txn) {
        mu_.AssertHeld();
        return topics_.PlanPublishBatch(arn, entries, txn);
      });
}

void Broker::TagResource(std::string arn, TagMap tags, Callback<Empty> done) {
  SubmitCall<Empty>(std::move(done), [this, arn = std::move(arn),
                                      tags = std::move(tags)](Txn& txn) {
    mu_.AssertHeld();
    return topics_.PlanTag(arn, tags, txn);
  });
}

void Broker::UntagResource(std::string arn, std::vector<std::string> keys,
                           Callback<Empty> done) {
  SubmitCall<Empty>(std::move(done), [this, arn = std::move(arn),
                                      keys = std::move(keys)](Txn& txn) {
    mu_.AssertHeld();
    return topics_.PlanUntag(arn, keys, txn);
  });
}

// --- Reads: mu_ shared, answered at once ---

absl::StatusOr<ListTopicsResult> Broker::ListTopics(
    const std::string& next_token) const {
  absl::ReaderMutexLock lock(&mu_);
  CORTADO_RETURN_IF_ERROR(CheckReadable());
  return topics_.List(next_token);
}

absl::StatusOr<AttributeMap> Broker::GetTopicAttributes(
    const std::string& topic_arn) const {
  absl::ReaderMutexLock lock(&mu_);
  CORTADO_RETURN_IF_ERROR(CheckReadable());
  return topics_.GetAttributes(topic_arn);
}

absl::StatusOr<ListSubscriptionsResult> Broker::ListSubscriptions(
    const std::string& topic_arn, const std::string& next_token) const {
  absl::ReaderMutexLock lock(&mu_);
  CORTADO_RETURN_IF_ERROR(CheckReadable());
  return topics_.ListSubscriptions(topic_arn, next_token);
}

absl::StatusOr<AttributeMap> Broker::GetSubscriptionAttributes(
    const std::string& subscription_arn) const {
  absl::ReaderMutexLock lock(&mu_);
  CORTADO_RETURN_IF_ERROR(CheckReadable());
  return topics_.GetSubscriptionAttributes(subscription_arn);
}

absl::StatusOr<TagMap> Broker::ListTagsForResource(
    const std::string& arn) const {
  absl::ReaderMutexLock lock(&mu_);
  CORTADO_RETURN_IF_ERROR(CheckReadable());
  return topics_.ListTags(arn);
}

}  // namespace cortado

// Publish and PublishBatch: validation with SNS's wording, then fan-out.
//
// Fan-out plans one copy per matching subscription through PlanSend inside
// the publishing operation, so every subscriber's copy is in the same group
// commit (one durable write, one answer) and each copy costs the same small
// amount whatever its position: the envelope is built and signed once per
// publish and only its UnsubscribeURL differs per subscriber. There is no
// per-subscriber delivery loop across commits, so the 50th queue gets its
// copy in the same instant as the first. FIFO semantics of the target queue
// (group and dedup ids) come from PlanSend itself; a FIFO topic also keeps
// its own 5-minute deduplication window, so a duplicate publish fans out
// nothing at all.
#include <algorithm>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "common/json.h"
#include "server/core/broker.h"
#include "server/core/errors.h"
#include "server/core/fifo.h"
#include "server/core/sns_envelope.h"
#include "server/core/sns_signer.h"
#include "server/core/status_macros.h"
#include "server/core/topic.h"
#include "server/core/topic_attributes.h"

namespace cortado {
namespace {

constexpr int64_t kMaxPublishBytes = 262144;
constexpr size_t kMaxBatchEntries = 10;
// Stands for the subscription ARN in the envelope built once per publish.
constexpr absl::string_view kSubscriptionPlaceholder =
    "CORTADO-SUBSCRIPTION-ARN-8f2c1e";

MessageAttributeValue StringAttribute(std::string value) {
  MessageAttributeValue attribute;
  attribute.data_type = "String";
  attribute.string_value = std::move(value);
  return attribute;
}

// The ErrorCode attribute of a copy redriven to a subscription's dead-letter
// queue: SNS's code for a missing queue, else the queue's SQS error name.
std::string DeliveryErrorCode(const absl::Status& status) {
  const ErrorKind kind = GetErrorKind(status);
  if (kind == ErrorKind::kQueueDoesNotExist) {
    return "AWS.SimpleQueueService.NonExistentQueue";
  }
  if (kind == ErrorKind::kNone) return "InternalError";
  return std::string(ErrorKindName(kind));
}

absl::Status Invalid(absl::string_view reason) {
  return MakeError(ErrorKind::kInvalidParameter,
                   absl::StrCat("Invalid parameter: ", reason));
}

bool IsValidGroupOrDedupId(const std::string& id) {
  if (id.empty() || id.size() > 128) return false;
  return std::all_of(id.begin(), id.end(),
                     [](char c) { return c > ' ' && c < 0x7f; });
}

bool IsValidBatchEntryId(const std::string& id) {
  if (id.empty() || id.size() > 80) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '-' || c == '_';
  });
}

// The text SQS subscriptions get: the message, or for MessageStructure=json
// its "sqs" entry if present, else its "default" entry.
absl::StatusOr<std::string> MessageForSqs(const PublishEntry& entry) {
  if (entry.message_structure.empty()) return entry.message;
  if (entry.message_structure != "json") return Invalid("MessageStructure");
  std::optional<JsonValue> json = ParseJson(entry.message);
  if (!json.has_value() || !json->is_object()) {
    return Invalid("Message Structure - JSON message body failed to parse");
  }
  const JsonValue* fallback = json->Find("default");
  if (fallback == nullptr || !fallback->is_string()) {
    return Invalid("Message Structure - No default entry in JSON message body");
  }
  const JsonValue* sqs = json->Find("sqs");
  if (sqs != nullptr && sqs->is_string()) return sqs->text;
  return fallback->text;
}

absl::Status ValidateEntry(const PublishEntry& entry,
                           const TopicRecord& topic) {
  if (entry.message.empty()) return Invalid("Empty message");
  if (static_cast<int64_t>(entry.message.size()) +
          AttributesSize(entry.attributes) >
      kMaxPublishBytes) {
    return Invalid("Message too long");
  }
  if (!entry.subject.empty()) {
    const bool bad =
        entry.subject.size() >= 100 ||
        std::any_of(entry.subject.begin(), entry.subject.end(), [](char c) {
          return static_cast<unsigned char>(c) < 0x20;
        });
    if (bad) return Invalid("Subject");
  }
  CORTADO_RETURN_IF_ERROR(ValidateMessageAttributes(entry.attributes));
  if (!entry.message_group_id.empty() &&
      !IsValidGroupOrDedupId(entry.message_group_id)) {
    return Invalid("MessageGroupId");
  }
  if (!entry.message_deduplication_id.empty() &&
      !IsValidGroupOrDedupId(entry.message_deduplication_id)) {
    return Invalid("MessageDeduplicationId");
  }
  if (topic.fifo) {
    if (entry.message_group_id.empty()) {
      return Invalid(
          "The MessageGroupId parameter is required for FIFO topics");
    }
    auto cbd = topic.attributes.find("ContentBasedDeduplication");
    const bool content_based =
        cbd != topic.attributes.end() && IsTrue(cbd->second);
    if (entry.message_deduplication_id.empty() && !content_based) {
      return Invalid(
          "The topic should either have ContentBasedDeduplication enabled or "
          "MessageDeduplicationId provided explicitly");
    }
  } else if (!entry.message_deduplication_id.empty()) {
    return Invalid(
        "MessageDeduplicationId Reason: The request includes "
        "MessageDeduplicationId parameter that is not valid for this topic "
        "type");
  }
  return absl::OkStatus();
}

// Used when the server gave no signer (core tests): one key per process,
// generated on first use.
const SnsSigner* FallbackSigner() {
  static const SnsSigner* const signer = [] {
    absl::StatusOr<std::unique_ptr<SnsSigner>> made = SnsSigner::Generate();
    return made.ok() ? made->release() : nullptr;
  }();
  return signer;
}

}  // namespace

void Broker::Publish(std::string topic_arn, PublishEntry entry,
                     Callback<PublishResult> done) {
  SubmitCall<PublishResult>(
      std::move(done),
      [this, arn = std::move(topic_arn),
       entry = std::move(entry)](Txn& txn) -> absl::StatusOr<PublishResult> {
        mu_.AssertHeld();
        CORTADO_ASSIGN_OR_RETURN(Topic * topic, FindTopic(arn));
        return PlanPublish(*topic, entry, txn);
      });
}

void Broker::PublishBatch(std::string topic_arn,
                          std::vector<PublishEntry> entries,
                          Callback<PublishBatchResult> done) {
  SubmitCall<PublishBatchResult>(
      std::move(done),
      [this, arn = std::move(topic_arn), entries = std::move(entries)](
          Txn& txn) -> absl::StatusOr<PublishBatchResult> {
        mu_.AssertHeld();
        CORTADO_ASSIGN_OR_RETURN(Topic * topic, FindTopic(arn));
        if (entries.empty()) {
          return MakeError(ErrorKind::kEmptyBatchRequest,
                           "The batch request doesn't contain any entries");
        }
        if (entries.size() > kMaxBatchEntries) {
          return MakeError(ErrorKind::kTooManyEntriesInBatchRequest,
                           "The batch request contains more entries than "
                           "permissible.");
        }
        absl::flat_hash_set<std::string> ids;
        int64_t total = 0;
        for (const PublishEntry& entry : entries) {
          if (!IsValidBatchEntryId(entry.id)) {
            return MakeError(
                ErrorKind::kInvalidBatchEntryId,
                absl::StrCat("The Id of a batch entry in the batch request "
                             "contains an impermissible character: ",
                             entry.id));
          }
          if (!ids.insert(entry.id).second) {
            return MakeError(ErrorKind::kBatchEntryIdsNotDistinct,
                             "Two or more batch entries in the request have "
                             "the same Id.");
          }
          total += entry.message.size() + AttributesSize(entry.attributes);
        }
        if (total > kMaxPublishBytes) {
          return MakeError(ErrorKind::kBatchRequestTooLong,
                           "The length of all the messages put together is "
                           "more than the limit.");
        }
        PublishBatchResult result;
        for (const PublishEntry& entry : entries) {
          absl::StatusOr<PublishResult> one = PlanPublish(*topic, entry, txn);
          if (one.ok()) {
            result.successful.emplace_back(entry.id, *std::move(one));
          } else {
            BatchEntryError error;
            error.id = entry.id;
            error.kind = GetErrorKind(one.status());
            if (error.kind == ErrorKind::kNone)
              error.kind = ErrorKind::kInternal;
            error.message = std::string(one.status().message());
            error.sender_fault = error.kind != ErrorKind::kInternal &&
                                 error.kind != ErrorKind::kStoreFailed;
            result.failed.push_back(std::move(error));
          }
        }
        return result;
      });
}

absl::StatusOr<PublishResult> Broker::PlanPublish(Topic& topic,
                                                  const PublishEntry& entry,
                                                  Txn& txn) {
  const TopicRecord& record = topic.record();
  CORTADO_RETURN_IF_ERROR(ValidateEntry(entry, record));
  CORTADO_ASSIGN_OR_RETURN(const std::string message, MessageForSqs(entry));

  std::string dedup_id = entry.message_deduplication_id;
  if (topic.fifo() && dedup_id.empty()) dedup_id = Sha256Hex(message);
  std::string scope_key;
  if (topic.fifo()) {
    // A duplicate within 5 minutes is accepted, answered with the first
    // publish's ids and delivered to nobody (SNS), whatever the queues
    // subscribed now: standard queues would otherwise get it twice.
    if (topic.dedup().ExpireUpTo(txn.now())) {
      txn.Write(ExpireTopicDedup{topic.id(), txn.now()});
    }
    auto scope = record.attributes.find("FifoThroughputScope");
    const bool per_group =
        scope != record.attributes.end() && scope->second == "MessageGroup";
    scope_key = DedupScopeKey(per_group ? "messageGroup" : "queue",
                              entry.message_group_id, dedup_id);
    if (const DedupWindow::Entry* duplicate =
            topic.dedup().Find(scope_key, txn.now())) {
      return PublishResult{duplicate->message_id, duplicate->sequence_number};
    }
  }

  PublishResult result;
  result.message_id = NewMessageId();
  if (topic.fifo()) {
    // Durable and increasing across restarts: taken from the broker's
    // message sequence, which is never reused.
    result.sequence_number =
        absl::StrFormat("%020d", NextId(IdKind::kSequence, txn));
  }
  const std::string topic_arn = TopicArn(topic.name());

  // Built on the first non-raw subscriber that matches.
  std::optional<std::string> envelope;
  auto build_envelope = [&]() -> absl::Status {
    mu_.AssertHeld();  // runs inside PlanPublish
    const SnsSigner* signer =
        options_.sns_signer != nullptr ? options_.sns_signer : FallbackSigner();
    if (signer == nullptr) {
      return MakeError(ErrorKind::kInternal, "No key to sign notifications.");
    }
    SnsNotification n;
    n.message_id = result.message_id;
    n.topic_arn = topic_arn;
    n.subject = entry.subject;
    n.message = message;
    n.timestamp = txn.now();
    n.unsubscribe_url =
        absl::StrCat(sns_base_url_, "/?Action=Unsubscribe&",
                     "SubscriptionArn=", kSubscriptionPlaceholder);
    n.signing_cert_url = absl::StrCat(sns_base_url_, kSnsSigningCertPath);
    auto version = record.attributes.find("SignatureVersion");
    n.signature_version =
        version != record.attributes.end() && version->second == "2" ? 2 : 1;
    n.fifo = topic.fifo();
    n.sequence_number = result.sequence_number;
    n.attributes = entry.attributes;
    envelope = BuildSnsEnvelope(n, *signer);
    return absl::OkStatus();
  };

  for (const auto& [id, subscription] : topic.subscriptions()) {
    if (subscription.record.protocol != "sqs") continue;
    if (subscription.filter.has_value() &&
        !subscription.filter->Matches(entry.attributes, message)) {
      continue;
    }
    SendMessageEntry copy;
    if (subscription.raw) {
      copy.body = message;
      copy.attributes = entry.attributes;
    } else {
      if (!envelope.has_value()) CORTADO_RETURN_IF_ERROR(build_envelope());
      copy.body = absl::StrReplaceAll(
          *envelope,
          {{kSubscriptionPlaceholder, absl::StrCat(topic_arn, ":", id)}});
    }
    copy.sender_id = options_.account_id;
    // Standard topics forward a group id to standard queues (fair queues);
    // FIFO topics give FIFO queues both ids.
    copy.message_group_id = entry.message_group_id;
    // A subscription outlives its queue in SNS, and a queue may refuse a
    // copy (e.g. one larger than its MaximumMessageSize): either way the
    // copy goes to the subscription's dead-letter queue if it has one, and
    // is dropped for that subscriber only if not.
    absl::Status delivered =
        DeliverCopy(subscription.queue_name, copy, dedup_id, txn);
    if (delivered.ok()) ++topic.counters().delivered;
    if (!delivered.ok() && !subscription.dead_letter_queue.empty()) {
      copy.attributes.insert_or_assign("RequestID",
                                       StringAttribute(NewMessageId()));
      copy.attributes.insert_or_assign(
          "ErrorCode", StringAttribute(DeliveryErrorCode(delivered)));
      copy.attributes.insert_or_assign(
          "ErrorMessage", StringAttribute(std::string(delivered.message())));
      (void)DeliverCopy(subscription.dead_letter_queue, copy, dedup_id, txn);
    }
  }
  ++topic.counters().published;
  if (topic.fifo()) {
    TopicDedupRecord window{topic.id(), scope_key, result.message_id,
                            result.sequence_number,
                            txn.now() + kFifoDedupWindow};
    topic.dedup().Put(
        scope_key, {window.message_id, window.sequence_number, window.expires});
    txn.Write(PutTopicDedup{std::move(window)});
  }
  return result;
}

absl::Status Broker::DeliverCopy(const std::string& queue_name,
                                 SendMessageEntry copy,
                                 const std::string& dedup_id, Txn& txn) {
  auto queue = queues_.find(queue_name);
  if (queue == queues_.end()) return QueueDoesNotExistError();
  if (queue->second->record().attributes.fifo_queue) {
    copy.message_deduplication_id = dedup_id;
  }
  return PlanSend(*queue->second, copy, txn).status();
}

}  // namespace cortado

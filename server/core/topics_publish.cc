// Topics::PlanPublish and PlanPublishBatch: validation with SNS's wording,
// then fan-out.
//
// Fan-out plans one copy per matching subscription through PlanSend inside
// the publishing operation (FanOutTarget::PlanCopy), so every subscriber's
// copy is in the same group commit (one durable write, one answer) and each
// copy costs the same small amount whatever its position: the envelope is
// built and signed once per publish (by the injected EnvelopeBuilder) and
// only its UnsubscribeURL differs per subscriber. There is no
// per-subscriber delivery loop across commits, so the 50th queue gets its
// copy in the same instant as the first. FIFO semantics of the target queue
// (group and dedup ids) come from PlanSend itself; a FIFO topic also keeps
// its own 5-minute deduplication window, so a duplicate publish fans out
// nothing at all.
#include <algorithm>
#include <optional>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "common/json.h"
#include "common/uuid.h"
#include "server/core/errors.h"
#include "server/core/fifo.h"
#include "server/core/prepared_send.h"
#include "server/core/publish_attributes.h"
#include "server/core/status_macros.h"
#include "server/core/topic_attributes.h"
#include "server/core/topics.h"
#include "server/core/utf8.h"

namespace cortado {
namespace {

constexpr int64_t kMaxPublishBytes = 262144;
constexpr size_t kMaxBatchEntries = 10;
constexpr size_t kMaxSubjectCharacters = 100;
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

// The text subscribers of `protocol` get: the message, or for
// MessageStructure=json its `protocol` entry if present, else its "default"
// entry.
absl::StatusOr<std::string> MessageFor(const PublishEntry& entry,
                                       absl::string_view protocol) {
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
  const JsonValue* own = json->Find(protocol);
  if (own != nullptr && own->is_string()) return own->text;
  return fallback->text;
}

absl::StatusOr<std::string> MessageForSqs(const PublishEntry& entry) {
  return MessageFor(entry, "sqs");
}

// A FIFO topic needs a group id and a deduplication id (or content-based
// deduplication); a standard topic takes no deduplication id.
absl::Status ValidateFifoIds(const PublishEntry& entry,
                             const TopicAttributes& topic) {
  if (topic.fifo) {
    if (entry.message_group_id.empty()) {
      return Invalid(
          "The MessageGroupId parameter is required for FIFO topics");
    }
    if (entry.message_deduplication_id.empty() &&
        !topic.content_based_deduplication) {
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

absl::Status ValidateEntry(const PublishEntry& entry,
                           const TopicAttributes& topic) {
  if (entry.message.empty()) return Invalid("Empty message");
  if (static_cast<int64_t>(entry.message.size()) +
          AttributesSize(entry.attributes) >
      kMaxPublishBytes) {
    return Invalid("Message too long");
  }
  if (!entry.subject.empty()) {
    // Up to 100 characters (not bytes: "Ünïcode" counts 7), no control
    // characters.
    const bool bad =
        CountCodePoints(entry.subject).value_or(kMaxSubjectCharacters + 1) >
            kMaxSubjectCharacters ||
        std::any_of(entry.subject.begin(), entry.subject.end(), [](char c) {
          return static_cast<unsigned char>(c) < 0x20;
        });
    if (bad) return Invalid("Subject");
  }
  CORTADO_RETURN_IF_ERROR(ValidatePublishAttributes(entry.attributes));
  if (!entry.message_group_id.empty() &&
      !IsValidGroupOrDedupId(entry.message_group_id)) {
    return Invalid("MessageGroupId");
  }
  if (!entry.message_deduplication_id.empty() &&
      !IsValidGroupOrDedupId(entry.message_deduplication_id)) {
    return Invalid("MessageDeduplicationId");
  }
  return ValidateFifoIds(entry, topic);
}

// The problems that fail a whole PublishBatch rather than one entry, as on
// SNS (400, no Failed list): attributes, MessageStructure and the ids a FIFO
// topic needs. The entry's other checks (empty or long message, subject)
// fail it alone.
absl::Status ValidateBatchWide(const PublishEntry& entry,
                               const TopicAttributes& topic) {
  CORTADO_RETURN_IF_ERROR(ValidatePublishAttributes(entry.attributes));
  CORTADO_RETURN_IF_ERROR(MessageForSqs(entry).status());
  return ValidateFifoIds(entry, topic);
}

// The checks of a PublishBatch as a whole, before any entry is published.
absl::Status ValidateBatch(const std::vector<PublishEntry>& entries) {
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
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<PublishResult> Topics::PlanPublish(const std::string& topic_arn,
                                                  const PublishEntry& entry,
                                                  Txn& txn) {
  CORTADO_ASSIGN_OR_RETURN(Topic * topic, Find(topic_arn));
  return PlanPublishOne(*topic, entry, txn);
}

absl::StatusOr<PublishBatchResult> Topics::PlanPublishBatch(
    const std::string& topic_arn, const std::vector<PublishEntry>& entries,
    Txn& txn) {
  CORTADO_ASSIGN_OR_RETURN(Topic * topic, Find(topic_arn));
  CORTADO_RETURN_IF_ERROR(ValidateBatch(entries));
  for (const PublishEntry& entry : entries) {
    CORTADO_RETURN_IF_ERROR(ValidateBatchWide(entry, topic->attributes()));
  }
  PublishBatchResult result;
  for (const PublishEntry& entry : entries) {
    absl::StatusOr<PublishResult> one = PlanPublishOne(*topic, entry, txn);
    if (one.ok()) {
      result.successful.emplace_back(entry.id, *std::move(one));
    } else {
      result.failed.push_back(EntryError(entry.id, one.status()));
    }
  }
  return result;
}

absl::StatusOr<PublishResult> Topics::PlanPublishOne(Topic& topic,
                                                     const PublishEntry& entry,
                                                     Txn& txn) {
  const TopicAttributes& attributes = topic.attributes();
  CORTADO_RETURN_IF_ERROR(ValidateEntry(entry, attributes));
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
    scope_key = DedupScopeKey(
        attributes.deduplication_per_group ? "messageGroup" : "queue",
        entry.message_group_id, dedup_id);
    if (const DedupWindow::Entry* duplicate =
            topic.dedup().Find(scope_key, txn.now())) {
      return PublishResult{duplicate->message_id, duplicate->sequence_number};
    }
  }

  PublishResult result;
  result.message_id = RandomUuid();
  if (topic.fifo()) {
    // Durable and increasing across restarts: taken from the broker's
    // message sequence, which is never reused.
    result.sequence_number =
        absl::StrFormat("%020d", queues_->NextSequence(txn));
  }
  FanOut(topic, entry, message, result, dedup_id, txn);
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

void Topics::FanOut(Topic& topic, const PublishEntry& entry,
                    const std::string& message, const PublishResult& result,
                    const std::string& dedup_id, Txn& txn) {
  const std::string topic_arn = TopicArn(topic.name());
  // Built and signed once per distinct message text (MessageStructure=json
  // may give HTTP subscribers another text than queues), on the first
  // non-raw subscriber that matches.
  absl::flat_hash_map<std::string, std::string> envelopes;
  auto envelope_of = [&](const std::string& text) -> const std::string& {
    auto [it, added] = envelopes.try_emplace(text);
    if (!added) return it->second;
    Notification n;
    n.message_id = result.message_id;
    n.topic_arn = topic_arn;
    n.subject = entry.subject;
    n.message = text;
    n.timestamp = txn.now();
    n.signature_version = topic.attributes().signature_version;
    n.fifo = topic.fifo();
    n.sequence_number = result.sequence_number;
    n.attributes = entry.attributes;
    it->second = envelopes_->Build(n, kSubscriptionPlaceholder);
    return it->second;
  };

  for (const auto& [id, subscription] : topic.subscriptions()) {
    const bool http = IsHttpProtocol(subscription.record.protocol);
    if (http ? subscription.record.pending_confirmation || pushes_ == nullptr
             : subscription.record.protocol != "sqs") {
      continue;
    }
    // Validated for json structure already, so only "sqs"/"default" differ.
    const std::string text =
        http ? MessageFor(entry, subscription.record.protocol).value_or(message)
             : message;
    if (subscription.filter.has_value() &&
        !subscription.filter->Matches(entry.attributes, text)) {
      continue;
    }
    std::string body =
        subscription.raw
            ? text
            : absl::StrReplaceAll(envelope_of(text),
                                  {{kSubscriptionPlaceholder,
                                    absl::StrCat(topic_arn, ":", id)}});
    if (http) {
      PushNotification(topic, subscription, std::move(body), result.message_id,
                       txn);
      ++topic.counters().delivered;
      continue;
    }
    SendMessageEntry copy;
    copy.body = std::move(body);
    if (subscription.raw) copy.attributes = entry.attributes;
    copy.sender_id = account_id_;
    // Standard topics forward a group id to standard queues (fair queues);
    // FIFO topics give FIFO queues both ids.
    copy.message_group_id = entry.message_group_id;
    PlanDelivery(topic, subscription, std::move(copy), dedup_id, txn);
  }
}

void Topics::PlanDelivery(Topic& topic, const Subscription& subscription,
                          SendMessageEntry copy, const std::string& dedup_id,
                          Txn& txn) {
  // A subscription outlives its queue in SNS, and a queue may refuse a
  // copy (e.g. one larger than its MaximumMessageSize): either way the
  // copy goes to the subscription's dead-letter queue if it has one, and
  // is dropped for that subscriber only if not.
  absl::Status delivered =
      queues_->PlanCopy(subscription.queue_name, copy, dedup_id,
                        subscription.dead_letter_queue, txn);
  if (delivered.ok()) {
    ++topic.counters().delivered;
    return;
  }
  if (subscription.dead_letter_queue.empty()) return;
  MarkUndelivered(copy, delivered);
  (void)queues_->PlanCopy(subscription.dead_letter_queue, std::move(copy),
                          dedup_id, /*fallback_queue=*/"", txn);
}

void MarkUndelivered(SendMessageEntry& copy, const absl::Status& why) {
  copy.attributes.insert_or_assign("RequestID", StringAttribute(RandomUuid()));
  copy.attributes.insert_or_assign("ErrorCode",
                                   StringAttribute(DeliveryErrorCode(why)));
  copy.attributes.insert_or_assign("ErrorMessage",
                                   StringAttribute(std::string(why.message())));
}

}  // namespace cortado

// Topics: create, delete, attributes, subscriptions, tags and the reads.
// Publishing lives in topics_publish.cc.
#include "server/core/topics.h"

#include <algorithm>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/uuid.h"
#include "server/core/errors.h"
#include "server/core/listing.h"
#include "server/core/status_macros.h"
#include "server/core/topic_attributes.h"

namespace cortado {
namespace {

constexpr size_t kMaxTopicTags = 50;

absl::Status TopicNotFound() {
  return MakeError(ErrorKind::kNotFound, "Topic does not exist");
}
absl::Status SubscriptionNotFound() {
  return MakeError(ErrorKind::kNotFound, "Subscription does not exist");
}
// Tagging names SNS resources generically.
absl::Status ResourceNotFound() {
  return MakeError(ErrorKind::kResourceNotFound, "Resource does not exist");
}
absl::Status Invalid(absl::string_view reason) {
  return MakeError(ErrorKind::kInvalidParameter,
                   absl::StrCat("Invalid parameter: ", reason));
}

// Subscribe reports attribute problems as "Invalid parameter: Attributes
// Reason: <what SetSubscriptionAttributes would say>".
absl::Status InSubscribeAttributes(const absl::Status& status) {
  absl::string_view message = status.message();
  if (GetErrorKind(status) != ErrorKind::kInvalidParameter ||
      !absl::ConsumePrefix(&message, "Invalid parameter: ")) {
    return status;
  }
  return Invalid(absl::StrCat("Attributes Reason: ", message));
}

absl::Status ValidateTopicTags(const TagMap& tags) {
  if (tags.size() > kMaxTopicTags) {
    return MakeError(ErrorKind::kInvalidParameter,
                     "Could not complete request: tag quota of per resource "
                     "exceeded");
  }
  for (const auto& [key, value] : tags) {
    if (key.empty() || key.size() > 128) return Invalid("Tags Reason: key");
    if (value.size() > 256) return Invalid("Tags Reason: value");
  }
  return absl::OkStatus();
}

// Returns the topic name of a topic ARN of this broker, or NotFound.
absl::StatusOr<std::string> TopicNameOf(const std::string& arn,
                                        const std::string& region,
                                        const std::string& account_id) {
  CORTADO_ASSIGN_OR_RETURN(ParsedArn parsed, ParseArn(arn, "TopicArn"));
  if (parsed.service != "sns" || !parsed.id.empty()) {
    return Invalid("TopicArn");
  }
  if (parsed.region != region || parsed.account != account_id) {
    return TopicNotFound();
  }
  return parsed.resource;
}

// A queue subscription's endpoint: an SQS queue ARN (a FIFO queue only on
// a FIFO topic).
absl::Status CheckQueueEndpoint(const Topic& topic,
                                const std::string& endpoint) {
  absl::StatusOr<ParsedArn> arn = ParseArn(endpoint, "Endpoint");
  if (!absl::StartsWith(endpoint, "arn:aws:sqs:") || !arn.ok() ||
      !arn->id.empty() || arn->resource.empty()) {
    return Invalid("SQS endpoint ARN");
  }
  if (!topic.fifo() && absl::EndsWith(arn->resource, ".fifo")) {
    return Invalid(
        "Invalid parameter: Endpoint Reason: FIFO SQS Queues can not be "
        "subscribed to standard SNS topics");
  }
  return absl::OkStatus();
}

// Subscribe's answer: the ARN, or for a subscription awaiting confirmation
// "pending confirmation" unless ReturnSubscriptionArn asked for the ARN.
std::string SubscribeAnswer(const SubscribeRequest& request,
                            const std::string& id, bool pending) {
  if (pending && !request.return_subscription_arn) {
    return kPendingConfirmationArn;
  }
  return absl::StrCat(request.topic_arn, ":", id);
}

}  // namespace

Topics::Topics(std::string region, std::string account_id, FanOutTarget* queues,
               const EnvelopeBuilder* envelopes, HttpPusher* pushes)
    : region_(std::move(region)),
      account_id_(std::move(account_id)),
      queues_(queues),
      envelopes_(envelopes),
      pushes_(pushes) {}

std::string Topics::TopicArn(const std::string& topic_name) const {
  return absl::StrCat("arn:aws:sns:", region_, ":", account_id_, ":",
                      topic_name);
}

void Topics::Load(StoreSnapshot& snapshot) {
  // A reload after a store failure (Broker::Recover) replaces everything.
  topics_.clear();
  topic_of_subscription_.clear();
  next_topic_id_ = 1;
  absl::flat_hash_map<uint64_t, Topic*> by_id;
  for (TopicRecord& record : snapshot.topics) {
    next_topic_id_ = std::max(next_topic_id_, record.topic_id + 1);
    auto topic = std::make_unique<Topic>(std::move(record));
    by_id[topic->id()] = topic.get();
    std::string name = topic->name();
    topics_[name] = std::move(topic);
  }
  for (SubscriptionRecord& record : snapshot.subscriptions) {
    auto topic = by_id.find(record.topic_id);
    if (topic == by_id.end()) continue;  // orphan of a deleted topic
    std::string id = record.subscription_id;
    // Policies were validated when set; one that no longer parses (a newer
    // validator) is kept without filtering rather than losing the
    // subscription.
    absl::StatusOr<Subscription> subscription = MakeSubscription(record);
    if (!subscription.ok()) {
      subscription = Subscription{};
      subscription->record = std::move(record);
    }
    topic->second->subscriptions()[id] = *std::move(subscription);
    topic_of_subscription_[id] = topic->second;
  }
  for (TopicDedupRecord& entry : snapshot.topic_dedup) {
    auto topic = by_id.find(entry.topic_id);
    if (topic == by_id.end()) continue;
    // Expired ones too: the topic's next publish drops them and their rows.
    topic->second->dedup().Put(
        entry.scope_key, {std::move(entry.message_id),
                          std::move(entry.sequence_number), entry.expires});
  }
}

absl::StatusOr<Topic*> Topics::Find(const std::string& topic_arn) const {
  CORTADO_ASSIGN_OR_RETURN(std::string name,
                           TopicNameOf(topic_arn, region_, account_id_));
  auto it = topics_.find(name);
  if (it == topics_.end()) return TopicNotFound();
  return it->second.get();
}

// --- Topics ---

absl::StatusOr<std::string> Topics::PlanCreate(
    const CreateTopicRequest& request, Txn& txn) {
  if (!IsValidTopicName(request.name)) return Invalid("Topic Name");
  CORTADO_ASSIGN_OR_RETURN(
      AttributeMap attributes,
      AttributesForNewTopic(request.name, request.attributes));
  CORTADO_RETURN_IF_ERROR(ValidateTopicTags(request.tags));
  auto existing = topics_.find(request.name);
  if (existing != topics_.end()) {
    // Idempotent for the same attributes and tags (only those given count).
    const TopicRecord& record = existing->second->record();
    for (const auto& [key, value] : attributes) {
      auto stored = record.attributes.find(key);
      if (stored == record.attributes.end() || stored->second != value) {
        return Invalid(
            "Attributes Reason: Topic already exists with different "
            "attributes");
      }
    }
    if (!request.tags.empty() && request.tags != record.tags) {
      return Invalid("Tags Reason: Topic already exists with different tags");
    }
    return TopicArn(request.name);
  }
  TopicRecord record;
  record.topic_id = next_topic_id_++;
  record.name = request.name;
  record.fifo = attributes.count("FifoTopic") > 0;
  record.attributes = std::move(attributes);
  record.tags = request.tags;
  record.created = txn.now();
  txn.Write(PutTopic{record});
  topics_[request.name] = std::make_unique<Topic>(std::move(record));
  return TopicArn(request.name);
}

absl::StatusOr<Empty> Topics::PlanDelete(const std::string& topic_arn,
                                         Txn& txn) {
  absl::StatusOr<Topic*> topic = Find(topic_arn);
  // Deleting a missing topic is not an error in SNS.
  if (GetErrorKind(topic.status()) == ErrorKind::kNotFound) return Empty{};
  if (!topic.ok()) return topic.status();
  for (const auto& [id, subscription] : (*topic)->subscriptions()) {
    topic_of_subscription_.erase(id);
  }
  txn.Write(RemoveTopic{(*topic)->id()});
  topics_.erase((*topic)->name());
  return Empty{};
}

absl::StatusOr<Empty> Topics::PlanSetAttribute(const std::string& topic_arn,
                                               const std::string& name,
                                               const std::string& value,
                                               Txn& txn) {
  CORTADO_ASSIGN_OR_RETURN(Topic * topic, Find(topic_arn));
  if (name == "FifoTopic") return Invalid("AttributeName");
  CORTADO_RETURN_IF_ERROR(ValidateTopicAttribute(name, value, topic->fifo()));
  AttributeMap attributes = topic->record().attributes;
  if (value.empty() && name != "DisplayName") {
    attributes.erase(name);  // back to the default
  } else if (name == "ContentBasedDeduplication") {
    attributes[name] = IsTrue(value) ? "true" : "false";
  } else {
    attributes[name] = value;
  }
  topic->set_attributes(std::move(attributes));
  txn.Write(PutTopic{topic->record()});
  return Empty{};
}

ListTopicsResult Topics::List(const std::string& next_token) const {
  std::vector<std::string> names;
  for (const auto& [name, topic] : topics_) names.push_back(name);
  ListTopicsResult result;
  result.next_token = next_token;
  for (const std::string& name :
       PageTopicNames(std::move(names), result.next_token)) {
    result.topic_arns.push_back(TopicArn(name));
  }
  return result;
}

absl::StatusOr<AttributeMap> Topics::GetAttributes(
    const std::string& topic_arn) const {
  CORTADO_ASSIGN_OR_RETURN(const Topic* topic, Find(topic_arn));
  return RenderTopicAttributes(topic->record().attributes, topic_arn,
                               account_id_,
                               static_cast<int>(topic->subscriptions().size()));
}

std::vector<TopicMetrics> Topics::Metrics() const {
  std::vector<TopicMetrics> out;
  out.reserve(topics_.size());
  for (const auto& [name, topic] : topics_) {
    out.push_back({name, topic->counters()});
  }
  return out;
}

// --- Subscriptions ---

absl::StatusOr<std::string> Topics::PlanSubscribe(
    const SubscribeRequest& request, Txn& txn) {
  CORTADO_ASSIGN_OR_RETURN(Topic * topic, Find(request.topic_arn));
  const bool http = IsHttpProtocol(request.protocol);
  if (http) {
    CORTADO_RETURN_IF_ERROR(CheckHttpEndpoint(request));
  } else if (request.protocol != "sqs") {
    return Invalid(
        absl::StrCat("Amazon SNS does not support this protocol string: ",
                     request.protocol));
  } else {
    CORTADO_RETURN_IF_ERROR(CheckQueueEndpoint(*topic, request.endpoint));
  }
  for (const auto& [name, value] : request.attributes) {
    if (name == "FilterPolicy") continue;  // parsed by MakeSubscription
    CORTADO_RETURN_IF_ERROR(
        InSubscribeAttributes(ValidateSubscriptionAttribute(name, value)));
  }
  for (const auto& [id, existing] : topic->subscriptions()) {
    if (existing.record.protocol != request.protocol ||
        existing.record.endpoint != request.endpoint) {
      continue;
    }
    if (existing.record.attributes != request.attributes) {
      return Invalid(
          "Attributes Reason: Subscription already exists with different "
          "attributes");
    }
    // Subscribing again while unconfirmed sends a new confirmation (SNS),
    // which is how an endpoint that missed the first one gets it.
    if (existing.record.pending_confirmation) {
      PushSubscriptionMessage(*topic, existing.record,
                              "SubscriptionConfirmation", txn);
    }
    return SubscribeAnswer(request, id, existing.record.pending_confirmation);
  }
  SubscriptionRecord record;
  record.subscription_id = RandomUuid();
  record.topic_id = topic->id();
  record.protocol = request.protocol;
  record.endpoint = request.endpoint;
  record.attributes = request.attributes;
  record.created = txn.now();
  if (http) {
    record.pending_confirmation = true;
    record.confirmation_token = NewConfirmationToken();
    record.confirmation_authenticated = false;
  }
  absl::StatusOr<Subscription> subscription = MakeSubscription(record);
  if (!subscription.ok()) return InSubscribeAttributes(subscription.status());
  txn.Write(PutSubscription{record});
  const std::string id = record.subscription_id;
  topic->subscriptions()[id] = *std::move(subscription);
  topic_of_subscription_[id] = topic;
  if (http)
    PushSubscriptionMessage(*topic, record, "SubscriptionConfirmation", txn);
  return SubscribeAnswer(request, id, record.pending_confirmation);
}

absl::StatusOr<std::pair<Topic*, Subscription*>> Topics::FindSubscription(
    const std::string& arn) const {
  CORTADO_ASSIGN_OR_RETURN(ParsedArn parsed, ParseArn(arn, "SubscriptionArn"));
  if (parsed.service != "sns" || parsed.id.empty()) {
    return Invalid("SubscriptionArn");
  }
  auto it = topic_of_subscription_.find(parsed.id);
  if (it == topic_of_subscription_.end() ||
      it->second->name() != parsed.resource) {
    return SubscriptionNotFound();
  }
  auto sub = it->second->subscriptions().find(parsed.id);
  if (sub == it->second->subscriptions().end()) return SubscriptionNotFound();
  return std::make_pair(it->second, &sub->second);
}

absl::StatusOr<Empty> Topics::PlanUnsubscribe(const UnsubscribeRequest& request,
                                              Txn& txn) {
  auto found = FindSubscription(request.subscription_arn);
  // Like DeleteTopic, unsubscribing twice is not an error.
  if (GetErrorKind(found.status()) == ErrorKind::kNotFound) return Empty{};
  if (!found.ok()) return found.status();
  auto [topic, subscription] = *found;
  if (subscription->record.authenticate_on_unsubscribe &&
      !request.authenticated) {
    return MakeError(ErrorKind::kAuthorizationError,
                     "Only authenticated calls may unsubscribe this "
                     "subscription (AuthenticateOnUnsubscribe)");
  }
  const std::string id = subscription->record.subscription_id;
  if (IsHttpProtocol(subscription->record.protocol)) {
    PushSubscriptionMessage(*topic, subscription->record,
                            "UnsubscribeConfirmation", txn);
  }
  txn.Write(RemoveSubscription{id});
  topic->subscriptions().erase(id);
  topic_of_subscription_.erase(id);
  return Empty{};
}

absl::StatusOr<Empty> Topics::PlanSetSubscriptionAttribute(
    const std::string& subscription_arn, const std::string& name,
    const std::string& value, Txn& txn) {
  CORTADO_ASSIGN_OR_RETURN(auto found, FindSubscription(subscription_arn));
  Subscription* subscription = found.second;
  if (name != "FilterPolicy") {
    CORTADO_RETURN_IF_ERROR(ValidateSubscriptionAttribute(name, value));
  }
  SubscriptionRecord record = subscription->record;
  // An empty FilterPolicy removes filtering.
  if (value.empty() && name != "RawMessageDelivery") {
    record.attributes.erase(name);
  } else {
    record.attributes[name] = value;
  }
  CORTADO_ASSIGN_OR_RETURN(Subscription updated, MakeSubscription(record));
  txn.Write(PutSubscription{record});
  *subscription = std::move(updated);
  return Empty{};
}

absl::StatusOr<ListSubscriptionsResult> Topics::ListSubscriptions(
    const std::string& topic_arn, const std::string& next_token) const {
  std::vector<const Topic*> topics;
  if (!topic_arn.empty()) {
    CORTADO_ASSIGN_OR_RETURN(const Topic* topic, Find(topic_arn));
    topics.push_back(topic);
  } else {
    for (const auto& [name, topic] : topics_) topics.push_back(topic.get());
  }
  std::vector<SubscriptionInfo> all;
  for (const Topic* topic : topics) {
    const std::string arn = TopicArn(topic->name());
    for (const auto& [id, subscription] : topic->subscriptions()) {
      // SNS lists an unconfirmed subscription without its ARN.
      all.push_back({subscription.record.pending_confirmation
                         ? kPendingConfirmationListed
                         : absl::StrCat(arn, ":", id),
                     account_id_, subscription.record.protocol,
                     subscription.record.endpoint, arn});
    }
  }
  return PageSubscriptions(std::move(all), next_token);
}

absl::StatusOr<AttributeMap> Topics::GetSubscriptionAttributes(
    const std::string& subscription_arn) const {
  CORTADO_ASSIGN_OR_RETURN(auto found, FindSubscription(subscription_arn));
  const SubscriptionRecord& record = found.second->record;
  AttributeMap out = record.attributes;
  out["ConfirmationWasAuthenticated"] =
      record.confirmation_authenticated ? "true" : "false";
  out["Endpoint"] = record.endpoint;
  out["Owner"] = account_id_;
  out["PendingConfirmation"] = record.pending_confirmation ? "true" : "false";
  if (IsHttpProtocol(record.protocol)) {
    out["EffectiveDeliveryPolicy"] = EffectiveHttpDeliveryPolicy(
        found.first->record().attributes, record.attributes);
  }
  out["Protocol"] = record.protocol;
  out["RawMessageDelivery"] = found.second->raw ? "true" : "false";
  out["SubscriptionArn"] = subscription_arn;
  out["SubscriptionPrincipal"] =
      absl::StrCat("arn:aws:iam::", account_id_, ":root");
  out["TopicArn"] = TopicArn(found.first->name());
  if (out.count("FilterPolicy") > 0) {
    out.try_emplace("FilterPolicyScope", "MessageAttributes");
  }
  return out;
}

// --- Tags (topics are the only taggable SNS resource here) ---

absl::StatusOr<Empty> Topics::PlanTag(const std::string& arn,
                                      const TagMap& tags, Txn& txn) {
  absl::StatusOr<Topic*> topic = Find(arn);
  if (!topic.ok()) return ResourceNotFound();
  TagMap merged = (*topic)->record().tags;
  for (const auto& [k, v] : tags) merged[k] = v;
  CORTADO_RETURN_IF_ERROR(ValidateTopicTags(merged));
  (*topic)->set_tags(std::move(merged));
  txn.Write(PutTopic{(*topic)->record()});
  return Empty{};
}

absl::StatusOr<Empty> Topics::PlanUntag(const std::string& arn,
                                        const std::vector<std::string>& keys,
                                        Txn& txn) {
  absl::StatusOr<Topic*> topic = Find(arn);
  if (!topic.ok()) return ResourceNotFound();
  TagMap tags = (*topic)->record().tags;
  for (const std::string& key : keys) tags.erase(key);
  (*topic)->set_tags(std::move(tags));
  txn.Write(PutTopic{(*topic)->record()});
  return Empty{};
}

absl::StatusOr<TagMap> Topics::ListTags(const std::string& arn) const {
  absl::StatusOr<Topic*> topic = Find(arn);
  if (!topic.ok()) return ResourceNotFound();
  return (*topic)->record().tags;
}

}  // namespace cortado

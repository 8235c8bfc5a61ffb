// Topics is the SNS half of the core: the topics of one broker, their typed
// attributes, subscriptions, tags and FIFO deduplication windows, and the
// planning of every topic action, publishing included. It reaches queues
// only through a FanOutTarget, so a publish plans its copies into the
// caller's transaction (one group commit for the publish and every copy),
// and non-raw copies get their body from the injected EnvelopeBuilder: no
// keys, certificates or URLs here. HTTP(S) subscribers are reached through
// the injected HttpPusher, only after the commit (Txn::OnCommit).
//
// Plan* methods validate, change memory and append store mutations to the
// Txn; they run on the broker's writer thread. The reads answer from
// memory. Errors carry SNS kinds (topic_api.h).
//
// Thread-safety: not thread-safe. The Broker owns one Topics, guards it with
// its mu_ (held exclusively to plan, shared to read) and calls the
// FanOutTarget and EnvelopeBuilder only from Plan* methods.
#ifndef CORTADO_SERVER_CORE_TOPICS_H_
#define CORTADO_SERVER_CORE_TOPICS_H_

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "server/core/api.h"
#include "server/core/fan_out_target.h"
#include "server/core/http_push.h"
#include "server/core/metrics.h"
#include "server/core/notification_envelope.h"
#include "server/core/store.h"
#include "server/core/topic.h"
#include "server/core/topic_api.h"
#include "server/core/txn.h"

namespace cortado {

class Topics {
 public:
  // `queues` and `envelopes` must outlive this; `envelopes` may only be null
  // while nothing is published (the Broker refuses to start without one).
  // `pushes` may be null: then http/https subscriptions are refused.
  Topics(std::string region, std::string account_id, FanOutTarget* queues,
         const EnvelopeBuilder* envelopes, HttpPusher* pushes = nullptr);

  Topics(const Topics&) = delete;
  Topics& operator=(const Topics&) = delete;

  // Takes the snapshot's topics, subscriptions and deduplication windows,
  // in place of whatever it held.
  void Load(StoreSnapshot& snapshot);

  // "arn:aws:sns:<region>:<account>:<name>".
  std::string TopicArn(const std::string& topic_name) const;

  // --- Planning (topics.cc, topics_publish.cc) ---
  absl::StatusOr<std::string> PlanCreate(const CreateTopicRequest& request,
                                         Txn& txn);
  absl::StatusOr<Empty> PlanDelete(const std::string& topic_arn, Txn& txn);
  absl::StatusOr<Empty> PlanSetAttribute(const std::string& topic_arn,
                                         const std::string& name,
                                         const std::string& value, Txn& txn);
  absl::StatusOr<std::string> PlanSubscribe(const SubscribeRequest& request,
                                            Txn& txn);
  absl::StatusOr<Empty> PlanUnsubscribe(const UnsubscribeRequest& request,
                                        Txn& txn);
  // Confirms the HTTP(S) subscription of `request.topic_arn` that was sent
  // `request.token` (topics_http.cc); answers its ARN.
  absl::StatusOr<std::string> PlanConfirm(
      const ConfirmSubscriptionRequest& request, Txn& txn);
  absl::StatusOr<Empty> PlanSetSubscriptionAttribute(
      const std::string& subscription_arn, const std::string& name,
      const std::string& value, Txn& txn);
  absl::StatusOr<PublishResult> PlanPublish(const std::string& topic_arn,
                                            const PublishEntry& entry,
                                            Txn& txn);
  absl::StatusOr<PublishBatchResult> PlanPublishBatch(
      const std::string& topic_arn, const std::vector<PublishEntry>& entries,
      Txn& txn);
  absl::StatusOr<Empty> PlanTag(const std::string& arn, const TagMap& tags,
                                Txn& txn);
  absl::StatusOr<Empty> PlanUntag(const std::string& arn,
                                  const std::vector<std::string>& keys,
                                  Txn& txn);

  // --- Reads ---
  ListTopicsResult List(const std::string& next_token) const;
  absl::StatusOr<AttributeMap> GetAttributes(
      const std::string& topic_arn) const;
  // `topic_arn` empty: every subscription.
  absl::StatusOr<ListSubscriptionsResult> ListSubscriptions(
      const std::string& topic_arn, const std::string& next_token) const;
  absl::StatusOr<AttributeMap> GetSubscriptionAttributes(
      const std::string& subscription_arn) const;
  absl::StatusOr<TagMap> ListTags(const std::string& arn) const;
  // Each topic's counters, unsorted (Broker::Metrics sorts).
  std::vector<TopicMetrics> Metrics() const;

 private:
  absl::StatusOr<Topic*> Find(const std::string& topic_arn) const;
  // Finds a subscription by ARN: its topic and itself.
  absl::StatusOr<std::pair<Topic*, Subscription*>> FindSubscription(
      const std::string& subscription_arn) const;
  absl::StatusOr<PublishResult> PlanPublishOne(Topic& topic,
                                               const PublishEntry& entry,
                                               Txn& txn);
  // Plans a copy of a publish for every matching subscription, building
  // (and signing) the envelope once for all non-raw ones.
  void FanOut(Topic& topic, const PublishEntry& entry,
              const std::string& message, const PublishResult& result,
              const std::string& dedup_id, Txn& txn);
  // --- HTTP(S) subscriptions (topics_http.cc) ---
  // InvalidParameter unless `request.endpoint` is a URL of its protocol
  // that the pusher may POST to.
  absl::Status CheckHttpEndpoint(const SubscribeRequest& request) const;
  // After the commit, POSTs a SubscriptionConfirmation or (`type`)
  // UnsubscribeConfirmation about `record` to its endpoint.
  void PushSubscriptionMessage(const Topic& topic,
                               const SubscriptionRecord& record,
                               absl::string_view type, Txn& txn);
  // After the commit, POSTs a notification (`body`: the envelope, or the
  // message for raw delivery) to a confirmed HTTP(S) subscriber.
  void PushNotification(const Topic& topic, const Subscription& subscription,
                        std::string body, const std::string& message_id,
                        Txn& txn);
  // Plans one subscriber's copy (or its dead-letter copy); counts it.
  void PlanDelivery(Topic& topic, const Subscription& subscription,
                    SendMessageEntry copy, const std::string& dedup_id,
                    Txn& txn);

  // Constant after construction.
  const std::string region_;
  const std::string account_id_;
  FanOutTarget* const queues_;
  const EnvelopeBuilder* const envelopes_;
  HttpPusher* const pushes_;

  // Topics by name; subscription id (the ARN's uuid) -> its topic.
  absl::flat_hash_map<std::string, std::unique_ptr<Topic>> topics_;
  absl::flat_hash_map<std::string, Topic*> topic_of_subscription_;
  uint64_t next_topic_id_ = 1;
};

}  // namespace cortado

#endif  // CORTADO_SERVER_CORE_TOPICS_H_

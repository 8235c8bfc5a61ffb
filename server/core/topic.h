// Topic holds one SNS topic and its subscriptions as the broker keeps them in
// memory: the persistent records plus what publishing needs ready-made (the
// parsed filter policy, the raw-delivery flag, the target queue's name), so a
// publish never re-parses a policy. Also the ARN helpers of topics.
// Thread-safety: not thread-safe; the Broker guards every Topic with its mu_.
#ifndef CORTADO_SERVER_CORE_TOPIC_H_
#define CORTADO_SERVER_CORE_TOPIC_H_

#include <map>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "server/core/fifo.h"
#include "server/core/filter_policy.h"
#include "server/core/metrics.h"
#include "server/core/store.h"
#include "server/core/topic_attributes.h"

namespace cortado {

struct Subscription {
  SubscriptionRecord record;
  std::optional<FilterPolicy> filter;  // absent: every message passes
  bool raw = false;                    // RawMessageDelivery
  std::string queue_name;              // from the endpoint ARN ("sqs")
  // From RedrivePolicy's deadLetterTargetArn: where copies that cannot be
  // delivered go instead of being dropped. Empty: no dead-letter queue.
  std::string dead_letter_queue;
};

// Builds a Subscription from its record, parsing its FilterPolicy (with
// FilterPolicyScope). Errors are SNS's InvalidParameter.
absl::StatusOr<Subscription> MakeSubscription(SubscriptionRecord record);

class Topic {
 public:
  explicit Topic(TopicRecord record)
      : record_(std::move(record)),
        attributes_(
            TopicAttributes::FromStored(record_.attributes, record_.fifo)) {}

  uint64_t id() const { return record_.topic_id; }
  const std::string& name() const { return record_.name; }
  bool fifo() const { return record_.fifo; }
  const TopicRecord& record() const { return record_; }
  // Parsed from record().attributes whenever they change.
  const TopicAttributes& attributes() const { return attributes_; }
  // Replaces the stored attributes (validated by the caller) and re-parses.
  void set_attributes(AttributeMap attributes) {
    record_.attributes = std::move(attributes);
    attributes_ = TopicAttributes::FromStored(record_.attributes, fifo());
  }
  void set_tags(TagMap tags) { record_.tags = std::move(tags); }

  // By subscription id, i.e. a stable order independent of creation time.
  std::map<std::string, Subscription>& subscriptions() {
    return subscriptions_;
  }
  const std::map<std::string, Subscription>& subscriptions() const {
    return subscriptions_;
  }
  // Publishes and deliveries (metrics.h). The Broker counts.
  TopicCounters& counters() { return counters_; }
  const TopicCounters& counters() const { return counters_; }
  // FIFO topics: the 5-minute deduplication window of publishes. Expired
  // entries leave on the topic's next publish (topics have no timers).
  DedupWindow& dedup() { return dedup_; }

 private:
  TopicRecord record_;
  TopicAttributes attributes_;
  std::map<std::string, Subscription> subscriptions_;
  TopicCounters counters_;
  DedupWindow dedup_;
};

// A fresh token for a SubscriptionConfirmation: 128 random hex digits (SNS's
// are long hex strings too).
std::string NewConfirmationToken();

// The parts of an "arn:aws:<service>:<region>:<account>:<resource>[:<id>]".
struct ParsedArn {
  std::string service, region, account, resource, id;
};
// Splits an ARN; `what` names the parameter in SNS's errors ("TopicArn").
// Fewer than 6 elements: "Invalid parameter: <what> Reason: An ARN must have
// at least 6 elements, not N".
absl::StatusOr<ParsedArn> ParseArn(absl::string_view arn,
                                   absl::string_view what);

}  // namespace cortado

#endif  // CORTADO_SERVER_CORE_TOPIC_H_

#include "common/config/state.h"

#include "common/attribute_names.h"
#include "common/config/dead_letter.h"

namespace cortado::config {
namespace {

StringMap Settable(AttributeOwner owner, const StringMap& reported) {
  StringMap settable;
  for (const auto& [name, value] : reported) {
    if (IsSettableAttribute(owner, name)) settable[name] = value;
  }
  return settable;
}

}  // namespace

QueueState MakeQueueState(const StringMap& reported_attributes,
                          const StringMap& tags) {
  QueueState queue;
  queue.attributes = Settable(AttributeOwner::kQueue, reported_attributes);
  if (auto policy = queue.attributes.extract("RedrivePolicy");
      !policy.empty()) {
    queue.dead_letter = ParseRedrivePolicy(policy.mapped());
  }
  queue.tags = tags;
  return queue;
}

TopicState MakeTopicState(const StringMap& reported_attributes,
                          const StringMap& tags) {
  TopicState topic;
  topic.attributes = Settable(AttributeOwner::kTopic, reported_attributes);
  topic.tags = tags;
  return topic;
}

SubscriptionState MakeSubscriptionState(const std::string& arn,
                                        const std::string& endpoint,
                                        const StringMap& reported_attributes) {
  return SubscriptionState{
      arn, NameFromArn(endpoint),
      Settable(AttributeOwner::kSubscription, reported_attributes)};
}

}  // namespace cortado::config

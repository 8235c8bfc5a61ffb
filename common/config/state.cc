#include "common/config/state.h"

#include "common/config/attribute_names.h"
#include "common/config/dead_letter.h"

namespace cortado::config {
namespace {

StringMap Settable(Resource resource, const StringMap& reported) {
  StringMap settable;
  for (const auto& [name, value] : reported) {
    if (IsSettableAttribute(resource, name)) settable[name] = value;
  }
  return settable;
}

}  // namespace

QueueState MakeQueueState(const StringMap& reported_attributes,
                          const StringMap& tags) {
  QueueState queue;
  queue.attributes = Settable(Resource::kQueue, reported_attributes);
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
  topic.attributes = Settable(Resource::kTopic, reported_attributes);
  topic.tags = tags;
  return topic;
}

SubscriptionState MakeSubscriptionState(const std::string& arn,
                                        const std::string& endpoint,
                                        const StringMap& reported_attributes) {
  return SubscriptionState{
      arn, NameFromArn(endpoint),
      Settable(Resource::kSubscription, reported_attributes)};
}

}  // namespace cortado::config

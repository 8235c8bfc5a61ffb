#include "client/cli/client_target.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/config/dead_letter.h"
#include "common/config/state.h"

namespace cortado::cli {

using config::StringMap;

absl::Status ClientTarget::CheckQueue(const std::string& name,
                                      const StringMap& attributes) const {
  return absl::OkStatus();  // the server checks (see the header)
}

absl::Status ClientTarget::CheckTopic(const std::string& name,
                                      const StringMap& attributes) const {
  return absl::OkStatus();
}

absl::Status ClientTarget::CheckSubscription(
    const StringMap& attributes) const {
  return absl::OkStatus();
}

absl::StatusOr<config::TopicState> ClientTarget::ReadTopic(
    const std::string& arn) {
  absl::StatusOr<StringMap> attributes = topics_->GetTopicAttributes(arn);
  if (!attributes.ok()) return attributes.status();
  absl::StatusOr<StringMap> tags = topics_->ListTagsForResource(arn);
  if (!tags.ok()) return tags.status();
  config::TopicState topic = config::MakeTopicState(*attributes, *tags);
  absl::Status subscriptions = config::ReadSubscriptions(
      [&](const std::string& token) {
        return topics_->ListSubscriptions(arn, token);
      },
      [&](const std::string& subscription_arn) {
        return topics_->GetSubscriptionAttributes(subscription_arn);
      },
      topic);
  if (!subscriptions.ok()) return subscriptions;
  return topic;
}

absl::StatusOr<config::State> ClientTarget::Read() {
  config::State state;
  client::ListQueuesOptions options;
  options.max_results = 1000;
  do {
    absl::StatusOr<client::QueueList> page = queues_->ListQueues(options);
    if (!page.ok()) return page.status();
    for (const std::string& name : page->names) {
      absl::StatusOr<StringMap> attributes = queues_->GetQueueAttributes(name);
      if (!attributes.ok()) return attributes.status();
      absl::StatusOr<StringMap> tags = queues_->ListQueueTags(name);
      if (!tags.ok()) return tags.status();
      state.queues[name] = config::MakeQueueState(*attributes, *tags);
    }
    options.next_token = page->next_token;
  } while (!options.next_token.empty());
  std::string token;
  do {
    absl::StatusOr<client::TopicList> page = topics_->ListTopics(token);
    if (!page.ok()) return page.status();
    for (const std::string& arn : page->topic_arns) {
      absl::StatusOr<config::TopicState> topic = ReadTopic(arn);
      if (!topic.ok()) return topic.status();
      const std::string name = config::NameFromArn(arn);
      topic_arns_[name] = arn;
      state.topics[name] = *std::move(topic);
    }
    token = page->next_token;
  } while (!token.empty());
  return state;
}

absl::StatusOr<std::string> ClientTarget::QueueArn(const std::string& queue) {
  absl::StatusOr<StringMap> attributes =
      queues_->GetQueueAttributes(queue, {"QueueArn"});
  if (!attributes.ok()) return attributes.status();
  return (*attributes)["QueueArn"];
}

absl::StatusOr<std::string> ClientTarget::RedrivePolicy(
    const config::DeadLetter& dead_letter) {
  absl::StatusOr<std::string> arn = QueueArn(dead_letter.queue);
  if (!arn.ok()) return arn.status();
  return config::RedrivePolicyJson(*arn, dead_letter.max_receive_count);
}

absl::StatusOr<std::string> ClientTarget::TopicArn(
    const std::string& topic) const {
  auto it = topic_arns_.find(topic);
  if (it == topic_arns_.end()) {
    return absl::NotFoundError(absl::StrCat("no topic named '", topic, "'"));
  }
  return it->second;
}

absl::Status ClientTarget::CreateQueue(
    const std::string& name, const StringMap& attributes,
    const std::optional<config::DeadLetter>& dead_letter,
    const StringMap& tags) {
  StringMap all = attributes;
  if (dead_letter.has_value()) {
    absl::StatusOr<std::string> policy = RedrivePolicy(*dead_letter);
    if (!policy.ok()) return policy.status();
    all["RedrivePolicy"] = *policy;
  }
  return queues_->CreateQueue(name, all, tags).status();
}

absl::Status ClientTarget::SetQueueAttributes(const std::string& name,
                                              const StringMap& attributes) {
  return queues_->SetQueueAttributes(name, attributes);
}

absl::Status ClientTarget::SetDeadLetter(
    const std::string& name, const config::DeadLetter& dead_letter) {
  absl::StatusOr<std::string> policy = RedrivePolicy(dead_letter);
  if (!policy.ok()) return policy.status();
  return queues_->SetQueueAttributes(name, {{"RedrivePolicy", *policy}});
}

absl::Status ClientTarget::TagQueue(const std::string& name,
                                    const StringMap& tags) {
  return queues_->TagQueue(name, tags);
}

absl::Status ClientTarget::UntagQueue(const std::string& name,
                                      const std::vector<std::string>& keys) {
  return queues_->UntagQueue(name, keys);
}

absl::Status ClientTarget::DeleteQueue(const std::string& name) {
  return queues_->DeleteQueue(name);
}

absl::Status ClientTarget::CreateTopic(const std::string& name,
                                       const StringMap& attributes,
                                       const StringMap& tags) {
  absl::StatusOr<std::string> arn =
      topics_->CreateTopic(name, attributes, tags);
  if (!arn.ok()) return arn.status();
  topic_arns_[name] = *arn;
  return absl::OkStatus();
}

absl::Status ClientTarget::SetTopicAttribute(const std::string& name,
                                             const std::string& attribute,
                                             const std::string& value) {
  absl::StatusOr<std::string> arn = TopicArn(name);
  if (!arn.ok()) return arn.status();
  return topics_->SetTopicAttributes(*arn, attribute, value);
}

absl::Status ClientTarget::TagTopic(const std::string& name,
                                    const StringMap& tags) {
  absl::StatusOr<std::string> arn = TopicArn(name);
  if (!arn.ok()) return arn.status();
  return topics_->TagResource(*arn, tags);
}

absl::Status ClientTarget::UntagTopic(const std::string& name,
                                      const std::vector<std::string>& keys) {
  absl::StatusOr<std::string> arn = TopicArn(name);
  if (!arn.ok()) return arn.status();
  return topics_->UntagResource(*arn, keys);
}

absl::Status ClientTarget::DeleteTopic(const std::string& name) {
  absl::StatusOr<std::string> arn = TopicArn(name);
  if (!arn.ok()) return arn.status();
  return topics_->DeleteTopic(*arn);
}

absl::Status ClientTarget::Subscribe(const std::string& topic,
                                     const std::string& queue,
                                     const StringMap& attributes) {
  absl::StatusOr<std::string> topic_arn = TopicArn(topic);
  if (!topic_arn.ok()) return topic_arn.status();
  absl::StatusOr<std::string> queue_arn = QueueArn(queue);
  if (!queue_arn.ok()) return queue_arn.status();
  return topics_->Subscribe(*topic_arn, "sqs", *queue_arn, attributes).status();
}

absl::Status ClientTarget::SetSubscriptionAttribute(
    const std::string& subscription_arn, const std::string& attribute,
    const std::string& value) {
  return topics_->SetSubscriptionAttributes(subscription_arn, attribute, value);
}

absl::Status ClientTarget::Unsubscribe(const std::string& subscription_arn) {
  return topics_->Unsubscribe(subscription_arn);
}

}  // namespace cortado::cli

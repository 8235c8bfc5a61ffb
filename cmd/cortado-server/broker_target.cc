#include "cmd/cortado-server/broker_target.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "common/config/dead_letter.h"
#include "common/config/state.h"
#include "server/core/errors.h"
#include "server/core/filter_policy.h"
#include "server/core/queue_attributes.h"
#include "server/core/topic_attributes.h"

namespace cortado {
namespace {

using config::StringMap;

// Runs one asynchronous Broker call and waits for its answer.
template <typename T, typename Call>
absl::StatusOr<T> Wait(Call call) {
  absl::Notification done;
  absl::StatusOr<T> result = absl::UnknownError("no answer");
  call([&](absl::StatusOr<T> answer) {
    result = std::move(answer);
    done.Notify();
  });
  done.WaitForNotification();
  return result;
}

template <typename Call>
absl::Status WaitEmpty(Call call) {
  return Wait<Empty>(std::move(call)).status();
}

// "InvalidAttributeValue: Invalid value for the parameter X.": the error's
// SQS/SNS name, then its text.
absl::Status Named(const absl::Status& status) {
  if (status.ok()) return status;
  return absl::Status(status.code(),
                      absl::StrCat(ErrorKindName(GetErrorKind(status)), ": ",
                                   status.message()));
}

}  // namespace

absl::Status BrokerTarget::CheckQueue(const std::string& name,
                                      const StringMap& attributes) const {
  if (!IsValidQueueName(name)) {
    return Named(MakeError(ErrorKind::kInvalidParameterValue,
                           "Can only include alphanumeric characters, "
                           "hyphens, or underscores. 1 to 80 in length"));
  }
  return Named(AttributesForNewQueue(name, attributes).status());
}

absl::Status BrokerTarget::CheckTopic(const std::string& name,
                                      const StringMap& attributes) const {
  if (!IsValidTopicName(name)) {
    return Named(MakeError(ErrorKind::kInvalidParameter,
                           "Invalid parameter: Topic Name"));
  }
  return Named(AttributesForNewTopic(name, attributes).status());
}

absl::Status BrokerTarget::CheckSubscription(
    const StringMap& attributes) const {
  FilterPolicyScope scope = FilterPolicyScope::kMessageAttributes;
  if (auto it = attributes.find("FilterPolicyScope");
      it != attributes.end() && it->second == "MessageBody") {
    scope = FilterPolicyScope::kMessageBody;
  }
  for (const auto& [name, value] : attributes) {
    absl::Status checked = name == "FilterPolicy"
                               ? FilterPolicy::Parse(value, scope).status()
                               : ValidateSubscriptionAttribute(name, value);
    if (!checked.ok()) return Named(checked);
  }
  return absl::OkStatus();
}

absl::StatusOr<config::QueueState> BrokerTarget::ReadQueue(
    const std::string& name) const {
  absl::StatusOr<AttributeMap> attributes =
      broker_->GetQueueAttributes(name, {"All"});
  if (!attributes.ok()) return attributes.status();
  absl::StatusOr<TagMap> tags = broker_->ListQueueTags(name);
  if (!tags.ok()) return tags.status();
  return config::MakeQueueState(*attributes, *tags);
}

absl::StatusOr<config::TopicState> BrokerTarget::ReadTopic(
    const std::string& arn) const {
  absl::StatusOr<AttributeMap> attributes = broker_->GetTopicAttributes(arn);
  if (!attributes.ok()) return attributes.status();
  absl::StatusOr<TagMap> tags = broker_->ListTagsForResource(arn);
  if (!tags.ok()) return tags.status();
  config::TopicState topic = config::MakeTopicState(*attributes, *tags);
  absl::Status subscriptions = config::ReadSubscriptions(
      [&](const std::string& token) {
        return broker_->ListSubscriptions(arn, token);
      },
      [&](const std::string& subscription_arn) {
        return broker_->GetSubscriptionAttributes(subscription_arn);
      },
      topic);
  if (!subscriptions.ok()) return subscriptions;
  return topic;
}

absl::StatusOr<config::State> BrokerTarget::Read() {
  config::State state;
  absl::StatusOr<ListQueuesResult> queues = broker_->ListQueues({});
  if (!queues.ok()) return queues.status();
  for (const std::string& name : queues->queue_names) {
    absl::StatusOr<config::QueueState> queue = ReadQueue(name);
    if (!queue.ok()) return queue.status();
    state.queues[name] = *std::move(queue);
  }
  std::string token;
  do {
    absl::StatusOr<ListTopicsResult> page = broker_->ListTopics(token);
    if (!page.ok()) return page.status();
    for (const std::string& arn : page->topic_arns) {
      absl::StatusOr<config::TopicState> topic = ReadTopic(arn);
      if (!topic.ok()) return topic.status();
      state.topics[config::NameFromArn(arn)] = *std::move(topic);
    }
    token = page->next_token;
  } while (!token.empty());
  return state;
}

absl::Status BrokerTarget::CreateQueue(
    const std::string& name, const StringMap& attributes,
    const std::optional<config::DeadLetter>& dead_letter,
    const StringMap& tags) {
  CreateQueueRequest request;
  request.queue_name = name;
  request.attributes = AttributeMap(attributes.begin(), attributes.end());
  if (dead_letter.has_value()) {
    request.attributes["RedrivePolicy"] = config::RedrivePolicyJson(
        broker_->QueueArn(dead_letter->queue), dead_letter->max_receive_count);
  }
  request.tags = TagMap(tags.begin(), tags.end());
  return Wait<QueueRecord>([&](Callback<QueueRecord> done) {
           broker_->CreateQueue(std::move(request), std::move(done));
         })
      .status();
}

absl::Status BrokerTarget::SetQueueAttributes(const std::string& name,
                                              const StringMap& attributes) {
  return WaitEmpty([&](Callback<Empty> done) {
    broker_->SetQueueAttributes(
        name, AttributeMap(attributes.begin(), attributes.end()),
        std::move(done));
  });
}

absl::Status BrokerTarget::SetDeadLetter(
    const std::string& name, const config::DeadLetter& dead_letter) {
  return SetQueueAttributes(
      name, {{"RedrivePolicy",
              config::RedrivePolicyJson(broker_->QueueArn(dead_letter.queue),
                                        dead_letter.max_receive_count)}});
}

absl::Status BrokerTarget::TagQueue(const std::string& name,
                                    const StringMap& tags) {
  return WaitEmpty([&](Callback<Empty> done) {
    broker_->TagQueue(name, TagMap(tags.begin(), tags.end()), std::move(done));
  });
}

absl::Status BrokerTarget::UntagQueue(const std::string& name,
                                      const std::vector<std::string>& keys) {
  return WaitEmpty([&](Callback<Empty> done) {
    broker_->UntagQueue(name, keys, std::move(done));
  });
}

absl::Status BrokerTarget::DeleteQueue(const std::string& name) {
  return WaitEmpty([&](Callback<Empty> done) {
    broker_->DeleteQueue(name, std::move(done));
  });
}

absl::Status BrokerTarget::CreateTopic(const std::string& name,
                                       const StringMap& attributes,
                                       const StringMap& tags) {
  CreateTopicRequest request;
  request.name = name;
  request.attributes = AttributeMap(attributes.begin(), attributes.end());
  request.tags = TagMap(tags.begin(), tags.end());
  return Wait<std::string>([&](Callback<std::string> done) {
           broker_->CreateTopic(std::move(request), std::move(done));
         })
      .status();
}

absl::Status BrokerTarget::SetTopicAttribute(const std::string& name,
                                             const std::string& attribute,
                                             const std::string& value) {
  return WaitEmpty([&](Callback<Empty> done) {
    broker_->SetTopicAttributes(broker_->TopicArn(name), attribute, value,
                                std::move(done));
  });
}

absl::Status BrokerTarget::TagTopic(const std::string& name,
                                    const StringMap& tags) {
  return WaitEmpty([&](Callback<Empty> done) {
    broker_->TagResource(broker_->TopicArn(name),
                         TagMap(tags.begin(), tags.end()), std::move(done));
  });
}

absl::Status BrokerTarget::UntagTopic(const std::string& name,
                                      const std::vector<std::string>& keys) {
  return WaitEmpty([&](Callback<Empty> done) {
    broker_->UntagResource(broker_->TopicArn(name), keys, std::move(done));
  });
}

absl::Status BrokerTarget::DeleteTopic(const std::string& name) {
  return WaitEmpty([&](Callback<Empty> done) {
    broker_->DeleteTopic(broker_->TopicArn(name), std::move(done));
  });
}

absl::Status BrokerTarget::Subscribe(const std::string& topic,
                                     const std::string& queue,
                                     const StringMap& attributes) {
  SubscribeRequest request;
  request.topic_arn = broker_->TopicArn(topic);
  request.protocol = "sqs";
  request.endpoint = broker_->QueueArn(queue);
  request.attributes = AttributeMap(attributes.begin(), attributes.end());
  return Wait<std::string>([&](Callback<std::string> done) {
           broker_->Subscribe(std::move(request), std::move(done));
         })
      .status();
}

absl::Status BrokerTarget::SetSubscriptionAttribute(
    const std::string& subscription_arn, const std::string& attribute,
    const std::string& value) {
  return WaitEmpty([&](Callback<Empty> done) {
    broker_->SetSubscriptionAttributes(subscription_arn, attribute, value,
                                       std::move(done));
  });
}

absl::Status BrokerTarget::Unsubscribe(const std::string& subscription_arn) {
  return WaitEmpty([&](Callback<Empty> done) {
    broker_->Unsubscribe(subscription_arn, std::move(done));
  });
}

}  // namespace cortado

// TopicTest: BrokerTest plus synchronous wrappers for the topic (SNS) calls.
#ifndef CORTADO_TESTS_CORE_TOPIC_FIXTURE_H_
#define CORTADO_TESTS_CORE_TOPIC_FIXTURE_H_

#include <string>
#include <utility>
#include <vector>

#include "server/core/topic_api.h"
#include "tests/core/broker_fixture.h"

// Asserts that a StatusOr is OK and assigns (or declares) its value.
#define CORTADO_TOPIC_CONCAT_INNER_(a, b) a##b
#define CORTADO_TOPIC_CONCAT_(a, b) CORTADO_TOPIC_CONCAT_INNER_(a, b)
#define ASSERT_OK_AND_ASSIGN(lhs, rexpr)                                       \
  ASSERT_OK_AND_ASSIGN_IMPL_(CORTADO_TOPIC_CONCAT_(status_or_, __LINE__), lhs, \
                             rexpr)
#define ASSERT_OK_AND_ASSIGN_IMPL_(tmp, lhs, rexpr) \
  auto tmp = (rexpr);                               \
  ASSERT_TRUE(tmp.ok()) << tmp.status();            \
  lhs = *std::move(tmp)

namespace cortado::testing {

class TopicTest : public BrokerTest {
 protected:
  absl::StatusOr<std::string> CreateTopic(const std::string& name,
                                          AttributeMap attributes = {},
                                          TagMap tags = {}) {
    Pending<std::string> p;
    broker_->CreateTopic({name, std::move(attributes), std::move(tags)},
                         p.callback());
    return p.Get();
  }
  absl::Status DeleteTopic(const std::string& arn) {
    Pending<Empty> p;
    broker_->DeleteTopic(arn, p.callback());
    return p.Get().status();
  }
  absl::Status SetTopicAttribute(const std::string& arn,
                                 const std::string& name,
                                 const std::string& value) {
    Pending<Empty> p;
    broker_->SetTopicAttributes(arn, name, value, p.callback());
    return p.Get().status();
  }
  std::string QueueArn(const std::string& queue) {
    return broker_->QueueArn(queue);
  }
  // Subscribes queue `queue` (by ARN) to `topic_arn`.
  absl::StatusOr<std::string> SubscribeQueue(const std::string& topic_arn,
                                             const std::string& queue,
                                             AttributeMap attributes = {}) {
    Pending<std::string> p;
    broker_->Subscribe(
        {topic_arn, "sqs", QueueArn(queue), std::move(attributes)},
        p.callback());
    return p.Get();
  }
  absl::StatusOr<std::string> SubscribeRaw(SubscribeRequest request) {
    Pending<std::string> p;
    broker_->Subscribe(std::move(request), p.callback());
    return p.Get();
  }
  absl::Status Unsubscribe(const std::string& arn) {
    Pending<Empty> p;
    broker_->Unsubscribe(arn, p.callback());
    return p.Get().status();
  }
  absl::Status SetSubscriptionAttribute(const std::string& arn,
                                        const std::string& name,
                                        const std::string& value) {
    Pending<Empty> p;
    broker_->SetSubscriptionAttributes(arn, name, value, p.callback());
    return p.Get().status();
  }
  absl::StatusOr<PublishResult> Publish(const std::string& topic_arn,
                                        PublishEntry entry) {
    Pending<PublishResult> p;
    broker_->Publish(topic_arn, std::move(entry), p.callback());
    return p.Get();
  }
  absl::StatusOr<PublishResult> Publish(const std::string& topic_arn,
                                        const std::string& message) {
    PublishEntry entry;
    entry.message = message;
    return Publish(topic_arn, std::move(entry));
  }
  absl::StatusOr<PublishBatchResult> PublishBatch(
      const std::string& topic_arn, std::vector<PublishEntry> entries) {
    Pending<PublishBatchResult> p;
    broker_->PublishBatch(topic_arn, std::move(entries), p.callback());
    return p.Get();
  }
  absl::Status TagTopic(const std::string& arn, TagMap tags) {
    Pending<Empty> p;
    broker_->TagResource(arn, std::move(tags), p.callback());
    return p.Get().status();
  }
  absl::Status UntagTopic(const std::string& arn,
                          std::vector<std::string> keys) {
    Pending<Empty> p;
    broker_->UntagResource(arn, std::move(keys), p.callback());
    return p.Get().status();
  }
  // Every message currently visible in `queue` (taken, up to 10 per call).
  std::vector<ReceivedMessage> Drain(const std::string& queue) {
    std::vector<ReceivedMessage> out;
    for (;;) {
      absl::StatusOr<ReceiveMessageResult> r = Receive(queue, 10);
      if (!r.ok() || r->messages.empty()) return out;
      for (ReceivedMessage& m : r->messages) out.push_back(std::move(m));
    }
  }
};

inline PublishEntry PublishOf(std::string message, std::string id = "") {
  PublishEntry entry;
  entry.id = std::move(id);
  entry.message = std::move(message);
  return entry;
}

}  // namespace cortado::testing

#endif  // CORTADO_TESTS_CORE_TOPIC_FIXTURE_H_

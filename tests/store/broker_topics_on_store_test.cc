// Topics on every durable store (SQLite, PostgreSQL): after a restart (a new
// Broker on the same data) topics, their attributes and tags, subscriptions and
// their filter policies are all back and publishing routes as before.
#include <memory>
#include <string>

#include "gtest/gtest.h"
#include "server/core/broker.h"
#include "tests/core/broker_fixture.h"
#include "tests/store/broker_on_store_fixture.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

namespace cortado::store {
namespace {

using cortado::testing::Pending;

class BrokerTopicsOnStoreTest : public BrokerOnStoreTest {
 protected:
  template <typename T, typename Start>
  absl::StatusOr<T> Call(Start start) {
    Pending<T> p;
    start(p.callback());
    return p.Get();
  }
  int Count(const std::string& queue) {
    Pending<ReceiveMessageResult> p;
    ReceiveMessageRequest request;
    request.queue_name = queue;
    request.max_number_of_messages = 10;
    request.wait_time_seconds = 0;
    broker_->ReceiveMessage(std::move(request), p.callback());
    absl::StatusOr<ReceiveMessageResult> r = p.Get();
    return r.ok() ? static_cast<int>(r->messages.size()) : -1;
  }
};

TEST_P(BrokerTopicsOnStoreTest, TopicsSubscriptionsAndPoliciesSurvive) {
  for (const char* q : {"placed", "rest"}) {
    ASSERT_OK((Call<QueueRecord>([&](auto done) {
      broker_->CreateQueue({q, {}, {}}, std::move(done));
    })));
  }
  absl::StatusOr<std::string> topic = Call<std::string>([&](auto done) {
    broker_->CreateTopic({"events", {{"DisplayName", "Events"}}, {{"k", "v"}}},
                         std::move(done));
  });
  ASSERT_OK(topic);
  absl::StatusOr<std::string> placed = Call<std::string>([&](auto done) {
    broker_->Subscribe({*topic,
                        "sqs",
                        broker_->QueueArn("placed"),
                        {{"FilterPolicy", R"({"event":["order_placed"]})"},
                         {"RawMessageDelivery", "true"}}},
                       std::move(done));
  });
  ASSERT_OK(placed);
  ASSERT_OK(Call<std::string>([&](auto done) {
    broker_->Subscribe({*topic, "sqs", broker_->QueueArn("rest"), {}},
                       std::move(done));
  }));
  Open();  // restart on the same data

  absl::StatusOr<AttributeMap> attributes = broker_->GetTopicAttributes(*topic);
  ASSERT_OK(attributes);
  EXPECT_EQ((*attributes)["DisplayName"], "Events");
  EXPECT_EQ((*attributes)["SubscriptionsConfirmed"], "2");
  EXPECT_EQ(*broker_->ListTagsForResource(*topic), (TagMap{{"k", "v"}}));
  absl::StatusOr<AttributeMap> sub =
      broker_->GetSubscriptionAttributes(*placed);
  ASSERT_OK(sub);
  EXPECT_EQ((*sub)["FilterPolicy"], R"({"event":["order_placed"]})");
  EXPECT_EQ((*sub)["RawMessageDelivery"], "true");

  for (const char* event : {"order_placed", "order_shipped"}) {
    PublishEntry entry;
    entry.message = event;
    entry.attributes["event"] = {"String", event, "", false};
    ASSERT_OK(Call<PublishResult>(
        [&](auto done) { broker_->Publish(*topic, entry, std::move(done)); }));
  }
  EXPECT_EQ(Count("placed"), 1);
  EXPECT_EQ(Count("rest"), 2);

  // Deletion is durable too.
  ASSERT_OK(Call<Empty>(
      [&](auto done) { broker_->DeleteTopic(*topic, std::move(done)); }));
  Open();
  EXPECT_TRUE(broker_->ListTopics("")->topic_arns.empty());
  EXPECT_TRUE(broker_->ListSubscriptions("", "")->subscriptions.empty());
}

INSTANTIATE_TEST_SUITE_P(DurableStores, BrokerTopicsOnStoreTest,
                         ::testing::ValuesIn(DurableStoreFactories()),
                         StoreName);

}  // namespace
}  // namespace cortado::store

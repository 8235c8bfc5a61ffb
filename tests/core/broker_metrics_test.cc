// Broker::Metrics: the monitoring snapshot. Gauges are the numbers of the
// ApproximateNumberOfMessages* attributes, the oldest message's age follows
// the (fake) clock, and every counter counts exactly its events.
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "tests/core/topic_fixture.h"

namespace cortado::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::Optional;

class BrokerMetricsTest : public TopicTest {
 protected:
  // The snapshot's entry for `queue` (a copy; fails the test if absent).
  QueueMetrics QueueOf(const std::string& queue) {
    for (QueueMetrics& metrics : broker_->Metrics().queues) {
      if (metrics.name == queue) return metrics;
    }
    ADD_FAILURE() << "no metrics for queue " << queue;
    return {};
  }
  std::string Policy(const std::string& dlq, int max) {
    return absl::StrCat("{\"deadLetterTargetArn\":\"", broker_->QueueArn(dlq),
                        "\",\"maxReceiveCount\":", max, "}");
  }
};

TEST_F(BrokerMetricsTest, GaugesAreTheApproximateNumberAttributes) {
  ASSERT_OK(Create("orders", {{"VisibilityTimeout", "30"}}));
  ASSERT_OK(Send("orders", "first"));
  ASSERT_OK(Send("orders", "second"));
  SendMessageEntry delayed = Entry("later");
  delayed.delay_seconds = 60;
  ASSERT_OK(Send("orders", delayed));
  ASSERT_OK(Receive("orders"));

  const QueueMetrics metrics = QueueOf("orders");
  EXPECT_EQ(metrics.visible, 1);
  EXPECT_EQ(metrics.in_flight, 1);
  EXPECT_EQ(metrics.delayed, 1);
  EXPECT_EQ(Attribute("orders", "ApproximateNumberOfMessages"), "1");
  EXPECT_EQ(Attribute("orders", "ApproximateNumberOfMessagesNotVisible"), "1");
  EXPECT_EQ(Attribute("orders", "ApproximateNumberOfMessagesDelayed"), "1");
}

TEST_F(BrokerMetricsTest, OldestMessageAgeFollowsTheClockAndTheOldestMessage) {
  ASSERT_OK(Create("orders"));
  EXPECT_EQ(QueueOf("orders").oldest_message_age, std::nullopt);

  ASSERT_OK(Send("orders", "first"));
  Advance(absl::Seconds(5));
  ASSERT_OK(Send("orders", "second"));
  Advance(absl::Seconds(7));
  EXPECT_THAT(QueueOf("orders").oldest_message_age,
              Optional(absl::Seconds(12)));

  // In flight still counts: the message is in the queue until deleted.
  absl::StatusOr<ReceiveMessageResult> got = Receive("orders");
  ASSERT_OK(got);
  ASSERT_EQ(got->messages.size(), 1u);
  EXPECT_THAT(QueueOf("orders").oldest_message_age,
              Optional(absl::Seconds(12)));
  ASSERT_OK(Delete("orders", got->messages[0].receipt_handle));
  EXPECT_THAT(QueueOf("orders").oldest_message_age, Optional(absl::Seconds(7)));
}

TEST_F(BrokerMetricsTest, CountersCountSendsDeliveriesAndDeletes) {
  ASSERT_OK(Create("orders", {{"VisibilityTimeout", "10"}}));
  ASSERT_OK(SendBatch("orders", {Entry("a", "1"), Entry("b", "2")}));
  absl::StatusOr<ReceiveMessageResult> got = Receive("orders", 10);
  ASSERT_OK(got);
  ASSERT_EQ(got->messages.size(), 2u);
  ASSERT_OK(Delete("orders", got->messages[0].receipt_handle));
  // A second delete of the same message succeeds but deletes nothing.
  ASSERT_OK(Delete("orders", got->messages[0].receipt_handle));
  Advance(absl::Seconds(10));
  ASSERT_OK(Receive("orders"));  // a redelivery is another delivery

  const QueueCounters counters = QueueOf("orders").counters;
  EXPECT_EQ(counters.sent, 2u);
  EXPECT_EQ(counters.received, 3u);
  EXPECT_EQ(counters.deleted, 1u);
  EXPECT_EQ(counters.dead_lettered, 0u);
  EXPECT_EQ(counters.expired, 0u);
}

TEST_F(BrokerMetricsTest, DeadLetteredCountsOnTheSourceQueue) {
  ASSERT_OK(Create("orders-dlq"));
  ASSERT_OK(Create("orders", {{"RedrivePolicy", Policy("orders-dlq", 1)},
                              {"VisibilityTimeout", "10"}}));
  ASSERT_OK(Send("orders", "poison"));
  ASSERT_OK(Receive("orders"));
  Advance(absl::Seconds(10));
  absl::StatusOr<ReceiveMessageResult> again = Receive("orders");
  ASSERT_OK(again);
  EXPECT_TRUE(again->messages.empty());  // moved instead of delivered

  const QueueMetrics source = QueueOf("orders");
  EXPECT_EQ(source.counters.received, 1u);
  EXPECT_EQ(source.counters.dead_lettered, 1u);
  EXPECT_EQ(source.visible, 0);
  const QueueMetrics dead_letter = QueueOf("orders-dlq");
  EXPECT_EQ(dead_letter.visible, 1);
  EXPECT_EQ(dead_letter.counters.sent, 0u);  // a move is not a send
  EXPECT_EQ(dead_letter.counters.dead_lettered, 0u);
}

TEST_F(BrokerMetricsTest, ExpiredCountsMessagesPastRetention) {
  ASSERT_OK(Create("short", {{"MessageRetentionPeriod", "60"}}));
  ASSERT_OK(Send("short", "a"));
  ASSERT_OK(Send("short", "b"));
  Advance(absl::Seconds(59));
  EXPECT_EQ(QueueOf("short").counters.expired, 0u);
  Advance(absl::Seconds(1));
  const QueueMetrics metrics = QueueOf("short");
  EXPECT_EQ(metrics.counters.expired, 2u);
  EXPECT_EQ(metrics.visible, 0);
  EXPECT_EQ(metrics.oldest_message_age, std::nullopt);
}

TEST_F(BrokerMetricsTest, DeletedQueueDisappearsAndARecreatedOneStartsAtZero) {
  ASSERT_OK(Create("orders"));
  ASSERT_OK(Create("billing"));
  ASSERT_OK(Send("orders", "a"));
  ASSERT_OK(DeleteQueue("orders"));
  EXPECT_THAT(broker_->Metrics().queues,
              ElementsAre(Field(&QueueMetrics::name, "billing")));
  ASSERT_OK(Create("orders"));
  EXPECT_EQ(QueueOf("orders").counters.sent, 0u);
}

TEST_F(BrokerMetricsTest, QueuesAndTopicsAreSortedByName) {
  ASSERT_OK(Create("c"));
  ASSERT_OK(Create("a"));
  ASSERT_OK(Create("b"));
  ASSERT_OK(CreateTopic("z"));
  ASSERT_OK(CreateTopic("y"));
  const BrokerMetrics metrics = broker_->Metrics();
  EXPECT_THAT(metrics.queues, ElementsAre(Field(&QueueMetrics::name, "a"),
                                          Field(&QueueMetrics::name, "b"),
                                          Field(&QueueMetrics::name, "c")));
  EXPECT_THAT(metrics.topics, ElementsAre(Field(&TopicMetrics::name, "y"),
                                          Field(&TopicMetrics::name, "z")));
}

TEST_F(BrokerMetricsTest, TopicCountsPublishesAndDeliveredCopies) {
  ASSERT_OK(Create("kitchen"));
  ASSERT_OK(Create("till"));
  ASSERT_OK_AND_ASSIGN(const std::string topic, CreateTopic("orders"));
  ASSERT_OK(SubscribeQueue(topic, "kitchen"));
  ASSERT_OK(SubscribeQueue(topic, "till"));
  ASSERT_OK(Publish(topic, "one"));
  // A subscription whose queue is gone gets no copy: not delivered.
  ASSERT_OK(DeleteQueue("till"));
  ASSERT_OK(Publish(topic, "two"));

  const BrokerMetrics metrics = broker_->Metrics();
  ASSERT_EQ(metrics.topics.size(), 1u);
  EXPECT_EQ(metrics.topics[0].counters.published, 2u);
  EXPECT_EQ(metrics.topics[0].counters.delivered, 3u);
  EXPECT_EQ(QueueOf("kitchen").counters.sent, 2u);
}

TEST_F(BrokerMetricsTest, StoreCommitsHistogramParkedReceivesAndFailure) {
  ASSERT_OK(Create("orders"));
  ASSERT_OK(Send("orders", "a"));
  BrokerMetrics metrics = broker_->Metrics();
  EXPECT_EQ(metrics.commits, 2u);
  EXPECT_EQ(metrics.committed_operations, 2u);
  // The fake clock stands still: every commit took 0 s, the first bucket.
  EXPECT_EQ(metrics.commit_latency.count, 2u);
  EXPECT_EQ(metrics.commit_latency.counts[0], 2u);
  EXPECT_EQ(metrics.commit_latency.sum_seconds, 0.0);
  EXPECT_FALSE(metrics.store_failed);

  ASSERT_OK(Create("empty"));
  Pending<ReceiveMessageResult> parked = StartLongPoll("empty", 20);
  EXPECT_EQ(broker_->Metrics().parked_receives, 1u);

  store_.FailNextCommits(1);
  EXPECT_FALSE(Send("orders", "lost").ok());
  metrics = broker_->Metrics();
  EXPECT_TRUE(metrics.store_failed);
  EXPECT_EQ(metrics.parked_receives, 0u);  // answered with the failure
  EXPECT_EQ(metrics.commit_latency.count, metrics.commits);
}

TEST(CommitLatencyHistogramTest, ObservationsLandInTheirUpperBoundsBucket) {
  CommitLatencyHistogram histogram;
  histogram.Observe(absl::Microseconds(100));  // == first bound
  histogram.Observe(absl::Microseconds(101));
  histogram.Observe(absl::Milliseconds(3));
  histogram.Observe(absl::Seconds(2));  // above every bound
  EXPECT_EQ(histogram.counts[0], 1u);
  EXPECT_EQ(histogram.counts[1], 1u);
  EXPECT_EQ(histogram.counts[5], 1u);  // (2.5 ms, 5 ms]
  EXPECT_EQ(histogram.counts.back(), 1u);
  EXPECT_EQ(histogram.count, 4u);
  EXPECT_NEAR(histogram.sum_seconds, 2.003201, 1e-9);
}

}  // namespace
}  // namespace cortado::testing

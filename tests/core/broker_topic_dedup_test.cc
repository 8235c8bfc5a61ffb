// FIFO topics deduplicate publishes for 5 minutes (SNS): a publish with the
// deduplication id (or, with ContentBasedDeduplication, the body) of one in
// the window is answered with that publish's MessageId and SequenceNumber
// and delivered to no subscriber, standard queues included. The window is
// durable and scoped by FifoThroughputScope.
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "tests/core/topic_fixture.h"

namespace cortado::testing {
namespace {

using ::testing::SizeIs;

class TopicDedupTest : public TopicTest {
 protected:
  void SetUp() override {
    TopicTest::SetUp();
    absl::StatusOr<std::string> arn = CreateTopic(
        "orders.fifo",
        {{"FifoTopic", "true"}, {"ContentBasedDeduplication", "true"}});
    ASSERT_OK(arn);
    topic_ = *arn;
    // A standard queue has no window of its own: only the topic's keeps
    // it from getting a duplicate.
    ASSERT_OK(Create("kitchen").status());
    ASSERT_OK(
        SubscribeQueue(topic_, "kitchen", {{"RawMessageDelivery", "true"}})
            .status());
  }
  PublishEntry Order(const std::string& body, const std::string& group = "g1",
                     const std::string& dedup = "") {
    PublishEntry entry = PublishOf(body);
    entry.message_group_id = group;
    entry.message_deduplication_id = dedup;
    return entry;
  }
  size_t StoredWindow() {
    absl::StatusOr<StoreSnapshot> snapshot = store_.Load();
    EXPECT_OK(snapshot);
    return snapshot.ok() ? snapshot->topic_dedup.size() : 0;
  }

  std::string topic_;
};

TEST_F(TopicDedupTest, ADuplicatePublishGetsTheFirstIdsAndFansOutNothing) {
  ASSERT_OK_AND_ASSIGN(PublishResult first,
                       Publish(topic_, Order("latte", "g1", "order-1")));
  Advance(absl::Minutes(4));
  ASSERT_OK_AND_ASSIGN(PublishResult again,
                       Publish(topic_, Order("mocha", "g1", "order-1")));
  EXPECT_EQ(again.message_id, first.message_id);
  EXPECT_EQ(again.sequence_number, first.sequence_number);
  std::vector<ReceivedMessage> got = Drain("kitchen");
  ASSERT_THAT(got, SizeIs(1));
  EXPECT_EQ(got[0].body, "latte");
}

TEST_F(TopicDedupTest, ContentBasedDeduplicationUsesTheBody) {
  ASSERT_OK_AND_ASSIGN(PublishResult first, Publish(topic_, Order("latte")));
  ASSERT_OK_AND_ASSIGN(PublishResult same, Publish(topic_, Order("latte")));
  ASSERT_OK_AND_ASSIGN(PublishResult other, Publish(topic_, Order("mocha")));
  EXPECT_EQ(same.message_id, first.message_id);
  EXPECT_NE(other.message_id, first.message_id);
  EXPECT_GT(other.sequence_number, first.sequence_number);
  EXPECT_THAT(Drain("kitchen"), SizeIs(2));
}

TEST_F(TopicDedupTest, TheWindowEndsAfterExactlyFiveMinutes) {
  ASSERT_OK_AND_ASSIGN(PublishResult first, Publish(topic_, Order("latte")));
  Advance(absl::Minutes(5) - absl::Nanoseconds(1));
  ASSERT_OK_AND_ASSIGN(PublishResult inside, Publish(topic_, Order("latte")));
  EXPECT_EQ(inside.message_id, first.message_id);
  Advance(absl::Nanoseconds(1));
  ASSERT_OK_AND_ASSIGN(PublishResult after, Publish(topic_, Order("latte")));
  EXPECT_NE(after.message_id, first.message_id);
  EXPECT_THAT(Drain("kitchen"), SizeIs(2));
  // The expired entry left the store; the new one is there.
  EXPECT_EQ(StoredWindow(), 1u);
}

TEST_F(TopicDedupTest, DuplicatesInOneBatchAreAnsweredWithTheFirst) {
  PublishEntry a = Order("latte");
  a.id = "a";
  PublishEntry b = Order("latte");
  b.id = "b";
  std::vector<PublishEntry> batch = {a, b};
  ASSERT_OK_AND_ASSIGN(PublishBatchResult result, PublishBatch(topic_, batch));
  ASSERT_THAT(result.successful, SizeIs(2));
  EXPECT_EQ(result.successful[0].second.message_id,
            result.successful[1].second.message_id);
  EXPECT_THAT(Drain("kitchen"), SizeIs(1));
}

TEST_F(TopicDedupTest, MessageGroupScopeDeduplicatesWithinAGroupOnly) {
  ASSERT_OK(SetTopicAttribute(topic_, "FifoThroughputScope", "MessageGroup"));
  ASSERT_OK_AND_ASSIGN(PublishResult g1, Publish(topic_, Order("latte", "g1")));
  ASSERT_OK_AND_ASSIGN(PublishResult g2, Publish(topic_, Order("latte", "g2")));
  ASSERT_OK_AND_ASSIGN(PublishResult g1_again,
                       Publish(topic_, Order("latte", "g1")));
  EXPECT_NE(g2.message_id, g1.message_id);
  EXPECT_EQ(g1_again.message_id, g1.message_id);
  EXPECT_THAT(Drain("kitchen"), SizeIs(2));
}

TEST_F(TopicDedupTest, TheWindowSurvivesARestart) {
  ASSERT_OK_AND_ASSIGN(PublishResult first,
                       Publish(topic_, Order("latte", "g1", "order-1")));
  Restart();
  Advance(absl::Minutes(1));
  ASSERT_OK_AND_ASSIGN(PublishResult again,
                       Publish(topic_, Order("latte", "g1", "order-1")));
  EXPECT_EQ(again.message_id, first.message_id);
  EXPECT_EQ(again.sequence_number, first.sequence_number);
  EXPECT_THAT(Drain("kitchen"), SizeIs(1));
}

TEST_F(TopicDedupTest, DeletingTheTopicDropsItsWindow) {
  ASSERT_OK(Publish(topic_, Order("latte")).status());
  ASSERT_EQ(StoredWindow(), 1u);
  ASSERT_OK(DeleteTopic(topic_));
  EXPECT_EQ(StoredWindow(), 0u);
}

TEST_F(TopicDedupTest, StandardTopicsDoNotDeduplicate) {
  ASSERT_OK_AND_ASSIGN(std::string plain, CreateTopic("plain"));
  ASSERT_OK(Create("bar").status());
  ASSERT_OK(SubscribeQueue(plain, "bar").status());
  ASSERT_OK_AND_ASSIGN(PublishResult first, Publish(plain, "latte"));
  ASSERT_OK_AND_ASSIGN(PublishResult second, Publish(plain, "latte"));
  EXPECT_NE(first.message_id, second.message_id);
  EXPECT_THAT(Drain("bar"), SizeIs(2));
}

}  // namespace
}  // namespace cortado::testing

// CreateQueue: queue names, attributes given at creation, and idempotency
// (same attributes: the same queue; different ones: QueueNameExists).
#include <string>

#include "gmock/gmock.h"
#include "tests/core/broker_fixture.h"

namespace cortado::testing {
namespace {

using ::testing::ElementsAre;

using BrokerQueueTest = BrokerTest;

TEST_F(BrokerQueueTest, CreatedQueueExistsAndHasItsName) {
  absl::StatusOr<QueueRecord> created = Create("orders");
  ASSERT_OK(created);
  EXPECT_EQ(created->name, "orders");
  EXPECT_NE(created->queue_id, 0u);
  EXPECT_OK(broker_->GetQueue("orders"));
}

TEST_F(BrokerQueueTest, UnknownQueueDoesNotExist) {
  EXPECT_EQ(GetErrorKind(broker_->GetQueue("nope")),
            ErrorKind::kQueueDoesNotExist);
}

TEST_F(BrokerQueueTest, QueueNamesAreCaseSensitive) {
  ASSERT_OK(Create("Orders"));
  EXPECT_EQ(GetErrorKind(broker_->GetQueue("orders")),
            ErrorKind::kQueueDoesNotExist);
  ASSERT_OK(Create("orders"));
  absl::StatusOr<ListQueuesResult> listed = broker_->ListQueues({});
  ASSERT_OK(listed);
  EXPECT_THAT(listed->queue_names, ElementsAre("Orders", "orders"));
}

TEST_F(BrokerQueueTest, QueueNameOfEightyCharactersIsAccepted) {
  EXPECT_OK(Create(std::string(80, 'q')));
  EXPECT_OK(Create("a-Z_9"));
}

TEST_F(BrokerQueueTest, InvalidQueueNamesAreRejected) {
  for (const std::string& name :
       {std::string(""), std::string(81, 'q'), std::string("has space"),
        std::string("dot.ted"), std::string("slash/"), std::string("é"),
        std::string("plain.fifo")}) {
    absl::StatusOr<QueueRecord> created = Create(name);
    EXPECT_EQ(GetErrorKind(created.status()), ErrorKind::kInvalidParameterValue)
        << "name \"" << name << "\": " << created.status();
    EXPECT_EQ(GetErrorKind(broker_->GetQueue(name)),
              ErrorKind::kQueueDoesNotExist);
  }
}

TEST_F(BrokerQueueTest, CreateWithSameAttributesReturnsTheSameQueue) {
  absl::StatusOr<QueueRecord> first =
      Create("orders", {{"VisibilityTimeout", "60"}});
  ASSERT_OK(first);
  ASSERT_OK(Send("orders", "kept"));
  absl::StatusOr<QueueRecord> again =
      Create("orders", {{"VisibilityTimeout", "60"}});
  ASSERT_OK(again);
  EXPECT_EQ(again->queue_id, first->queue_id);
  // The queue was not replaced: its message is still there.
  EXPECT_EQ(Attribute("orders", "ApproximateNumberOfMessages"), "1");
}

TEST_F(BrokerQueueTest, CreateWithoutAttributesReturnsAnExistingQueue) {
  absl::StatusOr<QueueRecord> first =
      Create("orders", {{"VisibilityTimeout", "60"}});
  ASSERT_OK(first);
  absl::StatusOr<QueueRecord> again = Create("orders");
  ASSERT_OK(again);
  EXPECT_EQ(again->queue_id, first->queue_id);
  EXPECT_EQ(Attribute("orders", "VisibilityTimeout"), "60");
}

TEST_F(BrokerQueueTest, CreateWithExplicitDefaultValuesMatchesADefaultQueue) {
  absl::StatusOr<QueueRecord> first = Create("orders");
  ASSERT_OK(first);
  absl::StatusOr<QueueRecord> again =
      Create("orders", {{"VisibilityTimeout", "30"}, {"DelaySeconds", "0"}});
  ASSERT_OK(again);
  EXPECT_EQ(again->queue_id, first->queue_id);
}

TEST_F(BrokerQueueTest, CreateWithDifferentAttributesIsQueueNameExists) {
  ASSERT_OK(Create("orders", {{"VisibilityTimeout", "60"}}));
  absl::StatusOr<QueueRecord> again =
      Create("orders", {{"VisibilityTimeout", "61"}});
  EXPECT_EQ(GetErrorKind(again.status()), ErrorKind::kQueueNameExists)
      << again.status();
  EXPECT_THAT(std::string(again.status().message()),
              ::testing::HasSubstr("VisibilityTimeout"));
  // The existing queue is unchanged.
  EXPECT_EQ(Attribute("orders", "VisibilityTimeout"), "60");
}

TEST_F(BrokerQueueTest, CreateWithANewAttributeOnADefaultQueueIsNameExists) {
  ASSERT_OK(Create("orders"));
  EXPECT_EQ(GetErrorKind(Create("orders", {{"DelaySeconds", "5"}}).status()),
            ErrorKind::kQueueNameExists);
}

TEST_F(BrokerQueueTest, CreateWithOutOfRangeAttributeIsInvalidAttributeValue) {
  absl::StatusOr<QueueRecord> created =
      Create("orders", {{"VisibilityTimeout", "43201"}});
  EXPECT_EQ(GetErrorKind(created.status()), ErrorKind::kInvalidAttributeValue)
      << created.status();
  EXPECT_EQ(GetErrorKind(broker_->GetQueue("orders")),
            ErrorKind::kQueueDoesNotExist);
}

TEST_F(BrokerQueueTest, CreateWithUnknownAttributeIsInvalidAttributeName) {
  absl::StatusOr<QueueRecord> created = Create("orders", {{"Foobar", "1"}});
  EXPECT_EQ(GetErrorKind(created.status()), ErrorKind::kInvalidAttributeName)
      << created.status();
  EXPECT_EQ(GetErrorKind(broker_->GetQueue("orders")),
            ErrorKind::kQueueDoesNotExist);
}

TEST_F(BrokerQueueTest, FifoOnlyAttributesOnAStandardQueueAreUnknown) {
  EXPECT_EQ(GetErrorKind(Create("orders", {{"FifoQueue", "false"}}).status()),
            ErrorKind::kInvalidAttributeName);
  EXPECT_EQ(
      GetErrorKind(
          Create("orders", {{"ContentBasedDeduplication", "false"}}).status()),
      ErrorKind::kInvalidAttributeName);
  EXPECT_EQ(GetErrorKind(
                Create("orders", {{"DeduplicationScope", "queue"}}).status()),
            ErrorKind::kInvalidAttributeName);
}

TEST_F(BrokerQueueTest, CreateAppliesGivenAttributes) {
  ASSERT_OK(Create("orders", {{"DelaySeconds", "900"},
                              {"MaximumMessageSize", "1024"},
                              {"MessageRetentionPeriod", "60"},
                              {"ReceiveMessageWaitTimeSeconds", "20"},
                              {"VisibilityTimeout", "43200"}}));
  AttributeMap all = AllAttributes("orders");
  EXPECT_EQ(all["DelaySeconds"], "900");
  EXPECT_EQ(all["MaximumMessageSize"], "1024");
  EXPECT_EQ(all["MessageRetentionPeriod"], "60");
  EXPECT_EQ(all["ReceiveMessageWaitTimeSeconds"], "20");
  EXPECT_EQ(all["VisibilityTimeout"], "43200");
}

TEST_F(BrokerQueueTest, CreateWithTagsStoresThem) {
  CreateQueueRequest request;
  request.queue_name = "orders";
  request.tags = {{"team", "billing"}, {"env", ""}};
  ASSERT_OK(Create(std::move(request)));
  absl::StatusOr<TagMap> tags = broker_->ListQueueTags("orders");
  ASSERT_OK(tags);
  EXPECT_EQ(*tags, (TagMap{{"env", ""}, {"team", "billing"}}));
}

}  // namespace
}  // namespace cortado::testing

// GetQueueAttributes and SetQueueAttributes through the broker: the defaults
// of a new queue, ranges, LastModifiedTimestamp, and the Approximate* counts.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "tests/core/broker_fixture.h"

namespace cortado::testing {
namespace {

using ::testing::IsEmpty;

constexpr int64_t kStartSeconds = 1767225600;  // the FakeClock's start

using BrokerQueueAttributesTest = BrokerTest;

// --- GetQueueAttributes / SetQueueAttributes ---

TEST_F(BrokerQueueAttributesTest, NewQueueHasTheTwelveDefaultAttributes) {
  ASSERT_OK(Create("orders"));
  const AttributeMap all = AllAttributes("orders");
  const std::string now = absl::StrCat(kStartSeconds);
  EXPECT_EQ(all, (AttributeMap{
                     {"ApproximateNumberOfMessages", "0"},
                     {"ApproximateNumberOfMessagesDelayed", "0"},
                     {"ApproximateNumberOfMessagesNotVisible", "0"},
                     {"CreatedTimestamp", now},
                     {"DelaySeconds", "0"},
                     {"LastModifiedTimestamp", now},
                     {"MaximumMessageSize", "1048576"},
                     {"MessageRetentionPeriod", "345600"},
                     {"QueueArn", "arn:aws:sqs:us-east-1:000000000000:orders"},
                     {"ReceiveMessageWaitTimeSeconds", "0"},
                     {"SqsManagedSseEnabled", "true"},
                     {"VisibilityTimeout", "30"},
                 }));
}

TEST_F(BrokerQueueAttributesTest, QueueArnFollowsRegionAccountAndName) {
  EXPECT_EQ(broker_->QueueArn("orders"),
            "arn:aws:sqs:us-east-1:000000000000:orders");
}

TEST_F(BrokerQueueAttributesTest, GetQueueAttributesReturnsOnlyTheNamedOnes) {
  ASSERT_OK(Create("orders"));
  absl::StatusOr<AttributeMap> some = broker_->GetQueueAttributes(
      "orders", {"VisibilityTimeout", "DelaySeconds"});
  ASSERT_OK(some);
  EXPECT_EQ(*some,
            (AttributeMap{{"DelaySeconds", "0"}, {"VisibilityTimeout", "30"}}));
}

TEST_F(BrokerQueueAttributesTest,
       GetQueueAttributesWithoutNamesReturnsNothing) {
  ASSERT_OK(Create("orders"));
  absl::StatusOr<AttributeMap> none = broker_->GetQueueAttributes("orders", {});
  ASSERT_OK(none);
  EXPECT_THAT(*none, IsEmpty());
}

TEST_F(BrokerQueueAttributesTest, GetQueueAttributesAllWithNamesReturnsAll) {
  ASSERT_OK(Create("orders"));
  absl::StatusOr<AttributeMap> all =
      broker_->GetQueueAttributes("orders", {"DelaySeconds", "All"});
  ASSERT_OK(all);
  EXPECT_EQ(all->size(), 12u);
}

TEST_F(BrokerQueueAttributesTest,
       GetQueueAttributesWithUnknownNameIsInvalidName) {
  ASSERT_OK(Create("orders"));
  absl::StatusOr<AttributeMap> got =
      broker_->GetQueueAttributes("orders", {"VisibilityTimeout", "Foobar"});
  EXPECT_EQ(GetErrorKind(got.status()), ErrorKind::kInvalidAttributeName)
      << got.status();
  EXPECT_EQ(got.status().message(), "Unknown Attribute Foobar.");
}

TEST_F(BrokerQueueAttributesTest,
       GetQueueAttributesOfMissingQueueIsQueueDoesNotExist) {
  EXPECT_EQ(GetErrorKind(broker_->GetQueueAttributes("nope", {"All"}).status()),
            ErrorKind::kQueueDoesNotExist);
}

TEST_F(BrokerQueueAttributesTest, SetQueueAttributesChangesValues) {
  ASSERT_OK(Create("orders"));
  ASSERT_OK(SetAttributes(
      "orders", {{"VisibilityTimeout", "120"}, {"DelaySeconds", "15"}}));
  EXPECT_EQ(Attribute("orders", "VisibilityTimeout"), "120");
  EXPECT_EQ(Attribute("orders", "DelaySeconds"), "15");
}

TEST_F(BrokerQueueAttributesTest,
       SetQueueAttributesUpdatesLastModifiedTimestamp) {
  ASSERT_OK(Create("orders"));
  Advance(absl::Seconds(90));
  ASSERT_OK(SetAttributes("orders", {{"VisibilityTimeout", "120"}}));
  EXPECT_EQ(Attribute("orders", "CreatedTimestamp"),
            absl::StrCat(kStartSeconds));
  EXPECT_EQ(Attribute("orders", "LastModifiedTimestamp"),
            absl::StrCat(kStartSeconds + 90));
}

TEST_F(BrokerQueueAttributesTest,
       SendingMessagesDoesNotChangeLastModifiedTimestamp) {
  ASSERT_OK(Create("orders"));
  Advance(absl::Seconds(90));
  ASSERT_OK(Send("orders", "hello"));
  EXPECT_EQ(Attribute("orders", "LastModifiedTimestamp"),
            absl::StrCat(kStartSeconds));
}

struct OutOfRange {
  std::string name;
  std::string value;
};

TEST_F(BrokerQueueAttributesTest,
       OutOfRangeAttributeValuesAreInvalidAttributeValue) {
  ASSERT_OK(Create("orders"));
  for (const OutOfRange& bad : std::vector<OutOfRange>{
           {"DelaySeconds", "901"},
           {"DelaySeconds", "-1"},
           {"MaximumMessageSize", "1023"},
           {"MaximumMessageSize", "1048577"},
           {"MessageRetentionPeriod", "59"},
           {"MessageRetentionPeriod", "1209601"},
           {"ReceiveMessageWaitTimeSeconds", "21"},
           {"VisibilityTimeout", "43201"},
           {"VisibilityTimeout", "ten"},
           {"VisibilityTimeout", ""},
       }) {
    absl::Status status = SetAttributes("orders", {{bad.name, bad.value}});
    EXPECT_EQ(GetErrorKind(status), ErrorKind::kInvalidAttributeValue)
        << bad.name << "=" << bad.value << ": " << status;
  }
  // Nothing changed.
  AttributeMap all = AllAttributes("orders");
  EXPECT_EQ(all["DelaySeconds"], "0");
  EXPECT_EQ(all["MaximumMessageSize"], "1048576");
  EXPECT_EQ(all["MessageRetentionPeriod"], "345600");
  EXPECT_EQ(all["ReceiveMessageWaitTimeSeconds"], "0");
  EXPECT_EQ(all["VisibilityTimeout"], "30");
}

TEST_F(BrokerQueueAttributesTest, BoundaryAttributeValuesAreAccepted) {
  ASSERT_OK(Create("orders"));
  EXPECT_OK(SetAttributes("orders", {{"DelaySeconds", "900"},
                                     {"MaximumMessageSize", "1024"},
                                     {"MessageRetentionPeriod", "1209600"},
                                     {"ReceiveMessageWaitTimeSeconds", "20"},
                                     {"VisibilityTimeout", "0"}}));
  EXPECT_OK(SetAttributes("orders", {{"DelaySeconds", "0"},
                                     {"MaximumMessageSize", "1048576"},
                                     {"MessageRetentionPeriod", "60"},
                                     {"ReceiveMessageWaitTimeSeconds", "0"},
                                     {"VisibilityTimeout", "43200"}}));
  EXPECT_EQ(Attribute("orders", "MessageRetentionPeriod"), "60");
  EXPECT_EQ(Attribute("orders", "VisibilityTimeout"), "43200");
}

TEST_F(BrokerQueueAttributesTest,
       SetQueueAttributesWithUnknownNameIsInvalidName) {
  ASSERT_OK(Create("orders"));
  EXPECT_EQ(GetErrorKind(SetAttributes("orders", {{"Foobar", "1"}})),
            ErrorKind::kInvalidAttributeName);
}

TEST_F(BrokerQueueAttributesTest, FailedSetQueueAttributesChangesNothing) {
  ASSERT_OK(Create("orders"));
  Advance(absl::Seconds(5));
  EXPECT_FALSE(SetAttributes("orders", {{"VisibilityTimeout", "60"},
                                        {"DelaySeconds", "901"}})
                   .ok());
  EXPECT_EQ(Attribute("orders", "VisibilityTimeout"), "30");
  EXPECT_EQ(Attribute("orders", "LastModifiedTimestamp"),
            absl::StrCat(kStartSeconds));
}

TEST_F(BrokerQueueAttributesTest, ReadOnlyAttributesCannotBeSet) {
  ASSERT_OK(Create("orders"));
  for (const char* name :
       {"ApproximateNumberOfMessages", "CreatedTimestamp", "QueueArn"}) {
    EXPECT_FALSE(SetAttributes("orders", {{name, "1"}}).ok()) << name;
  }
  EXPECT_EQ(Attribute("orders", "ApproximateNumberOfMessages"), "0");
  EXPECT_EQ(Attribute("orders", "QueueArn"),
            "arn:aws:sqs:us-east-1:000000000000:orders");
}

TEST_F(BrokerQueueAttributesTest,
       SetQueueAttributesOnMissingQueueIsQueueDoesNotExist) {
  EXPECT_EQ(GetErrorKind(SetAttributes("nope", {{"VisibilityTimeout", "5"}})),
            ErrorKind::kQueueDoesNotExist);
}

// --- Approximate counts ---

TEST_F(BrokerQueueAttributesTest, ApproximateCountsFollowMessageStates) {
  ASSERT_OK(Create("orders"));
  ASSERT_OK(Send("orders", "visible-1"));
  ASSERT_OK(Send("orders", "visible-2"));
  SendMessageEntry delayed = Entry("delayed");
  delayed.delay_seconds = 10;
  ASSERT_OK(Send("orders", delayed));
  EXPECT_EQ(Attribute("orders", "ApproximateNumberOfMessages"), "2");
  EXPECT_EQ(Attribute("orders", "ApproximateNumberOfMessagesNotVisible"), "0");
  EXPECT_EQ(Attribute("orders", "ApproximateNumberOfMessagesDelayed"), "1");

  ASSERT_OK(Receive("orders"));
  EXPECT_EQ(Attribute("orders", "ApproximateNumberOfMessages"), "1");
  EXPECT_EQ(Attribute("orders", "ApproximateNumberOfMessagesNotVisible"), "1");
  EXPECT_EQ(Attribute("orders", "ApproximateNumberOfMessagesDelayed"), "1");

  Advance(absl::Seconds(10));  // the delay ends
  EXPECT_EQ(Attribute("orders", "ApproximateNumberOfMessages"), "2");
  EXPECT_EQ(Attribute("orders", "ApproximateNumberOfMessagesNotVisible"), "1");
  EXPECT_EQ(Attribute("orders", "ApproximateNumberOfMessagesDelayed"), "0");

  Advance(absl::Seconds(20));  // the visibility timeout (30 s) ends
  EXPECT_EQ(Attribute("orders", "ApproximateNumberOfMessages"), "3");
  EXPECT_EQ(Attribute("orders", "ApproximateNumberOfMessagesNotVisible"), "0");
  EXPECT_EQ(Attribute("orders", "ApproximateNumberOfMessagesDelayed"), "0");
}

}  // namespace
}  // namespace cortado::testing

// DeleteQueue and PurgeQueue, and AWS's 60-second rules for both
// (BrokerOptions::enforce_60_second_rules).
#include <string>

#include "gmock/gmock.h"
#include "tests/core/broker_fixture.h"

namespace cortado::testing {
namespace {

using ::testing::IsEmpty;

using BrokerDeleteQueueTest = BrokerTest;
using BrokerPurgeQueueTest = BrokerTest;

// --- DeleteQueue ---

TEST_F(BrokerDeleteQueueTest, DeletedQueueNoLongerExistsForAnyAction) {
  ASSERT_OK(Create("orders"));
  ASSERT_OK(Send("orders", "hello"));
  absl::StatusOr<ReceiveMessageResult> got = Receive("orders");
  ASSERT_OK(got);
  ASSERT_EQ(got->messages.size(), 1u);
  const std::string handle = got->messages[0].receipt_handle;
  ASSERT_OK(DeleteQueue("orders"));

  constexpr ErrorKind kGone = ErrorKind::kQueueDoesNotExist;
  EXPECT_EQ(GetErrorKind(broker_->GetQueue("orders")), kGone);
  EXPECT_EQ(GetErrorKind(Send("orders", "again").status()), kGone);
  EXPECT_EQ(GetErrorKind(Receive("orders").status()), kGone);
  EXPECT_EQ(GetErrorKind(Delete("orders", handle)), kGone);
  EXPECT_EQ(GetErrorKind(ChangeVisibility("orders", handle, 10)), kGone);
  EXPECT_EQ(GetErrorKind(Purge("orders")), kGone);
  EXPECT_EQ(GetErrorKind(SetAttributes("orders", {{"DelaySeconds", "1"}})),
            kGone);
  EXPECT_EQ(
      GetErrorKind(broker_->GetQueueAttributes("orders", {"All"}).status()),
      kGone);
  EXPECT_EQ(GetErrorKind(Tag("orders", {{"k", "v"}})), kGone);
  EXPECT_EQ(GetErrorKind(Untag("orders", {"k"})), kGone);
  EXPECT_EQ(GetErrorKind(broker_->ListQueueTags("orders").status()), kGone);
  EXPECT_EQ(GetErrorKind(SendBatch("orders", {Entry("x", "a")}).status()),
            kGone);
  EXPECT_EQ(GetErrorKind(DeleteBatch("orders", {{"a", handle, 0}}).status()),
            kGone);
  EXPECT_EQ(GetErrorKind(
                ChangeVisibilityBatch("orders", {{"a", handle, 5}}).status()),
            kGone);
  EXPECT_EQ(GetErrorKind(DeleteQueue("orders")), kGone);
  absl::StatusOr<ListQueuesResult> listed = broker_->ListQueues({});
  ASSERT_OK(listed);
  EXPECT_THAT(listed->queue_names, IsEmpty());
}

TEST_F(BrokerDeleteQueueTest, DeletingAMissingQueueIsQueueDoesNotExist) {
  EXPECT_EQ(GetErrorKind(DeleteQueue("nope")), ErrorKind::kQueueDoesNotExist);
}

TEST_F(BrokerDeleteQueueTest, RecreatedQueueIsEmptyAndRejectsOldHandles) {
  ASSERT_OK(Create("orders", {{"VisibilityTimeout", "60"}}));
  ASSERT_OK(Send("orders", "old"));
  absl::StatusOr<ReceiveMessageResult> got = Receive("orders");
  ASSERT_OK(got);
  ASSERT_EQ(got->messages.size(), 1u);
  ASSERT_OK(DeleteQueue("orders"));

  ASSERT_OK(Create("orders"));  // the 60-second rule is off by default
  EXPECT_EQ(Attribute("orders", "VisibilityTimeout"), "30");
  EXPECT_EQ(Attribute("orders", "ApproximateNumberOfMessages"), "0");
  EXPECT_EQ(Attribute("orders", "ApproximateNumberOfMessagesNotVisible"), "0");
  ASSERT_OK(Send("orders", "new"));
  ASSERT_OK(Receive("orders"));
  EXPECT_EQ(GetErrorKind(Delete("orders", got->messages[0].receipt_handle)),
            ErrorKind::kReceiptHandleIsInvalid);
  EXPECT_EQ(Attribute("orders", "ApproximateNumberOfMessagesNotVisible"), "1");
}

// --- PurgeQueue ---

TEST_F(BrokerPurgeQueueTest, PurgeRemovesVisibleDelayedAndInFlightMessages) {
  ASSERT_OK(Create("orders"));
  ASSERT_OK(Send("orders", "visible"));
  ASSERT_OK(Send("orders", "in flight"));
  SendMessageEntry delayed = Entry("delayed");
  delayed.delay_seconds = 60;
  ASSERT_OK(Send("orders", delayed));
  absl::StatusOr<ReceiveMessageResult> got = Receive("orders");
  ASSERT_OK(got);
  ASSERT_EQ(got->messages.size(), 1u);

  ASSERT_OK(Purge("orders"));
  EXPECT_EQ(Attribute("orders", "ApproximateNumberOfMessages"), "0");
  EXPECT_EQ(Attribute("orders", "ApproximateNumberOfMessagesNotVisible"), "0");
  EXPECT_EQ(Attribute("orders", "ApproximateNumberOfMessagesDelayed"), "0");

  // Nothing comes back when the delay or the visibility timeout would end.
  Advance(absl::Seconds(61));
  absl::StatusOr<ReceiveMessageResult> after = Receive("orders", 10);
  ASSERT_OK(after);
  EXPECT_THAT(after->messages, IsEmpty());
}

TEST_F(BrokerPurgeQueueTest,
       HandleOfAPurgedMessageDeletesNothingAndCannotChange) {
  ASSERT_OK(Create("orders"));
  ASSERT_OK(Send("orders", "m"));
  absl::StatusOr<ReceiveMessageResult> got = Receive("orders");
  ASSERT_OK(got);
  ASSERT_EQ(got->messages.size(), 1u);
  ASSERT_OK(Purge("orders"));
  const std::string& handle = got->messages[0].receipt_handle;
  EXPECT_OK(Delete("orders", handle));
  EXPECT_EQ(GetErrorKind(ChangeVisibility("orders", handle, 10)),
            ErrorKind::kInvalidParameterValue);
}

TEST_F(BrokerPurgeQueueTest, MessagesSentAfterPurgeAreReceived) {
  ASSERT_OK(Create("orders"));
  ASSERT_OK(Send("orders", "before"));
  ASSERT_OK(Purge("orders"));
  ASSERT_OK(Send("orders", "after"));
  absl::StatusOr<ReceiveMessageResult> got = Receive("orders", 10);
  ASSERT_OK(got);
  ASSERT_EQ(got->messages.size(), 1u);
  EXPECT_EQ(got->messages[0].body, "after");
}

TEST_F(BrokerPurgeQueueTest, PurgeKeepsTheQueueAndItsAttributes) {
  ASSERT_OK(Create("orders", {{"VisibilityTimeout", "45"}}));
  ASSERT_OK(Purge("orders"));
  EXPECT_EQ(Attribute("orders", "VisibilityTimeout"), "45");
}

TEST_F(BrokerPurgeQueueTest, PurgeOfMissingQueueIsQueueDoesNotExist) {
  EXPECT_EQ(GetErrorKind(Purge("nope")), ErrorKind::kQueueDoesNotExist);
}

TEST_F(BrokerPurgeQueueTest, RepeatedPurgesAreAllowedByDefault) {
  ASSERT_OK(Create("orders"));
  EXPECT_OK(Purge("orders"));
  EXPECT_OK(Purge("orders"));
}

// --- The 60-second rules ---

BrokerOptions SixtySecondRules() {
  BrokerOptions options;
  options.enforce_60_second_rules = true;
  return options;
}

class BrokerSixtySecondRulesTest : public BrokerTest {
 protected:
  BrokerSixtySecondRulesTest() : BrokerTest(SixtySecondRules()) {}
};

TEST_F(BrokerSixtySecondRulesTest,
       RecreateWithinSixtySecondsIsDeletedRecently) {
  ASSERT_OK(Create("orders"));
  ASSERT_OK(DeleteQueue("orders"));
  Advance(absl::Seconds(59));
  EXPECT_EQ(GetErrorKind(Create("orders").status()),
            ErrorKind::kQueueDeletedRecently);
  Advance(absl::Seconds(1));
  EXPECT_OK(Create("orders"));
}

TEST_F(BrokerSixtySecondRulesTest, OtherNamesCanBeCreatedAtOnce) {
  ASSERT_OK(Create("orders"));
  ASSERT_OK(DeleteQueue("orders"));
  EXPECT_OK(Create("orders-2"));
}

TEST_F(BrokerSixtySecondRulesTest, SecondPurgeWithinSixtySecondsIsInProgress) {
  ASSERT_OK(Create("orders"));
  ASSERT_OK(Purge("orders"));
  Advance(absl::Seconds(59));
  EXPECT_EQ(GetErrorKind(Purge("orders")), ErrorKind::kPurgeQueueInProgress);
  Advance(absl::Seconds(1));
  EXPECT_OK(Purge("orders"));
}

TEST_F(BrokerSixtySecondRulesTest, RejectedPurgeLeavesMessagesAlone) {
  ASSERT_OK(Create("orders"));
  ASSERT_OK(Purge("orders"));
  ASSERT_OK(Send("orders", "kept"));
  EXPECT_EQ(GetErrorKind(Purge("orders")), ErrorKind::kPurgeQueueInProgress);
  EXPECT_EQ(Attribute("orders", "ApproximateNumberOfMessages"), "1");
}

TEST_F(BrokerSixtySecondRulesTest, PurgesOfDifferentQueuesAreIndependent) {
  ASSERT_OK(Create("a"));
  ASSERT_OK(Create("b"));
  ASSERT_OK(Purge("a"));
  EXPECT_OK(Purge("b"));
}

TEST_F(BrokerDeleteQueueTest, SixtySecondRulesAreOffByDefault) {
  EXPECT_FALSE(broker_->options().enforce_60_second_rules);
  ASSERT_OK(Create("orders"));
  ASSERT_OK(DeleteQueue("orders"));
  EXPECT_OK(Create("orders"));
  EXPECT_OK(Purge("orders"));
  EXPECT_OK(Purge("orders"));
}

}  // namespace
}  // namespace cortado::testing

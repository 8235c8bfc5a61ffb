// ProcessTimers: runs what is due and returns the next deadline, the earliest
// of every delay, visibility timeout, retention expiry and long-poll wait.
#include <string>

#include "gmock/gmock.h"
#include "tests/core/broker_fixture.h"

namespace cortado::testing {
namespace {

class BrokerTimersTest : public BrokerTest {
 protected:
  void SetUp() override {
    BrokerTest::SetUp();
    ASSERT_OK(Create("orders"));
  }
  absl::Time In(absl::Duration d) { return clock_.Now() + d; }
};

TEST_F(BrokerTimersTest, NothingPendingMeansNoDeadline) {
  EXPECT_EQ(broker_->ProcessTimers(), absl::InfiniteFuture());
}

TEST_F(BrokerTimersTest, VisibleMessageIsDueAtItsRetentionExpiry) {
  ASSERT_OK(Send("orders", "m"));
  EXPECT_EQ(broker_->ProcessTimers(), In(absl::Hours(96)));
}

TEST_F(BrokerTimersTest, DelayedMessageIsDueWhenItsDelayEnds) {
  SendMessageEntry entry = Entry("later");
  entry.delay_seconds = 90;
  ASSERT_OK(Send("orders", entry));
  EXPECT_EQ(broker_->ProcessTimers(), In(absl::Seconds(90)));
}

TEST_F(BrokerTimersTest, InFlightMessageIsDueWhenItsTimeoutEnds) {
  ASSERT_OK(Send("orders", "m"));
  Advance(absl::Seconds(5));
  ASSERT_OK(Receive("orders"));
  EXPECT_EQ(broker_->ProcessTimers(), In(absl::Seconds(30)));
}

TEST_F(BrokerTimersTest, ParkedReceiveIsDueWhenItsWaitEnds) {
  Pending<ReceiveMessageResult> poll = StartLongPoll("orders", 7);
  EXPECT_EQ(broker_->ProcessTimers(), In(absl::Seconds(7)));
}

TEST_F(BrokerTimersTest, NextDeadlineIsTheEarliestAcrossQueues) {
  ASSERT_OK(Create("other"));
  SendMessageEntry slow = Entry("slow");
  slow.delay_seconds = 50;
  ASSERT_OK(Send("orders", slow));
  SendMessageEntry fast = Entry("fast");
  fast.delay_seconds = 20;
  ASSERT_OK(Send("other", fast));
  EXPECT_EQ(broker_->ProcessTimers(), In(absl::Seconds(20)));
  Advance(absl::Seconds(20));
  EXPECT_EQ(broker_->ProcessTimers(), In(absl::Seconds(30)));
}

TEST_F(BrokerTimersTest, DeadlineMovesWhenTheMessageIsDeleted) {
  ASSERT_OK(Send("orders", "m"));
  absl::StatusOr<ReceiveMessageResult> got = Receive("orders");
  ASSERT_OK(got);
  ASSERT_EQ(got->messages.size(), 1u);
  ASSERT_OK(Delete("orders", got->messages[0].receipt_handle));
  EXPECT_EQ(broker_->ProcessTimers(), absl::InfiniteFuture());
}

TEST_F(BrokerTimersTest, DeletedQueueLeavesNoDeadlines) {
  SendMessageEntry entry = Entry("later");
  entry.delay_seconds = 10;
  ASSERT_OK(Send("orders", entry));
  Pending<ReceiveMessageResult> poll = StartLongPoll("orders", 20);
  ASSERT_OK(DeleteQueue("orders"));
  EXPECT_EQ(broker_->ProcessTimers(), absl::InfiniteFuture());
  Advance(absl::Seconds(20));  // nothing left to fire
}

TEST_F(BrokerTimersTest, TimersRunAtTheStartOfEveryOperation) {
  ASSERT_OK(Send("orders", "m"));
  ASSERT_OK(Receive("orders"));
  clock_.Advance(absl::Seconds(30));  // no ProcessTimers
  // The receive's own batch first makes the message visible again.
  absl::StatusOr<ReceiveMessageResult> got = Receive("orders");
  ASSERT_OK(got);
  EXPECT_EQ(got->messages.size(), 1u);
}

}  // namespace
}  // namespace cortado::testing

// MessageRetentionPeriod: messages older than it are dropped, whatever their
// state (visible, in flight or delayed), counted from the original send time.
#include <string>

#include "gmock/gmock.h"
#include "tests/core/broker_fixture.h"

namespace cortado::testing {
namespace {

using ::testing::IsEmpty;

class BrokerRetentionTest : public BrokerTest {
 protected:
  int64_t Stored(const std::string& queue) {
    AttributeMap all = AllAttributes(queue);
    return std::stoll(all["ApproximateNumberOfMessages"]) +
           std::stoll(all["ApproximateNumberOfMessagesNotVisible"]) +
           std::stoll(all["ApproximateNumberOfMessagesDelayed"]);
  }
  std::vector<std::string> ReceiveBodies(const std::string& queue) {
    std::vector<std::string> bodies;
    absl::StatusOr<ReceiveMessageResult> got = Receive(queue, 10);
    EXPECT_OK(got);
    if (got.ok()) {
      for (const ReceivedMessage& m : got->messages) bodies.push_back(m.body);
    }
    return bodies;
  }
};

TEST_F(BrokerRetentionTest, DefaultRetentionIsFourDays) {
  ASSERT_OK(Create("orders"));
  ASSERT_OK(Send("orders", "m"));
  Advance(absl::Hours(96) - absl::Milliseconds(1));
  EXPECT_EQ(Stored("orders"), 1);
  Advance(absl::Milliseconds(1));
  EXPECT_EQ(Stored("orders"), 0);
  EXPECT_THAT(ReceiveBodies("orders"), IsEmpty());
}

TEST_F(BrokerRetentionTest, ShortRetentionDropsMessagesOnTime) {
  ASSERT_OK(Create("short", {{"MessageRetentionPeriod", "60"}}));
  ASSERT_OK(Send("short", "m"));
  Advance(absl::Seconds(60) - absl::Milliseconds(1));
  EXPECT_EQ(Stored("short"), 1);
  Advance(absl::Milliseconds(1));
  EXPECT_EQ(Stored("short"), 0);
}

TEST_F(BrokerRetentionTest, InFlightMessagesAreDroppedToo) {
  ASSERT_OK(Create("short", {{"MessageRetentionPeriod", "60"}}));
  ASSERT_OK(Send("short", "m"));
  absl::StatusOr<ReceiveMessageResult> got =
      ReceiveWithVisibility("short", 3600);
  ASSERT_OK(got);
  ASSERT_EQ(got->messages.size(), 1u);
  EXPECT_EQ(Attribute("short", "ApproximateNumberOfMessagesNotVisible"), "1");
  Advance(absl::Seconds(60));
  EXPECT_EQ(Stored("short"), 0);
  // Its handle now names a message that no longer exists.
  EXPECT_EQ(GetErrorKind(
                ChangeVisibility("short", got->messages[0].receipt_handle, 5)),
            ErrorKind::kInvalidParameterValue);
  EXPECT_OK(Delete("short", got->messages[0].receipt_handle));
}

TEST_F(BrokerRetentionTest, DelayedMessagesAreDroppedToo) {
  ASSERT_OK(Create("short", {{"MessageRetentionPeriod", "60"}}));
  SendMessageEntry entry = Entry("late");
  entry.delay_seconds = 900;
  ASSERT_OK(Send("short", entry));
  Advance(absl::Seconds(60));
  EXPECT_EQ(Stored("short"), 0);
  Advance(absl::Seconds(900));
  EXPECT_THAT(ReceiveBodies("short"), IsEmpty());
}

TEST_F(BrokerRetentionTest, RetentionCountsFromTheSendNotTheLastReceive) {
  ASSERT_OK(Create("short", {{"MessageRetentionPeriod", "60"}}));
  ASSERT_OK(Send("short", "m"));
  Advance(absl::Seconds(50));
  ASSERT_OK(ReceiveWithVisibility("short", 0));  // a receive does not renew it
  Advance(absl::Seconds(10));
  EXPECT_EQ(Stored("short"), 0);
}

TEST_F(BrokerRetentionTest, EachMessageExpiresOnItsOwnSchedule) {
  ASSERT_OK(Create("short", {{"MessageRetentionPeriod", "60"}}));
  ASSERT_OK(Send("short", "first"));
  Advance(absl::Seconds(30));
  ASSERT_OK(Send("short", "second"));
  Advance(absl::Seconds(30));
  EXPECT_THAT(ReceiveBodies("short"), ::testing::ElementsAre("second"));
  Advance(absl::Seconds(30));
  EXPECT_EQ(Stored("short"), 0);
}

TEST_F(BrokerRetentionTest, LoweringRetentionDropsOlderMessagesAtOnce) {
  ASSERT_OK(Create("orders"));
  ASSERT_OK(Send("orders", "old"));
  Advance(absl::Seconds(100));
  ASSERT_OK(Send("orders", "new"));
  ASSERT_OK(SetAttributes("orders", {{"MessageRetentionPeriod", "60"}}));
  // The next operation runs the timers: "old" (100 s) is past 60 s.
  EXPECT_THAT(ReceiveBodies("orders"), ::testing::ElementsAre("new"));
  Advance(absl::Seconds(60));
  EXPECT_EQ(Stored("orders"), 0);
}

TEST_F(BrokerRetentionTest, LoweredRetentionIsVisibleInCountsAfterTimersRun) {
  ASSERT_OK(Create("orders"));
  ASSERT_OK(Send("orders", "old"));
  Advance(absl::Seconds(100));
  ASSERT_OK(SetAttributes("orders", {{"MessageRetentionPeriod", "60"}}));
  Advance(absl::ZeroDuration());
  EXPECT_EQ(Stored("orders"), 0);
}

TEST_F(BrokerRetentionTest, RaisingRetentionKeepsMessagesLonger) {
  ASSERT_OK(Create("short", {{"MessageRetentionPeriod", "60"}}));
  ASSERT_OK(Send("short", "m"));
  Advance(absl::Seconds(30));
  ASSERT_OK(SetAttributes("short", {{"MessageRetentionPeriod", "120"}}));
  Advance(absl::Seconds(30));  // t=60: the old period has passed
  EXPECT_EQ(Stored("short"), 1);
  Advance(absl::Seconds(60));  // t=120
  EXPECT_EQ(Stored("short"), 0);
}

TEST_F(BrokerRetentionTest, ExpiryOnlyTouchesItsOwnQueue) {
  ASSERT_OK(Create("short", {{"MessageRetentionPeriod", "60"}}));
  ASSERT_OK(Create("long"));
  ASSERT_OK(Send("short", "s"));
  ASSERT_OK(Send("long", "l"));
  Advance(absl::Seconds(60));
  EXPECT_EQ(Stored("short"), 0);
  EXPECT_EQ(Stored("long"), 1);
}

TEST_F(BrokerRetentionTest, ExpiredMessagesAreRemovedFromTheStore) {
  ASSERT_OK(Create("short", {{"MessageRetentionPeriod", "60"}}));
  ASSERT_OK(Send("short", "m"));
  Advance(absl::Seconds(60));
  Restart();
  EXPECT_EQ(Stored("short"), 0);
  clock_.Set(clock_.Now() - absl::Seconds(30));  // even if time went back
  Restart();
  EXPECT_EQ(Stored("short"), 0);
}

}  // namespace
}  // namespace cortado::testing

// Delays: per queue (DelaySeconds) and per message (0-900 s); a delayed
// message counts as ApproximateNumberOfMessagesDelayed and becomes visible
// exactly at its time.
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "tests/core/broker_fixture.h"

namespace cortado::testing {
namespace {

using ::testing::IsEmpty;

class BrokerDelayTest : public BrokerTest {
 protected:
  void SetUp() override {
    BrokerTest::SetUp();
    ASSERT_OK(Create("orders"));
  }
};

TEST_F(BrokerDelayTest, DelayedMessageBecomesVisibleExactlyAtItsTime) {
  SendMessageEntry entry = Entry("later");
  entry.delay_seconds = 10;
  ASSERT_OK(Send("orders", entry));
  EXPECT_EQ(Attribute("orders", "ApproximateNumberOfMessagesDelayed"), "1");
  EXPECT_EQ(Attribute("orders", "ApproximateNumberOfMessages"), "0");
  absl::StatusOr<ReceiveMessageResult> got = Receive("orders");
  ASSERT_OK(got);
  EXPECT_THAT(got->messages, IsEmpty());

  Advance(absl::Seconds(10) - absl::Milliseconds(1));
  got = Receive("orders");
  ASSERT_OK(got);
  EXPECT_THAT(got->messages, IsEmpty());
  EXPECT_EQ(Attribute("orders", "ApproximateNumberOfMessagesDelayed"), "1");

  Advance(absl::Milliseconds(1));
  EXPECT_EQ(Attribute("orders", "ApproximateNumberOfMessagesDelayed"), "0");
  EXPECT_EQ(Attribute("orders", "ApproximateNumberOfMessages"), "1");
  got = Receive("orders");
  ASSERT_OK(got);
  ASSERT_EQ(got->messages.size(), 1u);
  EXPECT_EQ(got->messages[0].body, "later");
}

TEST_F(BrokerDelayTest, QueueDelayAppliesToEveryMessage) {
  ASSERT_OK(Create("slow", {{"DelaySeconds", "5"}}));
  ASSERT_OK(Send("slow", "m"));
  EXPECT_EQ(Attribute("slow", "ApproximateNumberOfMessagesDelayed"), "1");
  Advance(absl::Seconds(5) - absl::Milliseconds(1));
  absl::StatusOr<ReceiveMessageResult> got = Receive("slow");
  ASSERT_OK(got);
  EXPECT_THAT(got->messages, IsEmpty());
  Advance(absl::Milliseconds(1));
  got = Receive("slow");
  ASSERT_OK(got);
  EXPECT_EQ(got->messages.size(), 1u);
}

TEST_F(BrokerDelayTest, MessageDelayOverridesTheQueueDelay) {
  ASSERT_OK(Create("slow", {{"DelaySeconds", "60"}}));
  SendMessageEntry now = Entry("now");
  now.delay_seconds = 0;
  ASSERT_OK(Send("slow", now));
  SendMessageEntry soon = Entry("soon");
  soon.delay_seconds = 2;
  ASSERT_OK(Send("slow", soon));
  absl::StatusOr<ReceiveMessageResult> got = Receive("slow", 10);
  ASSERT_OK(got);
  ASSERT_EQ(got->messages.size(), 1u);
  EXPECT_EQ(got->messages[0].body, "now");
  Advance(absl::Seconds(2));
  got = Receive("slow", 10);
  ASSERT_OK(got);
  ASSERT_EQ(got->messages.size(), 1u);
  EXPECT_EQ(got->messages[0].body, "soon");
}

TEST_F(BrokerDelayTest, ChangingTheQueueDelayDoesNotMoveDelayedMessages) {
  ASSERT_OK(Create("slow", {{"DelaySeconds", "10"}}));
  ASSERT_OK(Send("slow", "m"));
  ASSERT_OK(SetAttributes("slow", {{"DelaySeconds", "100"}}));
  Advance(absl::Seconds(10));
  absl::StatusOr<ReceiveMessageResult> got = Receive("slow");
  ASSERT_OK(got);
  EXPECT_EQ(got->messages.size(), 1u);
}

TEST_F(BrokerDelayTest, DelayRangeIsZeroToNineHundredSeconds) {
  SendMessageEntry max = Entry("max");
  max.delay_seconds = 900;
  EXPECT_OK(Send("orders", max));
  for (int32_t bad : {-1, 901}) {
    SendMessageEntry entry = Entry("bad");
    entry.delay_seconds = bad;
    absl::StatusOr<SendMessageResult> sent = Send("orders", entry);
    EXPECT_EQ(GetErrorKind(sent.status()), ErrorKind::kInvalidParameterValue)
        << bad;
  }
  EXPECT_EQ(Attribute("orders", "ApproximateNumberOfMessagesDelayed"), "1");
  Advance(absl::Seconds(900));
  EXPECT_EQ(Attribute("orders", "ApproximateNumberOfMessages"), "1");
}

TEST_F(BrokerDelayTest, DelayedCountCountsEachDelayedMessage) {
  for (int delay : {1, 2, 3}) {
    SendMessageEntry entry = Entry(absl::StrCat("d", delay));
    entry.delay_seconds = delay;
    ASSERT_OK(Send("orders", entry));
  }
  EXPECT_EQ(Attribute("orders", "ApproximateNumberOfMessagesDelayed"), "3");
  Advance(absl::Seconds(1));
  EXPECT_EQ(Attribute("orders", "ApproximateNumberOfMessagesDelayed"), "2");
  EXPECT_EQ(Attribute("orders", "ApproximateNumberOfMessages"), "1");
  Advance(absl::Seconds(2));
  EXPECT_EQ(Attribute("orders", "ApproximateNumberOfMessagesDelayed"), "0");
  EXPECT_EQ(Attribute("orders", "ApproximateNumberOfMessages"), "3");
}

}  // namespace
}  // namespace cortado::testing

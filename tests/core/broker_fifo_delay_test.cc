// DelaySeconds of FIFO queues is retroactive (SQS): a change applies to
// every message not received yet, measured from its send time. Standard
// queues keep the delay each message was sent with.
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "tests/core/broker_fixture.h"

namespace cortado::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

class BrokerFifoDelayTest : public BrokerTest {
 protected:
  void SetUp() override {
    BrokerTest::SetUp();
    ASSERT_OK(Create("jobs.fifo", {{"FifoQueue", "true"},
                                   {"ContentBasedDeduplication", "true"},
                                   {"VisibilityTimeout", "30"}}));
  }
  void SendFifo(const std::string& body, const std::string& group) {
    SendMessageEntry entry = Entry(body);
    entry.message_group_id = group;
    ASSERT_OK(Send("jobs.fifo", std::move(entry)));
  }
  absl::Status SetDelay(const std::string& queue, int seconds) {
    return SetAttributes(queue, {{"DelaySeconds", std::to_string(seconds)}});
  }
  std::vector<std::string> ReceiveBodies(const std::string& queue = "jobs.fifo",
                                         int max = 10) {
    std::vector<std::string> bodies;
    absl::StatusOr<ReceiveMessageResult> got = Receive(queue, max);
    EXPECT_OK(got);
    if (got.ok()) {
      for (const ReceivedMessage& m : got->messages) bodies.push_back(m.body);
    }
    return bodies;
  }
  std::string Delayed(const std::string& queue = "jobs.fifo") {
    return Attribute(queue, "ApproximateNumberOfMessagesDelayed");
  }
  std::string Visible(const std::string& queue = "jobs.fifo") {
    return Attribute(queue, "ApproximateNumberOfMessages");
  }
};

TEST_F(BrokerFifoDelayTest, RaisingTheDelayHidesVisibleMessagesNotReceivedYet) {
  SendFifo("a1", "a");
  SendFifo("b1", "b");
  Advance(absl::Seconds(5));
  ASSERT_EQ(Visible(), "2");
  ASSERT_OK(SetDelay("jobs.fifo", 60));
  // Both were sent 5 s ago: hidden until 60 s after their send.
  EXPECT_EQ(Visible(), "0");
  EXPECT_EQ(Delayed(), "2");
  EXPECT_THAT(ReceiveBodies(), IsEmpty());
  Advance(absl::Seconds(54));
  EXPECT_THAT(ReceiveBodies(), IsEmpty());
  Advance(absl::Seconds(1));
  EXPECT_THAT(ReceiveBodies(), ElementsAre("a1", "b1"));
}

TEST_F(BrokerFifoDelayTest, RaisingTheDelayExtendsMessagesStillDelayed) {
  ASSERT_OK(SetDelay("jobs.fifo", 10));
  SendFifo("a1", "a");
  Advance(absl::Seconds(4));
  ASSERT_OK(SetDelay("jobs.fifo", 100));
  Advance(absl::Seconds(6));  // the old delay ends here: no longer
  EXPECT_EQ(Delayed(), "1");
  EXPECT_THAT(ReceiveBodies(), IsEmpty());
  Advance(absl::Seconds(89));
  EXPECT_THAT(ReceiveBodies(), IsEmpty());
  Advance(absl::Seconds(1));  // 100 s after the send
  EXPECT_THAT(ReceiveBodies(), ElementsAre("a1"));
}

TEST_F(BrokerFifoDelayTest, LoweringTheDelayReleasesMessagesEarlier) {
  ASSERT_OK(SetDelay("jobs.fifo", 120));
  SendFifo("early", "a");
  Advance(absl::Seconds(25));
  SendFifo("late", "b");
  Advance(absl::Seconds(5));
  ASSERT_EQ(Delayed(), "2");
  // 30 s after "early" and 5 s after "late": "early" is due now, "late" in
  // 5 s.
  ASSERT_OK(SetDelay("jobs.fifo", 10));
  EXPECT_EQ(Delayed(), "1");
  EXPECT_THAT(ReceiveBodies(), ElementsAre("early"));
  Advance(absl::Seconds(4));
  EXPECT_THAT(ReceiveBodies(), IsEmpty());
  Advance(absl::Seconds(1));
  EXPECT_THAT(ReceiveBodies(), ElementsAre("late"));
}

TEST_F(BrokerFifoDelayTest, LoweringTheDelayAnswersAParkedReceive) {
  ASSERT_OK(SetDelay("jobs.fifo", 300));
  SendFifo("a1", "a");
  Advance(absl::Seconds(3));
  Pending<ReceiveMessageResult> parked = StartLongPoll("jobs.fifo", 20);
  ASSERT_FALSE(parked.ready());
  ASSERT_OK(SetDelay("jobs.fifo", 0));
  absl::StatusOr<ReceiveMessageResult> got = parked.Get();
  ASSERT_OK(got);
  ASSERT_EQ(got->messages.size(), 1u);
  EXPECT_EQ(got->messages[0].body, "a1");
}

TEST_F(BrokerFifoDelayTest, MessagesAlreadyReceivedAreNotDelayedAgain) {
  SendFifo("a1", "a");
  SendFifo("b1", "b");
  // a1 goes in flight for 30 s; b1 is received with a zero visibility
  // timeout, so it is visible again at once, with one receive counted.
  ASSERT_THAT(ReceiveBodies("jobs.fifo", 1), ElementsAre("a1"));
  absl::StatusOr<ReceiveMessageResult> b =
      ReceiveWithVisibility("jobs.fifo", 0);
  ASSERT_OK(b);
  ASSERT_EQ(b->messages.size(), 1u);
  ASSERT_EQ(b->messages[0].body, "b1");
  ASSERT_OK(SetDelay("jobs.fifo", 600));
  EXPECT_EQ(Delayed(), "0");
  EXPECT_EQ(Attribute("jobs.fifo", "ApproximateNumberOfMessagesNotVisible"),
            "1");
  EXPECT_THAT(ReceiveBodies(), ElementsAre("b1"));
  // a1's visibility runs out on its own schedule, not the delay's (as does
  // b1's second one).
  Advance(absl::Seconds(30));
  EXPECT_THAT(ReceiveBodies(), ElementsAre("a1", "b1"));
}

TEST_F(BrokerFifoDelayTest, OtherAttributeChangesLeaveDelaysAlone) {
  ASSERT_OK(SetDelay("jobs.fifo", 60));
  SendFifo("a1", "a");
  Advance(absl::Seconds(30));
  ASSERT_OK(SetAttributes("jobs.fifo", {{"VisibilityTimeout", "40"}}));
  EXPECT_EQ(Delayed(), "1");
  Advance(absl::Seconds(30));
  EXPECT_THAT(ReceiveBodies(), ElementsAre("a1"));
}

TEST_F(BrokerFifoDelayTest, ARetroactiveDelaySurvivesARestart) {
  SendFifo("a1", "a");
  Advance(absl::Seconds(10));
  ASSERT_OK(SetDelay("jobs.fifo", 60));
  Restart();
  EXPECT_EQ(Delayed(), "1");
  Advance(absl::Seconds(49));
  EXPECT_THAT(ReceiveBodies(), IsEmpty());
  Advance(absl::Seconds(1));
  EXPECT_THAT(ReceiveBodies(), ElementsAre("a1"));
}

TEST_F(BrokerFifoDelayTest, ALoweredDelaySurvivesARestart) {
  ASSERT_OK(SetDelay("jobs.fifo", 900));
  SendFifo("a1", "a");
  Advance(absl::Seconds(10));
  ASSERT_OK(SetDelay("jobs.fifo", 0));
  Restart();
  EXPECT_EQ(Delayed(), "0");
  EXPECT_THAT(ReceiveBodies(), ElementsAre("a1"));
}

TEST_F(BrokerFifoDelayTest, StandardQueueDelaysAreNotRetroactive) {
  ASSERT_OK(Create("plain", {{"DelaySeconds", "100"}}));
  ASSERT_OK(Send("plain", "sent-delayed"));
  Advance(absl::Seconds(5));
  // Lowering does not release the message sent with 100 s...
  ASSERT_OK(SetDelay("plain", 0));
  EXPECT_EQ(Delayed("plain"), "1");
  EXPECT_THAT(ReceiveBodies("plain"), IsEmpty());
  ASSERT_OK(Send("plain", "sent-undelayed"));
  // ...and raising does not hide the one sent without a delay.
  ASSERT_OK(SetDelay("plain", 300));
  absl::StatusOr<ReceiveMessageResult> undelayed = Receive("plain");
  ASSERT_OK(undelayed);
  ASSERT_EQ(undelayed->messages.size(), 1u);
  EXPECT_EQ(undelayed->messages[0].body, "sent-undelayed");
  ASSERT_OK(Delete("plain", undelayed->messages[0].receipt_handle));
  Advance(absl::Seconds(94));
  EXPECT_THAT(ReceiveBodies("plain"), IsEmpty());
  Advance(absl::Seconds(1));  // 100 s after its send
  EXPECT_THAT(ReceiveBodies("plain"), ElementsAre("sent-delayed"));
}

}  // namespace
}  // namespace cortado::testing

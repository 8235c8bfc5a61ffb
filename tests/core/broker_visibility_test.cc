// Visibility timeouts: the queue default and per-receive overrides, the exact
// moment a message reappears, and ChangeMessageVisibility with its
// receipt-handle rules (§3.6).
#include <string>

#include "gmock/gmock.h"
#include "tests/core/broker_fixture.h"

namespace cortado::testing {
namespace {

using ::testing::IsEmpty;

class BrokerVisibilityTest : public BrokerTest {
 protected:
  void SetUp() override {
    BrokerTest::SetUp();
    ASSERT_OK(Create("orders"));
  }
  // Sends one message to `queue` and receives it with `visibility_timeout`
  // (the queue's default if negative); returns its receipt handle.
  std::string SendAndReceive(const std::string& queue = "orders",
                             int32_t visibility_timeout = -1) {
    EXPECT_OK(Send(queue, "payload"));
    absl::StatusOr<ReceiveMessageResult> got =
        visibility_timeout < 0
            ? Receive(queue)
            : ReceiveWithVisibility(queue, visibility_timeout);
    EXPECT_OK(got);
    if (!got.ok() || got->messages.size() != 1) {
      ADD_FAILURE() << "expected to receive one message";
      return "";
    }
    return got->messages[0].receipt_handle;
  }
  // Number of messages a receive (of up to 10) gets now; they stay in flight.
  size_t ReceivableNow(const std::string& queue = "orders") {
    absl::StatusOr<ReceiveMessageResult> got = Receive(queue, 10);
    EXPECT_OK(got);
    return got.ok() ? got->messages.size() : 0;
  }
  std::string InFlight(const std::string& queue = "orders") {
    return Attribute(queue, "ApproximateNumberOfMessagesNotVisible");
  }
};

// --- Receive-time visibility ---

TEST_F(BrokerVisibilityTest, ReceivedMessageReappearsAfterVisibilityTimeout) {
  SendAndReceive();
  EXPECT_EQ(InFlight(), "1");
  Advance(absl::Seconds(30));
  EXPECT_EQ(InFlight(), "0");
  EXPECT_EQ(Attribute("orders", "ApproximateNumberOfMessages"), "1");
  absl::StatusOr<ReceiveMessageResult> again = Receive("orders");
  ASSERT_OK(again);
  ASSERT_EQ(again->messages.size(), 1u);
  EXPECT_EQ(again->messages[0].attributes.at("ApproximateReceiveCount"), "2");
}

TEST_F(BrokerVisibilityTest, DefaultTimeoutIsThirtySecondsToTheMillisecond) {
  SendAndReceive();
  Advance(absl::Seconds(30) - absl::Milliseconds(1));
  EXPECT_EQ(ReceivableNow(), 0u);
  EXPECT_EQ(InFlight(), "1");
  Advance(absl::Milliseconds(1));
  EXPECT_EQ(ReceivableNow(), 1u);
}

TEST_F(BrokerVisibilityTest, QueueVisibilityTimeoutIsTheDefault) {
  ASSERT_OK(Create("slow", {{"VisibilityTimeout", "120"}}));
  SendAndReceive("slow");
  Advance(absl::Seconds(120) - absl::Milliseconds(1));
  EXPECT_EQ(ReceivableNow("slow"), 0u);
  Advance(absl::Milliseconds(1));
  EXPECT_EQ(ReceivableNow("slow"), 1u);
}

TEST_F(BrokerVisibilityTest,
       ChangedQueueVisibilityTimeoutAppliesToNextReceive) {
  ASSERT_OK(SetAttributes("orders", {{"VisibilityTimeout", "5"}}));
  SendAndReceive();
  Advance(absl::Seconds(5));
  EXPECT_EQ(ReceivableNow(), 1u);
}

TEST_F(BrokerVisibilityTest, ChangedQueueTimeoutDoesNotMoveInFlightMessages) {
  SendAndReceive();
  ASSERT_OK(SetAttributes("orders", {{"VisibilityTimeout", "5"}}));
  Advance(absl::Seconds(5));
  EXPECT_EQ(ReceivableNow(), 0u);
  Advance(absl::Seconds(25));
  EXPECT_EQ(ReceivableNow(), 1u);
}

TEST_F(BrokerVisibilityTest, ReceiveVisibilityTimeoutOverridesTheQueue) {
  SendAndReceive("orders", 7);
  Advance(absl::Seconds(7) - absl::Milliseconds(1));
  EXPECT_EQ(ReceivableNow(), 0u);
  Advance(absl::Milliseconds(1));
  EXPECT_EQ(ReceivableNow(), 1u);
}

TEST_F(BrokerVisibilityTest, MaximumReceiveVisibilityIsTwelveHours) {
  SendAndReceive("orders", 43200);
  Advance(absl::Seconds(43200) - absl::Milliseconds(1));
  EXPECT_EQ(ReceivableNow(), 0u);
  Advance(absl::Milliseconds(1));
  EXPECT_EQ(ReceivableNow(), 1u);
}

TEST_F(BrokerVisibilityTest, ZeroVisibilityReceiveLeavesTheMessageVisible) {
  SendAndReceive("orders", 0);
  EXPECT_EQ(InFlight(), "0");
  EXPECT_EQ(Attribute("orders", "ApproximateNumberOfMessages"), "1");
  EXPECT_EQ(ReceivableNow(), 1u);
}

TEST_F(BrokerVisibilityTest, EachMessageKeepsItsOwnDeadline) {
  ASSERT_OK(Send("orders", "first"));
  ASSERT_OK(ReceiveWithVisibility("orders", 10));
  Advance(absl::Seconds(5));
  ASSERT_OK(Send("orders", "second"));
  ASSERT_OK(ReceiveWithVisibility("orders", 10));
  Advance(absl::Seconds(5));  // t=10: only the first is back
  absl::StatusOr<ReceiveMessageResult> got = Receive("orders", 10);
  ASSERT_OK(got);
  ASSERT_EQ(got->messages.size(), 1u);
  EXPECT_EQ(got->messages[0].body, "first");
  Advance(absl::Seconds(5));  // t=15: the second is back
  got = Receive("orders", 10);
  ASSERT_OK(got);
  ASSERT_EQ(got->messages.size(), 1u);
  EXPECT_EQ(got->messages[0].body, "second");
}

// --- ChangeMessageVisibility ---

TEST_F(BrokerVisibilityTest, ChangeVisibilityCountsFromNow) {
  const std::string handle = SendAndReceive();
  Advance(absl::Seconds(20));
  ASSERT_OK(ChangeVisibility("orders", handle, 60));
  Advance(absl::Seconds(60) - absl::Milliseconds(1));  // past the original 30
  EXPECT_EQ(ReceivableNow(), 0u);
  Advance(absl::Milliseconds(1));
  EXPECT_EQ(ReceivableNow(), 1u);
}

TEST_F(BrokerVisibilityTest, ChangeVisibilityCanShortenTheTimeout) {
  const std::string handle = SendAndReceive();
  ASSERT_OK(ChangeVisibility("orders", handle, 5));
  Advance(absl::Seconds(5));
  EXPECT_EQ(ReceivableNow(), 1u);
}

TEST_F(BrokerVisibilityTest, ChangeVisibilityToZeroMakesItReceivableAtOnce) {
  const std::string handle = SendAndReceive();
  ASSERT_OK(ChangeVisibility("orders", handle, 0));
  EXPECT_EQ(InFlight(), "0");
  EXPECT_EQ(Attribute("orders", "ApproximateNumberOfMessages"), "1");
  absl::StatusOr<ReceiveMessageResult> again = Receive("orders");
  ASSERT_OK(again);
  ASSERT_EQ(again->messages.size(), 1u);
  EXPECT_EQ(again->messages[0].attributes.at("ApproximateReceiveCount"), "2");
}

TEST_F(BrokerVisibilityTest, ChangedTimeoutIsNotRememberedForLaterReceives) {
  const std::string handle = SendAndReceive();
  ASSERT_OK(ChangeVisibility("orders", handle, 300));
  Advance(absl::Seconds(300));
  ASSERT_EQ(ReceivableNow(), 1u);  // received again with the default 30 s
  Advance(absl::Seconds(30));
  EXPECT_EQ(ReceivableNow(), 1u);
}

TEST_F(BrokerVisibilityTest,
       ChangeVisibilityOutOfRangeIsInvalidParameterValue) {
  const std::string handle = SendAndReceive();
  for (int32_t bad : {-1, 43201}) {
    EXPECT_EQ(GetErrorKind(ChangeVisibility("orders", handle, bad)),
              ErrorKind::kInvalidParameterValue)
        << bad;
  }
  // The message keeps its original deadline.
  Advance(absl::Seconds(30));
  EXPECT_EQ(ReceivableNow(), 1u);
}

TEST_F(BrokerVisibilityTest, TotalInvisibilityIsCappedAtTwelveHours) {
  const std::string handle = SendAndReceive("orders", 43200);
  Advance(absl::Seconds(200));
  absl::Status over = ChangeVisibility("orders", handle, 43001);
  EXPECT_EQ(GetErrorKind(over), ErrorKind::kInvalidParameterValue) << over;
  EXPECT_EQ(over.message(),
            "Value 43001 for parameter VisibilityTimeout is invalid. Reason: "
            "Total VisibilityTimeout for the message is beyond the limit "
            "[43200 seconds]");
  // Exactly 12 hours after the receive is still allowed.
  EXPECT_OK(ChangeVisibility("orders", handle, 43000));
  Advance(absl::Seconds(43000) - absl::Milliseconds(1));
  EXPECT_EQ(ReceivableNow(), 0u);
  Advance(absl::Milliseconds(1));
  EXPECT_EQ(ReceivableNow(), 1u);
}

TEST_F(BrokerVisibilityTest, TwelveHourCapRestartsWithEachReceive) {
  std::string handle = SendAndReceive("orders", 10);
  Advance(absl::Seconds(10));
  absl::StatusOr<ReceiveMessageResult> again = Receive("orders");
  ASSERT_OK(again);
  ASSERT_EQ(again->messages.size(), 1u);
  handle = again->messages[0].receipt_handle;
  EXPECT_OK(ChangeVisibility("orders", handle, 43200));
}

TEST_F(BrokerVisibilityTest, ChangeVisibilityOfDeletedMessageIsInvalidValue) {
  const std::string handle = SendAndReceive();
  ASSERT_OK(Delete("orders", handle));
  absl::Status status = ChangeVisibility("orders", handle, 10);
  EXPECT_EQ(GetErrorKind(status), ErrorKind::kInvalidParameterValue) << status;
  EXPECT_THAT(std::string(status.message()),
              ::testing::HasSubstr("Message does not exist or is not "
                                   "available for visibility timeout change"));
}

TEST_F(BrokerVisibilityTest, ChangeVisibilityAfterTimeoutExpiredIsANoOp) {
  const std::string handle = SendAndReceive();
  Advance(absl::Seconds(30));
  EXPECT_OK(ChangeVisibility("orders", handle, 600));
  // Nothing changed: the message is still visible.
  EXPECT_EQ(InFlight(), "0");
  EXPECT_EQ(ReceivableNow(), 1u);
}

// SQS applies a change made with an older handle of a standard-queue message
// to its current receive (issue 14, item 1).
TEST_F(BrokerVisibilityTest, OlderHandleChangesTheCurrentReceive) {
  const std::string old_handle = SendAndReceive();
  Advance(absl::Seconds(30));
  absl::StatusOr<ReceiveMessageResult> again = Receive("orders");  // 30 s more
  ASSERT_OK(again);
  ASSERT_EQ(again->messages.size(), 1u);
  EXPECT_OK(ChangeVisibility("orders", old_handle, 0));
  EXPECT_EQ(ReceivableNow(), 1u);
}

TEST_F(BrokerVisibilityTest, OlderHandleExtendsTheCurrentReceive) {
  const std::string old_handle = SendAndReceive();
  Advance(absl::Seconds(30));
  ASSERT_OK(Receive("orders"));  // in flight for 30 s more
  EXPECT_OK(ChangeVisibility("orders", old_handle, 100));
  Advance(absl::Seconds(99));
  EXPECT_EQ(ReceivableNow(), 0u);
  Advance(absl::Seconds(1));
  EXPECT_EQ(ReceivableNow(), 1u);
}

TEST_F(BrokerVisibilityTest, GarbageHandleIsReceiptHandleIsInvalid) {
  SendAndReceive();
  for (const char* garbage :
       {"garbage", "", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "!!!"}) {
    absl::Status status = ChangeVisibility("orders", garbage, 10);
    EXPECT_EQ(GetErrorKind(status), ErrorKind::kReceiptHandleIsInvalid)
        << "\"" << garbage << "\": " << status;
  }
  EXPECT_EQ(ChangeVisibility("orders", "garbage", 10).message(),
            "The input receipt handle \"garbage\" is not a valid receipt "
            "handle.");
}

TEST_F(BrokerVisibilityTest, HandleOfAnotherQueueIsReceiptHandleIsInvalid) {
  ASSERT_OK(Create("other"));
  const std::string foreign = SendAndReceive("other");
  SendAndReceive("orders");
  EXPECT_EQ(GetErrorKind(ChangeVisibility("orders", foreign, 0)),
            ErrorKind::kReceiptHandleIsInvalid);
  EXPECT_EQ(InFlight("other"), "1");
  EXPECT_EQ(InFlight("orders"), "1");
}

TEST_F(BrokerVisibilityTest, TamperedHandleIsReceiptHandleIsInvalid) {
  std::string handle = SendAndReceive();
  handle[handle.size() / 2] = handle[handle.size() / 2] == 'A' ? 'B' : 'A';
  EXPECT_EQ(GetErrorKind(ChangeVisibility("orders", handle, 0)),
            ErrorKind::kReceiptHandleIsInvalid);
}

TEST_F(BrokerVisibilityTest,
       ChangeVisibilityOnMissingQueueIsQueueDoesNotExist) {
  const std::string handle = SendAndReceive();
  EXPECT_EQ(GetErrorKind(ChangeVisibility("nope", handle, 0)),
            ErrorKind::kQueueDoesNotExist);
}

TEST_F(BrokerVisibilityTest, InFlightMessagesAreSkippedByLaterReceives) {
  ASSERT_OK(Send("orders", "a"));
  ASSERT_OK(Send("orders", "b"));
  absl::StatusOr<ReceiveMessageResult> first = Receive("orders");
  ASSERT_OK(first);
  ASSERT_EQ(first->messages.size(), 1u);
  EXPECT_EQ(first->messages[0].body, "a");
  absl::StatusOr<ReceiveMessageResult> second = Receive("orders", 10);
  ASSERT_OK(second);
  ASSERT_EQ(second->messages.size(), 1u);
  EXPECT_EQ(second->messages[0].body, "b");
  absl::StatusOr<ReceiveMessageResult> none = Receive("orders", 10);
  ASSERT_OK(none);
  EXPECT_THAT(none->messages, IsEmpty());
}

}  // namespace
}  // namespace cortado::testing

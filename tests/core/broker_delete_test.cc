// DeleteMessage and its receipt-handle rules on standard queues (§3.6): any
// handle ever issued deletes, deletes are idempotent, malformed or foreign
// handles are ReceiptHandleIsInvalid.
#include <string>

#include "gmock/gmock.h"
#include "tests/core/broker_fixture.h"

namespace cortado::testing {
namespace {

using ::testing::IsEmpty;

class BrokerDeleteTest : public BrokerTest {
 protected:
  void SetUp() override {
    BrokerTest::SetUp();
    ASSERT_OK(Create("orders"));
  }
  // Receives one message from `queue` and returns its handle.
  std::string ReceiveHandle(const std::string& queue = "orders") {
    absl::StatusOr<ReceiveMessageResult> got = Receive(queue);
    EXPECT_OK(got);
    if (!got.ok() || got->messages.size() != 1) {
      ADD_FAILURE() << "expected to receive one message";
      return "";
    }
    return got->messages[0].receipt_handle;
  }
  int64_t MessagesInQueue(const std::string& queue = "orders") {
    AttributeMap all = AllAttributes(queue);
    return std::stoll(all["ApproximateNumberOfMessages"]) +
           std::stoll(all["ApproximateNumberOfMessagesNotVisible"]) +
           std::stoll(all["ApproximateNumberOfMessagesDelayed"]);
  }
};

TEST_F(BrokerDeleteTest, DeletedMessageIsGoneForGood) {
  ASSERT_OK(Send("orders", "m"));
  const std::string handle = ReceiveHandle();
  ASSERT_OK(Delete("orders", handle));
  EXPECT_EQ(MessagesInQueue(), 0);
  Advance(absl::Seconds(31));  // past the visibility timeout
  absl::StatusOr<ReceiveMessageResult> got = Receive("orders", 10);
  ASSERT_OK(got);
  EXPECT_THAT(got->messages, IsEmpty());
}

TEST_F(BrokerDeleteTest, DeleteRemovesOnlyThatMessage) {
  ASSERT_OK(Send("orders", "a"));
  ASSERT_OK(Send("orders", "b"));
  const std::string handle = ReceiveHandle();
  ASSERT_OK(Delete("orders", handle));
  EXPECT_EQ(MessagesInQueue(), 1);
  absl::StatusOr<ReceiveMessageResult> got = Receive("orders", 10);
  ASSERT_OK(got);
  ASSERT_EQ(got->messages.size(), 1u);
  EXPECT_EQ(got->messages[0].body, "b");
}

TEST_F(BrokerDeleteTest, DeletingTwiceSucceeds) {
  ASSERT_OK(Send("orders", "m"));
  const std::string handle = ReceiveHandle();
  ASSERT_OK(Delete("orders", handle));
  EXPECT_OK(Delete("orders", handle));
}

TEST_F(BrokerDeleteTest, OlderHandleStillDeletesAfterAReceiveAgain) {
  ASSERT_OK(Send("orders", "m"));
  const std::string old_handle = ReceiveHandle();
  Advance(absl::Seconds(30));
  const std::string new_handle = ReceiveHandle();
  ASSERT_NE(old_handle, new_handle);
  ASSERT_OK(Delete("orders", old_handle));
  EXPECT_EQ(MessagesInQueue(), 0);
  EXPECT_OK(Delete("orders", new_handle));  // already deleted: still OK
}

TEST_F(BrokerDeleteTest, HandleDeletesAfterItsVisibilityExpired) {
  ASSERT_OK(Send("orders", "m"));
  const std::string handle = ReceiveHandle();
  Advance(absl::Seconds(60));  // visible again, nobody received it
  ASSERT_OK(Delete("orders", handle));
  EXPECT_EQ(MessagesInQueue(), 0);
}

TEST_F(BrokerDeleteTest, ZeroVisibilityHandleDeletes) {
  ASSERT_OK(Send("orders", "m"));
  absl::StatusOr<ReceiveMessageResult> got = ReceiveWithVisibility("orders", 0);
  ASSERT_OK(got);
  ASSERT_EQ(got->messages.size(), 1u);
  ASSERT_OK(Delete("orders", got->messages[0].receipt_handle));
  EXPECT_EQ(MessagesInQueue(), 0);
}

TEST_F(BrokerDeleteTest, GarbageHandleIsReceiptHandleIsInvalid) {
  ASSERT_OK(Send("orders", "m"));
  ReceiveHandle();
  for (const char* garbage :
       {"garbage", "", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "a b+c/d=="}) {
    absl::Status status = Delete("orders", garbage);
    EXPECT_EQ(GetErrorKind(status), ErrorKind::kReceiptHandleIsInvalid)
        << "\"" << garbage << "\": " << status;
  }
  EXPECT_EQ(Delete("orders", "garbage").message(),
            "The input receipt handle \"garbage\" is not a valid receipt "
            "handle.");
  EXPECT_EQ(MessagesInQueue(), 1);
}

TEST_F(BrokerDeleteTest, VeryLongGarbageHandleIsReceiptHandleIsInvalid) {
  EXPECT_EQ(GetErrorKind(Delete("orders", std::string(100000, 'A'))),
            ErrorKind::kReceiptHandleIsInvalid);
}

TEST_F(BrokerDeleteTest, HandleOfAnotherQueueIsReceiptHandleIsInvalid) {
  ASSERT_OK(Create("other"));
  ASSERT_OK(Send("other", "theirs"));
  ASSERT_OK(Send("orders", "ours"));
  const std::string foreign = ReceiveHandle("other");
  ReceiveHandle("orders");
  EXPECT_EQ(GetErrorKind(Delete("orders", foreign)),
            ErrorKind::kReceiptHandleIsInvalid);
  EXPECT_EQ(MessagesInQueue("other"), 1);
  EXPECT_EQ(MessagesInQueue("orders"), 1);
}

TEST_F(BrokerDeleteTest, TamperedHandleIsReceiptHandleIsInvalid) {
  ASSERT_OK(Send("orders", "m"));
  std::string handle = ReceiveHandle();
  handle[handle.size() / 2] = handle[handle.size() / 2] == 'A' ? 'B' : 'A';
  EXPECT_EQ(GetErrorKind(Delete("orders", handle)),
            ErrorKind::kReceiptHandleIsInvalid);
  EXPECT_EQ(MessagesInQueue(), 1);
}

TEST_F(BrokerDeleteTest, DeleteOnMissingQueueIsQueueDoesNotExist) {
  ASSERT_OK(Send("orders", "m"));
  const std::string handle = ReceiveHandle();
  EXPECT_EQ(GetErrorKind(Delete("nope", handle)),
            ErrorKind::kQueueDoesNotExist);
}

TEST_F(BrokerDeleteTest, HandleOfExpiredMessageDeletesNothingAndSucceeds) {
  ASSERT_OK(SetAttributes("orders", {{"MessageRetentionPeriod", "60"}}));
  ASSERT_OK(Send("orders", "m"));
  const std::string handle = ReceiveHandle();
  Advance(absl::Seconds(60));
  EXPECT_OK(Delete("orders", handle));
}

}  // namespace
}  // namespace cortado::testing

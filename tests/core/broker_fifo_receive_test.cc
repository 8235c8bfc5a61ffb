// FIFO receives: ReceiveRequestAttemptId replays, the in-flight cap, and
// dead-letter moves that keep a group's order.
#include "gmock/gmock.h"
#include "server/core/errors.h"
#include "tests/core/broker_fixture.h"

namespace cortado::testing {
namespace {

using ::testing::ElementsAre;

class BrokerFifoReceiveTest : public BrokerTest {
 protected:
  explicit BrokerFifoReceiveTest(BrokerOptions options = {})
      : BrokerTest(options) {}
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
  absl::StatusOr<ReceiveMessageResult> ReceiveAttempt(const std::string& id,
                                                      int max = 10) {
    ReceiveMessageRequest request;
    request.queue_name = "jobs.fifo";
    request.max_number_of_messages = max;
    request.receive_request_attempt_id = id;
    request.system_attribute_names = {"All"};
    return Receive(std::move(request));
  }
  static std::vector<std::string> Handles(const ReceiveMessageResult& r) {
    std::vector<std::string> handles;
    for (const ReceivedMessage& m : r.messages) {
      handles.push_back(m.receipt_handle);
    }
    return handles;
  }
  static std::vector<std::string> Bodies(const ReceiveMessageResult& r) {
    std::vector<std::string> bodies;
    for (const ReceivedMessage& m : r.messages) bodies.push_back(m.body);
    return bodies;
  }
};

TEST_F(BrokerFifoReceiveTest, RetriedAttemptGetsTheSameMessagesAndHandles) {
  SendFifo("a1", "a");
  SendFifo("a2", "a");
  absl::StatusOr<ReceiveMessageResult> first = ReceiveAttempt("try-1");
  ASSERT_OK(first);
  ASSERT_THAT(Bodies(*first), ElementsAre("a1", "a2"));
  Advance(absl::Seconds(20));
  absl::StatusOr<ReceiveMessageResult> retry = ReceiveAttempt("try-1");
  ASSERT_OK(retry);
  EXPECT_EQ(Handles(*retry), Handles(*first));
  EXPECT_EQ(retry->messages[0].attributes.at("ApproximateReceiveCount"), "1");
  // The retry reset the visibility: still hidden 20 s later, back at 30 s.
  Advance(absl::Seconds(20));
  EXPECT_EQ(Attribute("jobs.fifo", "ApproximateNumberOfMessagesNotVisible"),
            "2");
  Advance(absl::Seconds(10));
  EXPECT_EQ(Attribute("jobs.fifo", "ApproximateNumberOfMessages"), "2");
}

TEST_F(BrokerFifoReceiveTest, AnAttemptWorksEvenAfterTheVisibilityRanOut) {
  SendFifo("a1", "a");
  absl::StatusOr<ReceiveMessageResult> first = ReceiveAttempt("try-1");
  ASSERT_OK(first);
  Advance(absl::Seconds(31));
  absl::StatusOr<ReceiveMessageResult> retry = ReceiveAttempt("try-1");
  ASSERT_OK(retry);
  EXPECT_EQ(Handles(*retry), Handles(*first));
  EXPECT_OK(Delete("jobs.fifo", retry->messages[0].receipt_handle));
}

TEST_F(BrokerFifoReceiveTest, ADeletedMessageEndsTheReplay) {
  SendFifo("a1", "a");
  SendFifo("b1", "b");
  absl::StatusOr<ReceiveMessageResult> first = ReceiveAttempt("try-1", 1);
  ASSERT_OK(first);
  ASSERT_THAT(Bodies(*first), ElementsAre("a1"));
  ASSERT_OK(Delete("jobs.fifo", first->messages[0].receipt_handle));
  absl::StatusOr<ReceiveMessageResult> retry = ReceiveAttempt("try-1", 1);
  ASSERT_OK(retry);
  EXPECT_THAT(Bodies(*retry), ElementsAre("b1"));  // a fresh receive
}

TEST_F(BrokerFifoReceiveTest, AttemptsLastFiveMinutes) {
  SendFifo("a1", "a");
  absl::StatusOr<ReceiveMessageResult> first = ReceiveAttempt("try-1");
  ASSERT_OK(first);
  Advance(absl::Minutes(5));
  // Expired: a new receive, so a new handle for the same message.
  absl::StatusOr<ReceiveMessageResult> later = ReceiveAttempt("try-1");
  ASSERT_OK(later);
  ASSERT_THAT(Bodies(*later), ElementsAre("a1"));
  EXPECT_NE(Handles(*later), Handles(*first));
  EXPECT_EQ(later->messages[0].attributes.at("ApproximateReceiveCount"), "2");
}

TEST_F(BrokerFifoReceiveTest, InvalidAttemptIdIsRejected) {
  absl::StatusOr<ReceiveMessageResult> got = ReceiveAttempt("has space");
  EXPECT_EQ(GetErrorKind(got.status()), ErrorKind::kInvalidParameterValue);
}

class BrokerFifoCapTest : public BrokerFifoReceiveTest {
 protected:
  static BrokerOptions Capped() {
    BrokerOptions options;
    options.max_inflight_per_queue = 2;
    return options;
  }
  BrokerFifoCapTest() : BrokerFifoReceiveTest(Capped()) {}
};

TEST_F(BrokerFifoCapTest, AtTheInFlightCapAFifoReceiveGetsNothing) {
  SendFifo("a1", "a");
  SendFifo("b1", "b");
  SendFifo("c1", "c");
  absl::StatusOr<ReceiveMessageResult> first = Receive("jobs.fifo", 10);
  ASSERT_OK(first);
  EXPECT_EQ(first->messages.size(), 2u);
  absl::StatusOr<ReceiveMessageResult> capped = Receive("jobs.fifo", 10);
  ASSERT_OK(capped);  // no OverLimit on FIFO queues
  EXPECT_TRUE(capped->messages.empty());
}

class BrokerFifoRedriveTest : public BrokerFifoReceiveTest {
 protected:
  void SetUp() override {
    BrokerFifoReceiveTest::SetUp();
    ASSERT_OK(Create("jobs-dlq.fifo", {{"FifoQueue", "true"}}));
    ASSERT_OK(SetAttributes(
        "jobs.fifo",
        {{"RedrivePolicy", absl::StrCat("{\"deadLetterTargetArn\":\"",
                                        broker_->QueueArn("jobs-dlq.fifo"),
                                        "\",\"maxReceiveCount\":2}")}}));
  }
};

TEST_F(BrokerFifoRedriveTest, PoisonHeadMovesOnAndUnblocksItsGroup) {
  SendFifo("poison", "a");
  SendFifo("a2", "a");
  for (int i = 0; i < 2; ++i) {
    absl::StatusOr<ReceiveMessageResult> got = Receive("jobs.fifo", 1);
    ASSERT_OK(got);
    ASSERT_THAT(Bodies(*got), ElementsAre("poison"));
    Advance(absl::Seconds(30));
  }
  // The third receive would exceed maxReceiveCount=2: the head moves to the
  // dead-letter queue and the rest of its group is delivered in order.
  absl::StatusOr<ReceiveMessageResult> third = Receive("jobs.fifo", 10);
  ASSERT_OK(third);
  EXPECT_THAT(Bodies(*third), ElementsAre("a2"));
  absl::StatusOr<ReceiveMessageResult> dead = Receive("jobs-dlq.fifo", 10);
  ASSERT_OK(dead);
  ASSERT_THAT(Bodies(*dead), ElementsAre("poison"));
  EXPECT_EQ(dead->messages[0].attributes.at("MessageGroupId"), "a");
  EXPECT_EQ(dead->messages[0].attributes.at("ApproximateReceiveCount"), "3");
  EXPECT_EQ(dead->messages[0].attributes.at("DeadLetterQueueSourceArn"),
            broker_->QueueArn("jobs.fifo"));
}

TEST_F(BrokerFifoRedriveTest, AStandardQueueCannotBeAFifoQueuesDlq) {
  ASSERT_OK(Create("plain-dlq"));
  absl::Status status = SetAttributes(
      "jobs.fifo",
      {{"RedrivePolicy", absl::StrCat("{\"deadLetterTargetArn\":\"",
                                      broker_->QueueArn("plain-dlq"),
                                      "\",\"maxReceiveCount\":2}")}});
  EXPECT_EQ(GetErrorKind(status), ErrorKind::kInvalidParameterValue);
}

}  // namespace
}  // namespace cortado::testing

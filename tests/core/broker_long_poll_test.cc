// Long polling: a receive with WaitTimeSeconds > 0 parks until a message can
// be returned or the wait ends. Parked receives are answered in arrival
// order, and by CancelReceive, DeleteQueue and shutdown.
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "tests/core/broker_fixture.h"

namespace cortado::testing {
namespace {

using ::testing::IsEmpty;

class BrokerLongPollTest : public BrokerTest {
 protected:
  void SetUp() override {
    BrokerTest::SetUp();
    ASSERT_OK(Create("orders"));
  }
  // The single message body of a finished receive, or "<error>"/"<n msgs>".
  static std::string OnlyBody(Pending<ReceiveMessageResult>& pending) {
    absl::StatusOr<ReceiveMessageResult> got = pending.Get();
    if (!got.ok()) return "<" + got.status().ToString() + ">";
    if (got->messages.size() != 1) {
      return "<" + std::to_string(got->messages.size()) + " messages>";
    }
    return got->messages[0].body;
  }
  // Expects `pending` answered with OK and no messages.
  static void ExpectEmptyAnswer(Pending<ReceiveMessageResult>& pending) {
    ASSERT_TRUE(pending.ready()) << "the receive is still parked";
    absl::StatusOr<ReceiveMessageResult> got = pending.Get();
    ASSERT_OK(got);
    EXPECT_THAT(got->messages, IsEmpty());
  }
};

TEST_F(BrokerLongPollTest, WaitingReceiveParksWhileTheQueueIsEmpty) {
  Pending<ReceiveMessageResult> poll = StartLongPoll("orders", 20);
  EXPECT_FALSE(poll.ready());
  EXPECT_EQ(broker_->Stats().parked_receives, 1u);
}

TEST_F(BrokerLongPollTest, ParkedReceiveIsAnsweredByASendWithoutTimePassing) {
  Pending<ReceiveMessageResult> poll = StartLongPoll("orders", 20);
  ASSERT_FALSE(poll.ready());
  absl::StatusOr<SendMessageResult> sent = Send("orders", "hello");
  ASSERT_OK(sent);
  ASSERT_TRUE(poll.ready());
  absl::StatusOr<ReceiveMessageResult> got = poll.Get();
  ASSERT_OK(got);
  ASSERT_EQ(got->messages.size(), 1u);
  EXPECT_EQ(got->messages[0].message_id, sent->message_id);
  EXPECT_EQ(got->messages[0].attributes.at("ApproximateReceiveCount"), "1");
  // The parked receive took the message: it is in flight now.
  EXPECT_EQ(Attribute("orders", "ApproximateNumberOfMessagesNotVisible"), "1");
  EXPECT_EQ(Attribute("orders", "ApproximateNumberOfMessages"), "0");
}

TEST_F(BrokerLongPollTest, VisibleMessageAnswersAWaitingReceiveAtOnce) {
  ASSERT_OK(Send("orders", "ready"));
  Pending<ReceiveMessageResult> poll = StartLongPoll("orders", 20);
  ASSERT_TRUE(poll.ready());
  EXPECT_EQ(OnlyBody(poll), "ready");
}

TEST_F(BrokerLongPollTest, WaitEndsWithAnEmptyAnswerExactlyOnTime) {
  Pending<ReceiveMessageResult> poll = StartLongPoll("orders", 5);
  Advance(absl::Seconds(5) - absl::Milliseconds(1));
  EXPECT_FALSE(poll.ready());
  Advance(absl::Milliseconds(1));
  ExpectEmptyAnswer(poll);
  EXPECT_EQ(broker_->Stats().parked_receives, 0u);
}

TEST_F(BrokerLongPollTest, QueueWaitTimeIsTheDefault) {
  ASSERT_OK(Create("waits", {{"ReceiveMessageWaitTimeSeconds", "10"}}));
  ReceiveMessageRequest request;
  request.queue_name = "waits";  // no wait_time_seconds: the queue's
  Pending<ReceiveMessageResult> poll = StartReceive(request);
  ASSERT_FALSE(poll.ready());
  Advance(absl::Seconds(10) - absl::Milliseconds(1));
  EXPECT_FALSE(poll.ready());
  Advance(absl::Milliseconds(1));
  ExpectEmptyAnswer(poll);
}

TEST_F(BrokerLongPollTest, ChangedQueueWaitTimeAppliesToLaterReceives) {
  ASSERT_OK(SetAttributes("orders", {{"ReceiveMessageWaitTimeSeconds", "3"}}));
  ReceiveMessageRequest request;
  request.queue_name = "orders";
  Pending<ReceiveMessageResult> poll = StartReceive(request);
  ASSERT_FALSE(poll.ready());
  Advance(absl::Seconds(3));
  ExpectEmptyAnswer(poll);
}

TEST_F(BrokerLongPollTest, RequestWaitTimeOverridesTheQueue) {
  ASSERT_OK(Create("waits", {{"ReceiveMessageWaitTimeSeconds", "20"}}));
  ReceiveMessageRequest request;
  request.queue_name = "waits";
  request.wait_time_seconds = 0;  // a short poll despite the queue
  Pending<ReceiveMessageResult> poll = StartReceive(request);
  ExpectEmptyAnswer(poll);
}

TEST_F(BrokerLongPollTest, QueueWithoutWaitTimeShortPollsByDefault) {
  ReceiveMessageRequest request;
  request.queue_name = "orders";
  Pending<ReceiveMessageResult> poll = StartReceive(request);
  ExpectEmptyAnswer(poll);
}

TEST_F(BrokerLongPollTest, OldestParkedReceiveIsServedFirst) {
  Pending<ReceiveMessageResult> first = StartLongPoll("orders", 20);
  Pending<ReceiveMessageResult> second = StartLongPoll("orders", 20);
  Pending<ReceiveMessageResult> third = StartLongPoll("orders", 20);
  ASSERT_OK(Send("orders", "one"));
  EXPECT_TRUE(first.ready());
  EXPECT_FALSE(second.ready());
  EXPECT_FALSE(third.ready());
  ASSERT_OK(Send("orders", "two"));
  EXPECT_TRUE(second.ready());
  EXPECT_FALSE(third.ready());
  EXPECT_EQ(OnlyBody(first), "one");
  EXPECT_EQ(OnlyBody(second), "two");
  Advance(absl::Seconds(20));
  ExpectEmptyAnswer(third);
}

TEST_F(BrokerLongPollTest, ParkedReceiveTakesNothingFromOtherQueues) {
  ASSERT_OK(Create("other"));
  Pending<ReceiveMessageResult> poll = StartLongPoll("orders", 20);
  ASSERT_OK(Send("other", "not for you"));
  EXPECT_FALSE(poll.ready());
  EXPECT_EQ(Attribute("other", "ApproximateNumberOfMessages"), "1");
}

TEST_F(BrokerLongPollTest,
       DelayedMessageAnswersAParkedReceiveWhenItsDelayEnds) {
  Pending<ReceiveMessageResult> poll = StartLongPoll("orders", 20);
  SendMessageEntry entry = Entry("delayed");
  entry.delay_seconds = 5;
  ASSERT_OK(Send("orders", entry));
  EXPECT_FALSE(poll.ready());
  Advance(absl::Seconds(5) - absl::Milliseconds(1));
  EXPECT_FALSE(poll.ready());
  Advance(absl::Milliseconds(1));
  ASSERT_TRUE(poll.ready());
  EXPECT_EQ(OnlyBody(poll), "delayed");
}

TEST_F(BrokerLongPollTest, MessageReturningFromFlightAnswersAParkedReceive) {
  ASSERT_OK(Send("orders", "again"));
  ASSERT_OK(ReceiveWithVisibility("orders", 10));
  Pending<ReceiveMessageResult> poll = StartLongPoll("orders", 20);
  EXPECT_FALSE(poll.ready());
  Advance(absl::Seconds(10));
  ASSERT_TRUE(poll.ready());
  absl::StatusOr<ReceiveMessageResult> got = poll.Get();
  ASSERT_OK(got);
  ASSERT_EQ(got->messages.size(), 1u);
  EXPECT_EQ(got->messages[0].attributes.at("ApproximateReceiveCount"), "2");
}

TEST_F(BrokerLongPollTest, VisibilityChangedToZeroAnswersAParkedReceive) {
  ASSERT_OK(Send("orders", "released"));
  absl::StatusOr<ReceiveMessageResult> got = Receive("orders");
  ASSERT_OK(got);
  ASSERT_EQ(got->messages.size(), 1u);
  Pending<ReceiveMessageResult> poll = StartLongPoll("orders", 20);
  EXPECT_FALSE(poll.ready());
  ASSERT_OK(ChangeVisibility("orders", got->messages[0].receipt_handle, 0));
  ASSERT_TRUE(poll.ready());
  EXPECT_EQ(OnlyBody(poll), "released");
}

TEST_F(BrokerLongPollTest, ParkedReceiveUsesItsOwnVisibilityTimeout) {
  ReceiveMessageRequest request;
  request.queue_name = "orders";
  request.wait_time_seconds = 20;
  request.visibility_timeout = 3;
  Pending<ReceiveMessageResult> poll = StartReceive(request);
  ASSERT_OK(Send("orders", "m"));
  ASSERT_TRUE(poll.ready());
  Advance(absl::Seconds(3) - absl::Milliseconds(1));
  EXPECT_EQ(Attribute("orders", "ApproximateNumberOfMessagesNotVisible"), "1");
  Advance(absl::Milliseconds(1));
  EXPECT_EQ(Attribute("orders", "ApproximateNumberOfMessages"), "1");
}

TEST_F(BrokerLongPollTest, ParkedReceiveReturnsTheAttributesItAskedFor) {
  ReceiveMessageRequest request;
  request.queue_name = "orders";
  request.wait_time_seconds = 20;
  request.system_attribute_names = {"SentTimestamp"};
  request.message_attribute_names = {"Hello"};
  Pending<ReceiveMessageResult> poll = StartReceive(request);
  SendMessageEntry entry = Entry("m");
  entry.attributes["Hello"] = StringAttribute("There");
  entry.attributes["General"] = StringAttribute("Kenobi");
  ASSERT_OK(Send("orders", entry));
  absl::StatusOr<ReceiveMessageResult> got = poll.Get();
  ASSERT_OK(got);
  ASSERT_EQ(got->messages.size(), 1u);
  EXPECT_THAT(got->messages[0].attributes,
              ::testing::ElementsAre(::testing::Key("SentTimestamp")));
  EXPECT_EQ(got->messages[0].message_attributes.size(), 1u);
  EXPECT_EQ(got->messages[0].md5_of_message_attributes,
            "a311262e065454b75da111d535b8dacd");
}

TEST_F(BrokerLongPollTest, BatchSendAnswersEveryParkedReceive) {
  Pending<ReceiveMessageResult> first = StartLongPoll("orders", 20);
  Pending<ReceiveMessageResult> second = StartLongPoll("orders", 20);
  absl::StatusOr<SendMessageBatchResult> sent =
      SendBatch("orders", {Entry("a", "a"), Entry("b", "b")});
  ASSERT_OK(sent);
  EXPECT_EQ(OnlyBody(first), "a");
  EXPECT_EQ(OnlyBody(second), "b");
}

TEST_F(BrokerLongPollTest, CancelReceiveAnswersEmpty) {
  uint64_t receive_id = 0;
  Pending<ReceiveMessageResult> poll = StartLongPoll("orders", 20, &receive_id);
  ASSERT_FALSE(poll.ready());
  broker_->CancelReceive(receive_id);
  broker_->ProcessTimers();  // the cancel has been handled
  ExpectEmptyAnswer(poll);
  // A message sent afterwards is not lost to the cancelled receive.
  ASSERT_OK(Send("orders", "kept"));
  EXPECT_EQ(Attribute("orders", "ApproximateNumberOfMessages"), "1");
}

TEST_F(BrokerLongPollTest, CancellingAnAnsweredReceiveDoesNothing) {
  uint64_t receive_id = 0;
  Pending<ReceiveMessageResult> poll = StartLongPoll("orders", 20, &receive_id);
  ASSERT_OK(Send("orders", "taken"));
  EXPECT_EQ(OnlyBody(poll), "taken");
  broker_->CancelReceive(receive_id);
  broker_->ProcessTimers();
  EXPECT_EQ(Attribute("orders", "ApproximateNumberOfMessagesNotVisible"), "1");
}

TEST_F(BrokerLongPollTest, CancelAffectsOnlyTheCancelledReceive) {
  uint64_t first_id = 0;
  Pending<ReceiveMessageResult> first = StartLongPoll("orders", 20, &first_id);
  Pending<ReceiveMessageResult> second = StartLongPoll("orders", 20);
  broker_->CancelReceive(first_id);
  ASSERT_OK(Send("orders", "for the second"));
  ExpectEmptyAnswer(first);
  EXPECT_EQ(OnlyBody(second), "for the second");
}

TEST_F(BrokerLongPollTest, DeleteQueueAnswersParkedReceives) {
  Pending<ReceiveMessageResult> first = StartLongPoll("orders", 20);
  Pending<ReceiveMessageResult> second = StartLongPoll("orders", 20);
  ASSERT_OK(DeleteQueue("orders"));
  ExpectEmptyAnswer(first);
  ExpectEmptyAnswer(second);
  EXPECT_EQ(broker_->Stats().parked_receives, 0u);
}

TEST_F(BrokerLongPollTest, DeleteQueueLeavesOtherQueuesReceivesParked) {
  ASSERT_OK(Create("other"));
  Pending<ReceiveMessageResult> poll = StartLongPoll("other", 20);
  ASSERT_OK(DeleteQueue("orders"));
  EXPECT_FALSE(poll.ready());
  ASSERT_OK(Send("other", "still served"));
  EXPECT_EQ(OnlyBody(poll), "still served");
}

TEST_F(BrokerLongPollTest, ShutdownAnswersParkedReceivesEmpty) {
  Pending<ReceiveMessageResult> first = StartLongPoll("orders", 20);
  Pending<ReceiveMessageResult> second = StartLongPoll("orders", 20);
  broker_.reset();
  ExpectEmptyAnswer(first);
  ExpectEmptyAnswer(second);
}

TEST_F(BrokerLongPollTest, CallsAfterShutdownAreRefused) {
  broker_->Shutdown();
  absl::StatusOr<SendMessageResult> sent = Send("orders", "late");
  EXPECT_EQ(GetErrorKind(sent.status()), ErrorKind::kShuttingDown)
      << sent.status();
  ReceiveMessageRequest request;
  request.queue_name = "orders";
  request.wait_time_seconds = 20;
  Pending<ReceiveMessageResult> poll;
  broker_->ReceiveMessage(request, poll.callback());
  EXPECT_EQ(GetErrorKind(poll.Get().status()), ErrorKind::kShuttingDown);
}

TEST_F(BrokerLongPollTest, ParkedReceiveOnAQueueThatGoesAwayIsNotServedLater) {
  Pending<ReceiveMessageResult> poll = StartLongPoll("orders", 20);
  ASSERT_OK(DeleteQueue("orders"));
  ASSERT_OK(Create("orders"));
  ASSERT_OK(Send("orders", "new queue"));
  ExpectEmptyAnswer(poll);
  EXPECT_EQ(Attribute("orders", "ApproximateNumberOfMessages"), "1");
}

TEST_F(BrokerLongPollTest, ManyParkedReceivesTimeOutTogether) {
  std::vector<Pending<ReceiveMessageResult>> polls;
  for (int i = 0; i < 50; ++i) polls.push_back(StartLongPoll("orders", 1));
  EXPECT_EQ(broker_->Stats().parked_receives, 50u);
  Advance(absl::Seconds(1));
  for (Pending<ReceiveMessageResult>& poll : polls) ExpectEmptyAnswer(poll);
  EXPECT_EQ(broker_->Stats().parked_receives, 0u);
}

}  // namespace
}  // namespace cortado::testing

// PeekMessages: a queue's messages, paged, with everything a console shows,
// and nothing about them changed (visibility, receive count, handles).
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "tests/core/broker_fixture.h"

namespace cortado::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

class BrokerPeekTest : public BrokerTest {
 protected:
  void SetUp() override {
    BrokerTest::SetUp();
    ASSERT_OK(Create("orders"));
  }
  absl::StatusOr<PeekMessagesResult> Peek(const std::string& queue,
                                          int32_t max = 0,
                                          std::string token = "") {
    PeekMessagesRequest request;
    request.queue_name = queue;
    request.max_messages = max;
    request.next_token = std::move(token);
    return broker_->PeekMessages(request);
  }
  static std::vector<std::string> Bodies(const PeekMessagesResult& result) {
    std::vector<std::string> bodies;
    for (const PeekedMessage& message : result.messages) {
      bodies.push_back(message.body);
    }
    return bodies;
  }
};

TEST_F(BrokerPeekTest, EmptyQueuePeeksNothing) {
  absl::StatusOr<PeekMessagesResult> got = Peek("orders");
  ASSERT_OK(got);
  EXPECT_THAT(got->messages, IsEmpty());
  EXPECT_EQ(got->next_token, "");
  EXPECT_FALSE(got->oldest_message.has_value());
}

TEST_F(BrokerPeekTest, PeekShowsBodyAttributesAndSendTime) {
  SendMessageEntry entry = Entry("latte");
  entry.attributes["size"] = StringAttribute("large");
  absl::StatusOr<SendMessageResult> sent = Send("orders", std::move(entry));
  ASSERT_OK(sent);
  absl::StatusOr<PeekMessagesResult> got = Peek("orders");
  ASSERT_OK(got);
  ASSERT_EQ(got->messages.size(), 1u);
  const PeekedMessage& message = got->messages[0];
  EXPECT_EQ(message.message_id, sent->message_id);
  EXPECT_EQ(message.body, "latte");
  EXPECT_EQ(message.md5_of_body, sent->md5_of_message_body);
  EXPECT_EQ(message.message_attributes.at("size").string_value, "large");
  EXPECT_EQ(message.receive_count, 0);
  EXPECT_EQ(message.sent, clock_.Now());
  EXPECT_EQ(message.state, "VISIBLE");
  EXPECT_EQ(message.attributes.at("SentTimestamp"),
            absl::StrCat(absl::ToUnixMillis(clock_.Now())));
  EXPECT_EQ(message.attributes.at("ApproximateReceiveCount"), "0");
  EXPECT_FALSE(message.attributes.contains("ApproximateFirstReceiveTimestamp"));
  EXPECT_EQ(got->oldest_message, clock_.Now());
}

TEST_F(BrokerPeekTest, PeekDoesNotCountAReceiveOrHideTheMessage) {
  ASSERT_OK(Send("orders", "mocha"));
  for (int i = 0; i < 3; ++i) ASSERT_OK(Peek("orders"));
  EXPECT_EQ(Attribute("orders", "ApproximateNumberOfMessages"), "1");
  EXPECT_EQ(Attribute("orders", "ApproximateNumberOfMessagesNotVisible"), "0");
  absl::StatusOr<ReceiveMessageResult> received = Receive("orders");
  ASSERT_OK(received);
  ASSERT_EQ(received->messages.size(), 1u);
  EXPECT_EQ(received->messages[0].attributes.at("ApproximateReceiveCount"),
            "1");
}

TEST_F(BrokerPeekTest, PeekShowsInFlightAndDelayedMessagesWithTheirState) {
  ASSERT_OK(Send("orders", "taken"));
  SendMessageEntry delayed = Entry("later");
  delayed.delay_seconds = 30;
  ASSERT_OK(Send("orders", std::move(delayed)));
  ASSERT_OK(Receive("orders"));
  absl::StatusOr<PeekMessagesResult> got = Peek("orders");
  ASSERT_OK(got);
  ASSERT_EQ(got->messages.size(), 2u);
  EXPECT_EQ(got->messages[0].state, "IN_FLIGHT");
  EXPECT_EQ(got->messages[0].receive_count, 1);
  EXPECT_EQ(got->messages[0].visible_at, clock_.Now() + absl::Seconds(30));
  EXPECT_EQ(got->messages[1].state, "DELAYED");
  EXPECT_EQ(got->messages[1].visible_at, clock_.Now() + absl::Seconds(30));
  // Still in flight: the peek did not reset the receive's visibility.
  EXPECT_EQ(Attribute("orders", "ApproximateNumberOfMessagesNotVisible"), "1");
}

TEST_F(BrokerPeekTest, PagesWalkTheQueueInSendOrder) {
  for (int i = 0; i < 5; ++i) ASSERT_OK(Send("orders", absl::StrCat("m", i)));
  absl::StatusOr<PeekMessagesResult> first = Peek("orders", 2);
  ASSERT_OK(first);
  EXPECT_THAT(Bodies(*first), ElementsAre("m0", "m1"));
  ASSERT_NE(first->next_token, "");
  absl::StatusOr<PeekMessagesResult> second =
      Peek("orders", 2, first->next_token);
  ASSERT_OK(second);
  EXPECT_THAT(Bodies(*second), ElementsAre("m2", "m3"));
  absl::StatusOr<PeekMessagesResult> last =
      Peek("orders", 2, second->next_token);
  ASSERT_OK(last);
  EXPECT_THAT(Bodies(*last), ElementsAre("m4"));
  EXPECT_EQ(last->next_token, "");
}

TEST_F(BrokerPeekTest, AMessageDeletedBetweenPagesIsSkipped) {
  for (int i = 0; i < 3; ++i) ASSERT_OK(Send("orders", absl::StrCat("m", i)));
  absl::StatusOr<PeekMessagesResult> first = Peek("orders", 1);
  ASSERT_OK(first);
  absl::StatusOr<ReceiveMessageResult> taken = Receive("orders", 2);
  ASSERT_OK(taken);
  ASSERT_EQ(taken->messages.size(), 2u);
  ASSERT_OK(Delete("orders", taken->messages[1].receipt_handle));  // m1
  absl::StatusOr<PeekMessagesResult> rest =
      Peek("orders", 10, first->next_token);
  ASSERT_OK(rest);
  EXPECT_THAT(Bodies(*rest), ElementsAre("m2"));
}

TEST_F(BrokerPeekTest, FifoMessagesShowTheirGroupDedupAndSequence) {
  ASSERT_OK(Create("orders.fifo", {{"FifoQueue", "true"}}));
  SendMessageEntry entry = Entry("espresso");
  entry.message_group_id = "table-4";
  entry.message_deduplication_id = "order-1";
  ASSERT_OK(Send("orders.fifo", std::move(entry)));
  absl::StatusOr<PeekMessagesResult> got = Peek("orders.fifo");
  ASSERT_OK(got);
  ASSERT_EQ(got->messages.size(), 1u);
  EXPECT_EQ(got->messages[0].attributes.at("MessageGroupId"), "table-4");
  EXPECT_EQ(got->messages[0].attributes.at("MessageDeduplicationId"),
            "order-1");
  EXPECT_TRUE(got->messages[0].attributes.contains("SequenceNumber"));
}

TEST_F(BrokerPeekTest, MaxMessagesOutsideOneToHundredIsRefused) {
  EXPECT_EQ(GetErrorKind(Peek("orders", 101).status()),
            ErrorKind::kInvalidParameterValue);
  EXPECT_EQ(GetErrorKind(Peek("orders", -1).status()),
            ErrorKind::kInvalidParameterValue);
  EXPECT_OK(Peek("orders", 100));
}

TEST_F(BrokerPeekTest, ATokenOfAnotherQueueOrGarbageIsRefused) {
  ASSERT_OK(Create("other"));
  for (int i = 0; i < 2; ++i) ASSERT_OK(Send("other", "x"));
  absl::StatusOr<PeekMessagesResult> page = Peek("other", 1);
  ASSERT_OK(page);
  EXPECT_EQ(GetErrorKind(Peek("orders", 1, page->next_token).status()),
            ErrorKind::kInvalidParameterValue);
  EXPECT_EQ(GetErrorKind(Peek("orders", 1, "garbage").status()),
            ErrorKind::kInvalidParameterValue);
}

TEST_F(BrokerPeekTest, UnknownQueueIsQueueDoesNotExist) {
  EXPECT_EQ(GetErrorKind(Peek("nope").status()), ErrorKind::kQueueDoesNotExist);
}

}  // namespace
}  // namespace cortado::testing

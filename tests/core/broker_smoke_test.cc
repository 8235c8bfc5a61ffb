#include "tests/core/broker_fixture.h"

namespace cortado::testing {
namespace {

using BrokerSmokeTest = BrokerTest;

TEST_F(BrokerSmokeTest, SentMessageIsReceivedThenDeleted) {
  ASSERT_OK(Create("orders"));
  absl::StatusOr<SendMessageResult> sent = Send("orders", "hello");
  ASSERT_OK(sent);
  EXPECT_EQ(sent->md5_of_message_body, Md5Hex("hello"));
  absl::StatusOr<ReceiveMessageResult> got = Receive("orders");
  ASSERT_OK(got);
  ASSERT_EQ(got->messages.size(), 1u);
  EXPECT_EQ(got->messages[0].body, "hello");
  EXPECT_EQ(got->messages[0].message_id, sent->message_id);
  EXPECT_EQ(got->messages[0].attributes.at("ApproximateReceiveCount"), "1");
  ASSERT_OK(Delete("orders", got->messages[0].receipt_handle));
  EXPECT_EQ(Attribute("orders", "ApproximateNumberOfMessages"), "0");
  EXPECT_EQ(Attribute("orders", "ApproximateNumberOfMessagesNotVisible"), "0");
}

}  // namespace
}  // namespace cortado::testing
